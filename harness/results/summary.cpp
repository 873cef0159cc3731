#include "harness/results/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "harness/results/columns.hpp"
#include "harness/statistics.hpp"

namespace specbench {
namespace {

/// The summary's metric columns and the Row members behind them.
struct Metric {
  const char* name;
  double Row::*member;
};
const Metric kMetrics[] = {{"rel_err", &Row::rel_err},
                           {"u_cos_err", &Row::u_cos_err},
                           {"v_cos_err", &Row::v_cos_err},
                           {"normalized_norm", &Row::normalized_norm}};

}  // namespace

void write_summary(const std::vector<Row>& runs, const std::vector<double>& tolerances,
                   const std::filesystem::path& path) {
  // The group keys, as runs.csv writes them (so that summary.csv shows the same text).
  const char* keys[] = {"estimator", "params",    "family",     "m",
                        "n",         "precision", "checkpoint", "step"};
  std::vector<const RunColumn*> key_cols;
  for (const char* k : keys)
    for (const auto& c : run_columns())
      if (c.name == k) key_cols.push_back(&c);

  std::vector<std::string> order;
  std::map<std::string, std::vector<const Row*>> groups;
  std::map<std::string, std::string> key_text;
  for (const Row& row : runs) {
    std::string key, shown;
    for (std::size_t k = 0; k < key_cols.size(); ++k) {
      const std::string f = csv_field_text(*key_cols[k], row);
      key.append(f).push_back('\x1f');
      if (k > 0) shown.push_back(',');
      shown.append(f);
    }
    auto [it, inserted] = groups.try_emplace(key);
    if (inserted) {
      order.push_back(key);
      key_text[key] = shown;
    }
    it->second.push_back(&row);
  }

  std::string text;
  auto add = [&](const std::string& f) {
    text += (text.empty() || text.back() == '\n' ? "" : ",") + f;
  };
  for (const char* k : keys) add(k);
  add("rows");
  add("errors");
  for (const auto& m : kMetrics)
    for (const char* s : {"_median", "_p10", "_p90", "_max", "_mean"}) add(std::string(m.name) + s);
  for (double tol : tolerances) {
    const std::string t = "fail_" + format_double(tol);
    add(t);
    add(t + "_lo");
    add(t + "_hi");
  }
  add("time_median");
  text += '\n';

  for (const auto& key : order) {
    const auto& rows = groups[key];
    add(key_text[key]);
    std::size_t errors = 0;
    for (const Row* r : rows) errors += r->status == RunStatus::Error;
    add(std::to_string(rows.size()));
    add(std::to_string(errors));
    for (const auto& m : kMetrics) {
      std::vector<double> v;
      for (const Row* r : rows)
        if (r->status != RunStatus::Error && std::isfinite(r->*m.member)) v.push_back(r->*m.member);
      std::sort(v.begin(), v.end());
      double mean = 0;
      for (double x : v) mean += x / double(v.size());
      const double nan = std::numeric_limits<double>::quiet_NaN();
      add(format_double(quantile(v, 0.5)));
      add(format_double(quantile(v, 0.1)));
      add(format_double(quantile(v, 0.9)));
      add(format_double(v.empty() ? nan : v.back()));
      add(format_double(v.empty() ? nan : mean));
    }
    for (double tol : tolerances) {
      std::size_t fails = 0;
      for (const Row* r : rows) fails += !(r->rel_err <= tol);  // NaN (error rows) fails
      const auto [lo, hi] = clopper_pearson(fails, rows.size());
      add(format_double(double(fails) / double(rows.size())));
      add(format_double(lo));
      add(format_double(hi));
    }
    std::vector<double> times;
    for (const Row* r : rows)
      if (r->status != RunStatus::Error) times.push_back(r->time_s);
    std::sort(times.begin(), times.end());
    add(format_double(quantile(times, 0.5)));
    text += '\n';
  }
  write_file_atomic(path, text);
}

}  // namespace specbench
