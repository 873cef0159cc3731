#include "harness/summary.hpp"

#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <string>

namespace specbench {
namespace {

double parse(const std::string& s) {
  if (s.empty() || s == "nan") return std::numeric_limits<double>::quiet_NaN();
  try {
    return std::stod(s);
  } catch (const std::exception&) {  // "inf" parses; anything else is not a number
    return std::numeric_limits<double>::quiet_NaN();
  }
}

const char* kMetrics[] = {"rel_err", "u_cos_err", "v_cos_err", "normalized_norm"};

}  // namespace

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const double pos = q * double(v.size() - 1);
  const auto lo = std::size_t(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

std::pair<double, double> clopper_pearson(std::size_t k, std::size_t n) {
  if (n == 0) return {0.0, 1.0};
  const double a = 0.05;
  const double lo = k == 0 ? 0.0 : boost::math::ibeta_inv(double(k), double(n - k + 1), a / 2);
  const double hi = k == n ? 1.0 : boost::math::ibeta_inv(double(k + 1), double(n - k), 1 - a / 2);
  return {lo, hi};
}

void write_summary(const CsvTable& runs, const std::vector<double>& tolerances,
                   const std::filesystem::path& path) {
  const char* keys[] = {"estimator", "params",    "family",     "m",
                        "n",         "precision", "checkpoint", "step"};
  std::vector<std::size_t> key_cols;
  for (const char* k : keys) key_cols.push_back(runs.column(k));
  const std::size_t status = runs.column("status"), time = runs.column("time_s");
  const std::size_t rel = runs.column("rel_err");

  std::vector<std::string> order;
  std::map<std::string, std::vector<const std::vector<std::string>*>> groups;
  for (const auto& row : runs.rows) {
    std::string key;
    for (std::size_t c : key_cols) key += (c < row.size() ? row[c] : "") + '\x1f';
    auto [it, inserted] = groups.try_emplace(key);
    if (inserted) order.push_back(key);
    it->second.push_back(&row);
  }

  std::string text;
  auto add = [&](const std::string& f) {
    text += (text.empty() || text.back() == '\n' ? "" : ",") + f;
  };
  for (const char* k : keys) add(k);
  add("rows");
  add("errors");
  for (const char* m : kMetrics)
    for (const char* s : {"_median", "_p10", "_p90", "_max", "_mean"}) add(std::string(m) + s);
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
    const auto& first = *rows.front();
    for (std::size_t c : key_cols) add(c < first.size() ? csv_line_field(first[c]) : "");
    std::size_t errors = 0;
    for (const auto* r : rows) errors += (*r)[status] == "error";
    add(std::to_string(rows.size()));
    add(std::to_string(errors));
    for (const char* m : kMetrics) {
      const std::size_t c = runs.column(m);
      std::vector<double> v;
      for (const auto* r : rows)
        if ((*r)[status] != "error" && std::isfinite(parse((*r)[c]))) v.push_back(parse((*r)[c]));
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
      for (const auto* r : rows) {
        const double e = parse((*r)[rel]);
        fails += !(e <= tol);  // NaN (error rows) counts as a failure
      }
      const auto [lo, hi] = clopper_pearson(fails, rows.size());
      add(format_double(double(fails) / double(rows.size())));
      add(format_double(lo));
      add(format_double(hi));
    }
    std::vector<double> times;
    for (const auto* r : rows)
      if ((*r)[status] != "error") times.push_back(parse((*r)[time]));
    std::sort(times.begin(), times.end());
    add(format_double(quantile(times, 0.5)));
    text += '\n';
  }
  write_file_atomic(path, text);
}

}  // namespace specbench
