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

/// The group keys, columns of runs.csv (so that summary.csv shows the same text).
const char* const kKeys[] = {"estimator", "params",    "family",     "m",
                             "n",         "precision", "checkpoint", "step"};

/// The text of summary.csv, a field at a time.
struct CsvText {
  std::string text;
  void add(const std::string& field) {
    text += (text.empty() || text.back() == '\n' ? "" : ",") + field;
  }
  void end_line() { text += '\n'; }
};

/// The rows grouped by their key columns, groups in order of first appearance; `shown` is a
/// group's key fields as runs.csv writes them, comma separated.
struct Group {
  std::string shown;
  std::vector<const Row*> rows;
};

std::vector<Group> group_rows(const std::vector<Row>& runs) {
  std::vector<const RunColumn*> key_cols;
  for (const char* k : kKeys)
    for (const auto& c : run_columns())
      if (c.name == k) key_cols.push_back(&c);
  std::vector<Group> groups;
  std::map<std::string, std::size_t> index;
  for (const Row& row : runs) {
    std::string key, shown;
    for (std::size_t k = 0; k < key_cols.size(); ++k) {
      const std::string f = csv_field_text(*key_cols[k], row);
      key.append(f).push_back('\x1f');
      if (k > 0) shown.push_back(',');
      shown.append(f);
    }
    auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted) groups.push_back({shown, {}});
    groups[it->second].rows.push_back(&row);
  }
  return groups;
}

void add_header(CsvText& out, const std::vector<double>& tolerances) {
  for (const char* k : kKeys) out.add(k);
  out.add("rows");
  out.add("errors");
  for (const auto& m : kMetrics)
    for (const char* s : {"_median", "_p10", "_p90", "_max", "_mean"})
      out.add(std::string(m.name) + s);
  for (double tol : tolerances) {
    const std::string t = "fail_" + format_double(tol);
    out.add(t);
    out.add(t + "_lo");
    out.add(t + "_hi");
  }
  out.add("time_median");
  out.end_line();
}

/// median, p10, p90, max and mean of a metric over the rows without error (finite values).
void add_metric(CsvText& out, const std::vector<const Row*>& rows, const Metric& m) {
  std::vector<double> v;
  for (const Row* r : rows)
    if (r->status != RunStatus::Error && std::isfinite(r->*m.member)) v.push_back(r->*m.member);
  std::sort(v.begin(), v.end());
  double mean = 0;
  for (double x : v) mean += x / double(v.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.add(format_double(quantile(v, 0.5)));
  out.add(format_double(quantile(v, 0.1)));
  out.add(format_double(quantile(v, 0.9)));
  out.add(format_double(v.empty() ? nan : v.back()));
  out.add(format_double(v.empty() ? nan : mean));
}

/// P(rel_err > tol) with its 95% Clopper-Pearson interval; error rows count as failures.
void add_failures(CsvText& out, const std::vector<const Row*>& rows, double tol) {
  std::size_t fails = 0;
  for (const Row* r : rows) fails += !(r->rel_err <= tol);  // NaN (error rows) fails
  const auto [lo, hi] = clopper_pearson(fails, rows.size());
  out.add(format_double(double(fails) / double(rows.size())));
  out.add(format_double(lo));
  out.add(format_double(hi));
}

void add_group(CsvText& out, const Group& g, const std::vector<double>& tolerances) {
  out.add(g.shown);
  std::size_t errors = 0;
  for (const Row* r : g.rows) errors += r->status == RunStatus::Error;
  out.add(std::to_string(g.rows.size()));
  out.add(std::to_string(errors));
  for (const auto& m : kMetrics) add_metric(out, g.rows, m);
  for (double tol : tolerances) add_failures(out, g.rows, tol);
  std::vector<double> times;
  for (const Row* r : g.rows)
    if (r->status != RunStatus::Error) times.push_back(r->time_s);
  std::sort(times.begin(), times.end());
  out.add(format_double(quantile(times, 0.5)));
  out.end_line();
}

}  // namespace

std::string summary_csv(const std::vector<Row>& runs, const std::vector<double>& tolerances) {
  CsvText out;
  add_header(out, tolerances);
  for (const Group& g : group_rows(runs)) add_group(out, g, tolerances);
  return out.text;
}

void write_summary(const std::vector<Row>& runs, const std::vector<double>& tolerances,
                   const std::filesystem::path& path) {
  write_file_atomic(path, summary_csv(runs, tolerances));
}

}  // namespace specbench
