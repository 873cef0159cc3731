#include "harness/compare.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "algorithms/error.hpp"
#include "harness/output.hpp"
#include "harness/summary.hpp"

namespace specbench {
namespace {

double num(const std::string& s) {
  if (s.empty() || s == "nan") return std::numeric_limits<double>::quiet_NaN();
  try {
    return std::stod(s);
  } catch (const std::exception&) {
    return std::numeric_limits<double>::quiet_NaN();
  }
}

double median(const std::vector<double>& v) {
  return quantile(v, 0.5);
}

std::string fmt(double x) {
  std::ostringstream out;
  out.precision(4);
  out << x;
  return out.str();
}

struct Finding {
  std::string kind;     ///< REGRESSION, IMPROVEMENT, INCONCLUSIVE, MISSING, INFO
  std::string subject;  ///< what (cell key, benchmark name)
  std::string detail;   ///< numbers and the rule
  std::string rerun;    ///< the command that re-runs it
};

/// Timing verdict on two sample sets (seconds).
Finding compare_times(const std::string& subject, const std::vector<double>& base,
                      const std::vector<double>& cur, const CompareOptions& o,
                      const std::string& rerun) {
  Finding f{"", subject, "", rerun};
  const double mb = median(base), mc = median(cur);
  const double ratio = mc / mb;
  double mean = 0, sd = 0;
  for (double x : base) mean += x / double(base.size());
  for (double x : base) sd += (x - mean) * (x - mean);
  sd = base.size() > 1 ? std::sqrt(sd / double(base.size() - 1)) : 0;
  const double cv = mean > 0 ? sd / mean : 0;
  const double large = std::max(o.min_ratio, o.cv_factor * cv);
  const double noise_b = (quantile(base, 0.75) - quantile(base, 0.25)) / mb;
  const double noise_c = (quantile(cur, 0.75) - quantile(cur, 0.25)) / mc;
  bool slower = false, faster = false;
  std::string test;
  if (std::min(base.size(), cur.size()) >= std::size_t(o.min_samples)) {
    const double p_slow = mann_whitney_greater(base, cur), p_fast = mann_whitney_greater(cur, base);
    slower = p_slow < o.p_value;
    faster = p_fast < o.p_value;
    test = "Mann-Whitney p(slower) = " + fmt(p_slow);
  } else if (std::min(base.size(), cur.size()) >= 2) {
    // Few samples: 99% t-intervals of the mean log time must not overlap.
    auto interval = [](const std::vector<double>& v) {
      double m = 0, s = 0;
      for (double x : v) m += std::log(x) / double(v.size());
      for (double x : v) s += (std::log(x) - m) * (std::log(x) - m);
      s = std::sqrt(s / double(v.size() - 1));
      const boost::math::students_t t(double(v.size() - 1));
      const double h = boost::math::quantile(t, 0.995) * s / std::sqrt(double(v.size()));
      return std::pair{m - h, m + h};
    };
    const auto [bl, bh] = interval(base);
    const auto [cl, ch] = interval(cur);
    slower = cl > bh;
    faster = ch < bl;
    test = "99% intervals of log time " + std::string(slower || faster ? "disjoint" : "overlap");
  } else {
    f.kind = "INCONCLUSIVE";
    f.detail = "fewer than 2 timing samples a side";
    return f;
  }
  f.detail = "median " + fmt(mb) + " s -> " + fmt(mc) + " s (x" + fmt(ratio) + "), " + test +
             ", large means > x" + fmt(1 + large) + ", IQR/median " + fmt(noise_b) + " / " +
             fmt(noise_c);
  // Too noisy to trust either verdict: INCONCLUSIVE (not PASS, not REGRESSION), unless the
  // current median is not slower at all (identical inputs pass).
  const bool noisy = noise_b > o.noise || noise_c > o.noise;
  if (noisy && ratio > 1)
    f.kind = "INCONCLUSIVE";
  else if (slower && ratio > 1 + large)
    f.kind = "REGRESSION";
  else if (faster && 1 / ratio > 1 + large)
    f.kind = "IMPROVEMENT";
  return f;
}

bool is_json(const std::filesystem::path& p) {
  return std::filesystem::is_regular_file(p) && p.extension() == ".json";
}

/// Google Benchmark JSON: per benchmark name, the real times of its iteration runs (repetitions).
std::map<std::string, std::vector<double>> benchmark_samples(const std::filesystem::path& p) {
  nlohmann::json j;
  try {
    std::ifstream in(p);
    if (!in) throw std::runtime_error("cannot open");
    j = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw InvalidArgument(p.string() + ": not a Google Benchmark JSON file (" + e.what() + ")");
  }
  if (!j.contains("benchmarks") || !j["benchmarks"].is_array())
    throw InvalidArgument(p.string() + ": not a Google Benchmark JSON file (no 'benchmarks')");
  std::map<std::string, std::vector<double>> out;
  for (const auto& b : j["benchmarks"]) {
    if (b.value("run_type", "iteration") != "iteration") continue;  // skip aggregates
    const std::string name = b.value("run_name", b.value("name", ""));
    const double scale = b.value("time_unit", "ns") == "ns"   ? 1e-9
                         : b.value("time_unit", "ns") == "us" ? 1e-6
                         : b.value("time_unit", "ns") == "ms" ? 1e-3
                                                              : 1.0;
    out[name].push_back(b.value("real_time", 0.0) * scale);
  }
  return out;
}

void print(const std::vector<Finding>& findings, const std::string& summary, int code,
           const CompareOptions& o, std::ostream& out) {
  const char* verdict = code == kComparePass         ? "PASS"
                        : code == kCompareRegression ? "REGRESSION"
                                                     : "INCONCLUSIVE";
  if (o.format == "json") {
    nlohmann::json j = {
        {"verdict", verdict}, {"summary", summary}, {"findings", nlohmann::json::array()}};
    for (const auto& f : findings)
      j["findings"].push_back(
          {{"kind", f.kind}, {"subject", f.subject}, {"detail", f.detail}, {"rerun", f.rerun}});
    out << j.dump(2) << "\n";
    return;
  }
  if (o.format == "markdown") {
    out << "**" << verdict << "**: " << summary << "\n\n";
    if (!findings.empty()) {
      out << "| kind | subject | numbers | re-run |\n|---|---|---|---|\n";
      for (const auto& f : findings)
        out << "| " << f.kind << " | " << f.subject << " | " << f.detail << " | `" << f.rerun
            << "` |\n";
    }
    return;
  }
  for (const auto& f : findings) {
    out << f.kind << "  " << f.subject << "\n    " << f.detail << "\n";
    if (!f.rerun.empty()) out << "    re-run: " << f.rerun << "\n";
  }
  out << verdict << ": " << summary << "\n";
}

int verdict_of(const std::vector<Finding>& findings) {
  bool regression = false, inconclusive = false;
  for (const auto& f : findings) {
    regression = regression || f.kind == "REGRESSION" || f.kind == "MISSING";
    inconclusive = inconclusive || f.kind == "INCONCLUSIVE";
  }
  return regression ? kCompareRegression : inconclusive ? kCompareInconclusive : kComparePass;
}

}  // namespace

double mann_whitney_greater(const std::vector<double>& a, const std::vector<double>& b) {
  // Ranks of the pooled sample (average ranks for ties).
  std::vector<std::pair<double, int>> pooled;
  for (double x : a) pooled.push_back({x, 0});
  for (double x : b) pooled.push_back({x, 1});
  std::sort(pooled.begin(), pooled.end());
  const double n1 = double(a.size()), n2 = double(b.size()), n = n1 + n2;
  double rank_sum_b = 0, ties = 0;
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    const double rank = (double(i + 1) + double(j)) / 2, t = double(j - i);
    ties += t * t * t - t;
    for (std::size_t k = i; k < j; ++k)
      if (pooled[k].second == 1) rank_sum_b += rank;
    i = j;
  }
  const double u = rank_sum_b - n2 * (n2 + 1) / 2;  // pairs (a, b) with b > a
  const double mean = n1 * n2 / 2;
  const double var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)));
  if (var <= 0) return 1.0;
  const double z = (u - mean - 0.5) / std::sqrt(var);
  return boost::math::cdf(boost::math::complement(boost::math::normal(), z));
}

int compare_results(const std::filesystem::path& baseline, const std::filesystem::path& current,
                    const CompareOptions& o, std::ostream& out) {
  SPECBENCH_REQUIRE(o.format == "text" || o.format == "markdown" || o.format == "json",
                    "--format must be text, markdown or json, got '", o.format, "'");
  std::vector<Finding> findings;
  std::string summary;

  if (is_json(baseline) || is_json(current)) {
    // ---- Google Benchmark JSON: timing only ----
    const auto base = benchmark_samples(baseline), cur = benchmark_samples(current);
    std::size_t compared = 0;
    for (const auto& [name, samples] : base) {
      const auto it = cur.find(name);
      if (it == cur.end()) {
        findings.push_back({"MISSING", name, "in the baseline, not in the current run", ""});
        continue;
      }
      ++compared;
      Finding f = compare_times(name, samples, it->second, o,
                                "build/bench/bench_specbench --benchmark_filter='^" + name +
                                    "$' --benchmark_repetitions=10");
      if (!f.kind.empty()) findings.push_back(std::move(f));
    }
    for (const auto& [name, samples] : cur)
      if (!base.count(name))
        findings.push_back({"INFO", name, "new benchmark (not in the baseline)", ""});
    summary = std::to_string(compared) + " benchmarks compared";
    const int code = verdict_of(findings);
    print(findings, summary, code, o, out);
    return code;
  }

  // ---- sweep outputs ----
  // A result directory, or a directory of result directories (several runs of the same config:
  // their rows pooled, so that timing samples and the baseline's variability include the
  // run-to-run variation of the machine, not only the seed-to-seed one).
  auto load = [](const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::exists(dir / "runs.csv")) {
      files.push_back(dir / "runs.csv");
    } else if (std::filesystem::is_directory(dir)) {
      for (const auto& e : std::filesystem::directory_iterator(dir))
        if (std::filesystem::exists(e.path() / "runs.csv")) files.push_back(e.path() / "runs.csv");
      std::sort(files.begin(), files.end());
    }
    SPECBENCH_REQUIRE(!files.empty(), (dir / "runs.csv").string(),
                      ": cannot open (and no result directories inside ", dir.string(), ")");
    CsvTable t;
    for (const auto& path : files) {
      CsvTable one = read_csv(path);
      for (const char* c :
           {"cell", "checkpoint", "sigma", "rel_err", "u_cos_err", "v_cos_err", "time_s", "status",
            "precision", "matrix", "estimator", "params", "seed"})
        SPECBENCH_REQUIRE(one.column(c) != std::string::npos, path.string(),
                          ": not a specbench runs.csv (no column '", c, "')");
      if (t.header.empty()) t.header = one.header;
      SPECBENCH_REQUIRE(one.header == t.header, path.string(), ": other columns than ",
                        files.front().string());
      for (auto& r : one.rows) t.rows.push_back(std::move(r));
    }
    return t;
  };
  const CsvTable base = load(baseline), cur = load(current);
  auto key_of = [](const CsvTable& t, const std::vector<std::string>& r) {
    const std::size_t step = t.column("step");
    return r[t.column("cell")] + "|" + r[t.column("checkpoint")] + "|" +
           (step == std::string::npos ? "" : r[step]);
  };
  std::map<std::string, const std::vector<std::string>*> base_rows, cur_rows;
  for (const auto& r : base.rows) base_rows.emplace(key_of(base, r), &r);  // first run's rows
  for (const auto& r : cur.rows) cur_rows.emplace(key_of(cur, r), &r);
  auto rerun = [](const CsvTable& t, const std::vector<std::string>& r) {
    const std::size_t step = t.column("step");
    if (step != std::string::npos && !r[step].empty())
      return std::string("specbench run CONFIG --explain ") + r[t.column("cell")] +
             " (a drift row: step " + r[step] + ")";
    return "specbench estimate --matrix '" + r[t.column("matrix")] + "' --estimator '" +
           r[t.column("estimator")] + ":" + r[t.column("params")] + "' --precision " +
           r[t.column("precision")] + " --seed " + r[t.column("seed")];
  };

  // Accuracy: deterministic for a fixed seed and build. Tolerances (u = the precision's epsilon,
  // k = ulps): sigma |d| <= k u (|a| + |b|); rel_err |d| <= k u (|a| + |b|) + k u (a change of
  // sigma by k ulps moves rel_err by ~k u); cosine errors |d| <= k u (|a| + |b|) + 2 k u
  // sqrt(2 max(a, b)) + k u^2 (1 - cos ~ theta^2 / 2 moves by ~theta * k u).
  std::size_t compared = 0;
  for (const auto& [key, br] : base_rows) {
    const auto it = cur_rows.find(key);
    const auto& b = *br;
    if (it == cur_rows.end()) {
      findings.push_back({"MISSING",
                          b[base.column("matrix")] + " " + b[base.column("estimator")] + ":" +
                              b[base.column("params")] + " seed " + b[base.column("seed")],
                          "cell " + b[base.column("cell")] +
                              " is in the baseline, not in the "
                              "current run",
                          rerun(base, b)});
      continue;
    }
    const auto& c = *it->second;
    ++compared;
    const bool f32 = b[base.column("precision")] == "f32";
    const double u =
        f32 ? std::numeric_limits<float>::epsilon() : std::numeric_limits<double>::epsilon();
    const double k = o.ulps;
    const std::string subject = b[base.column("matrix")] + " " + b[base.column("estimator")] + ":" +
                                b[base.column("params")] + " " + b[base.column("precision")] +
                                " seed " + b[base.column("seed")];
    const std::string bs = b[base.column("status")], cs = c[cur.column("status")];
    if (bs != cs) {
      findings.push_back({bs == "error" ? "IMPROVEMENT" : "REGRESSION", subject,
                          "status " + bs + " -> " + cs, rerun(cur, c)});
      continue;
    }
    if (bs == "error") continue;
    for (const char* col : {"sigma", "rel_err", "u_cos_err", "v_cos_err"}) {
      const double x = num(b[base.column(col)]), y = num(c[cur.column(col)]);
      if (std::isnan(x) && std::isnan(y)) continue;
      double tol = k * u * (std::abs(x) + std::abs(y));
      if (std::string(col) == "rel_err") tol += k * u;
      if (std::string(col) != "sigma" && std::string(col) != "rel_err")
        tol += 2 * k * u * std::sqrt(2 * std::max(std::abs(x), std::abs(y))) + k * u * u;
      if (!(std::abs(x - y) <= tol))
        findings.push_back({"REGRESSION", subject,
                            std::string(col) + " " + fmt(x) + " -> " + fmt(y) + " (|change| " +
                                fmt(std::abs(x - y)) + " > tolerance " + fmt(tol) + ")",
                            rerun(cur, c)});
    }
  }
  for (const auto& [key, cr] : cur_rows)
    if (!base_rows.count(key))
      findings.push_back(
          {"INFO", (*cr)[cur.column("matrix")] + " " + (*cr)[cur.column("estimator")],
           "cell " + (*cr)[cur.column("cell")] + " is new (not in the baseline)", ""});

  // Timing: samples are the cells that differ only by seed (replicates of the same work).
  auto timing_groups = [&](const CsvTable& t) {
    std::map<std::string, std::pair<std::vector<double>, const std::vector<std::string>*>> g;
    const std::size_t step = t.column("step");
    for (const auto& r : t.rows) {
      if (r[t.column("status")] == "error") continue;
      const std::string key =
          r[t.column("matrix")] + " " + r[t.column("estimator")] + ":" + r[t.column("params")] +
          " " + r[t.column("precision")] +
          (step != std::string::npos && !r[step].empty() ? " step " + r[step] : "");
      auto& e = g[key];
      e.first.push_back(num(r[t.column("time_s")]));
      e.second = &r;
    }
    return g;
  };
  const auto tb = timing_groups(base), tc = timing_groups(cur);
  // The run's overall speed factor: machine drift between two runs (frequency, neighbours on a
  // shared host) moves every cell alike; a regression in one estimator moves its cells only.
  std::vector<double> ratios;
  for (const auto& [key, samples] : tb) {
    const auto it = tc.find(key);
    if (it != tc.end()) ratios.push_back(median(it->second.first) / median(samples.first));
  }
  // Only with enough cells is their median a machine factor rather than the cells themselves.
  const double global = ratios.size() >= 10 ? median(ratios) : 1.0;
  std::size_t timed = 0;
  for (const auto& [key, samples] : tb) {
    const auto it = tc.find(key);
    if (it == tc.end()) continue;
    ++timed;
    std::vector<double> scaled = it->second.first;
    for (double& x : scaled) x /= global;
    Finding f = compare_times(key, samples.first, scaled, o, rerun(cur, *it->second.second));
    if (!f.kind.empty()) {
      f.detail += " (current times divided by the run's speed factor " + fmt(global) + ")";
      findings.push_back(std::move(f));
    }
  }
  if (global > 1 + o.global_ratio)
    findings.push_back({"REGRESSION", "every cell",
                        "the run is x" + fmt(global) + " slower overall (median over " +
                            std::to_string(ratios.size()) + " cells), above x" +
                            fmt(1 + o.global_ratio),
                        ""});
  else if (global < 1 / (1 + o.global_ratio))
    findings.push_back(
        {"IMPROVEMENT", "every cell", "the run is x" + fmt(1 / global) + " faster overall", ""});
  summary = std::to_string(compared) + " rows compared for accuracy, " + std::to_string(timed) +
            " cells (over seeds) for timing, overall speed factor x" + fmt(global);
  const int code = verdict_of(findings);
  print(findings, summary, code, o, out);
  return code;
}

}  // namespace specbench
