#include "harness/regression/timing.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <map>
#include <set>

#include "harness/regression/environment.hpp"
#include "harness/statistics.hpp"

namespace specbench::regression {
namespace {

/// The coefficient of variation (sample standard deviation / mean) of the samples.
double coefficient_of_variation(const std::vector<double>& v) {
  double mean = 0, sd = 0;
  for (double x : v) mean += x / double(v.size());
  for (double x : v) sd += (x - mean) * (x - mean);
  sd = v.size() > 1 ? std::sqrt(sd / double(v.size() - 1)) : 0;
  return mean > 0 ? sd / mean : 0;
}

/// IQR / median.
double iqr_ratio(const std::vector<double>& v, double med) {
  return (quantile(v, 0.75) - quantile(v, 0.25)) / med;
}

/// Few samples: the 99% t-interval of the mean log time.
std::pair<double, double> log_interval(const std::vector<double>& v) {
  double m = 0, s = 0;
  for (double x : v) m += std::log(x) / double(v.size());
  for (double x : v) s += (std::log(x) - m) * (std::log(x) - m);
  s = std::sqrt(s / double(v.size() - 1));
  const boost::math::students_t t(double(v.size() - 1));
  const double h = boost::math::quantile(t, 0.995) * s / std::sqrt(double(v.size()));
  return {m - h, m + h};
}

/// Whether the current samples are significantly slower or faster, and the test in words.
struct Significance {
  bool slower = false, faster = false;
  std::string test;
};

/// Mann-Whitney with enough samples a side, else non-overlapping 99% intervals of the log time
/// (needs at least 2 a side). Records the p-values in f.numbers.
Significance significance(const std::vector<double>& base, const std::vector<double>& cur,
                          const CompareOptions& o, Finding& f) {
  Significance s;
  if (std::min(base.size(), cur.size()) >= std::size_t(o.min_samples)) {
    const double p_slow = mann_whitney_greater(base, cur), p_fast = mann_whitney_greater(cur, base);
    s.slower = p_slow < o.p_value;
    s.faster = p_fast < o.p_value;
    s.test = "Mann-Whitney p(slower) = " + fmt(p_slow);
    f.numbers["p_value"] = jnum(p_slow);
    f.numbers["p_value_faster"] = jnum(p_fast);
    return s;
  }
  // Few samples: 99% t-intervals of the mean log time must not overlap.
  const auto [bl, bh] = log_interval(base);
  const auto [cl, ch] = log_interval(cur);
  s.slower = cl > bh;
  s.faster = ch < bl;
  s.test =
      "99% intervals of log time " + std::string(s.slower || s.faster ? "disjoint" : "overlap");
  return s;
}

}  // namespace

Finding compare_times(const std::string& subject, const std::vector<double>& base,
                      const std::vector<double>& cur, const CompareOptions& o,
                      const std::string& rerun) {
  Finding f{.category = "timing", .subject = subject, .rerun = rerun};
  const double mb = median(base), mc = median(cur);
  const double ratio = mc / mb;
  const double large = std::max(o.min_ratio, o.cv_factor * coefficient_of_variation(base));
  const double noise_b = iqr_ratio(base, mb), noise_c = iqr_ratio(cur, mc);
  f.numbers = {{"baseline", jnum(mb)},
               {"current", jnum(mc)},
               {"ratio", jnum(ratio)},
               {"tolerance", jnum(1 + large)},
               {"baseline_samples", base.size()},
               {"current_samples", cur.size()},
               {"baseline_iqr_ratio", jnum(noise_b)},
               {"current_iqr_ratio", jnum(noise_c)}};
  const std::size_t fewest = std::min(base.size(), cur.size());
  if (fewest < std::size_t(o.min_samples) && fewest < 2) {
    f.kind = "INCONCLUSIVE";
    f.detail = "fewer than 2 timing samples a side";
    return f;
  }
  const Significance s = significance(base, cur, o, f);
  f.detail = "median " + fmt(mb) + " s -> " + fmt(mc) + " s (x" + fmt(ratio) + "), " + s.test +
             ", large means > x" + fmt(1 + large) + ", IQR/median " + fmt(noise_b) + " / " +
             fmt(noise_c);
  // A large slowdown that is not significant, or significant but measured on noisy samples
  // (IQR/median above --noise on either side), is INCONCLUSIVE: neither PASS nor REGRESSION.
  // A median that moved less than the "large" threshold passes, noisy or not.
  const bool noisy = noise_b > o.noise || noise_c > o.noise;
  if (ratio > 1 + large)
    f.kind = s.slower && !noisy ? "REGRESSION" : "INCONCLUSIVE";
  else if (s.faster && !noisy && 1 / ratio > 1 + large)
    f.kind = "IMPROVEMENT";
  return f;
}

namespace {

/// Whether timings can be judged at all; if not, why (and, for contended runs, a finding).
void timing_gate(const Side& base, const nlohmann::json& cm, const CompareOptions& o,
                 TimingReport& t) {
  // A pool is contended if any of its runs is.
  std::string bmode = timing_mode(base.meta());
  for (const RunDir& r : base.runs)
    if (timing_mode(r.meta) == "contended") bmode = "contended";
  const std::string cmode = timing_mode(cm);
  if (o.timing == "never") {
    t.judged = false;
    t.rule = "not judged (--timing never)";
  } else if (bmode == "contended" || cmode == "contended") {
    t.judged = false;
    const std::string who = bmode == "contended" && cmode == "contended" ? "both runs"
                            : bmode == "contended"                       ? "the baseline"
                                                                         : "the current run";
    t.rule = "not judged: " + who +
             " measured times while other cells ran (--jobs > 1 without [sweep] timing): "
             "rerun with --jobs 1 or a timing phase";
    t.findings.push_back({.kind = "INCONCLUSIVE",
                          .category = "timing",
                          .subject = "every cell",
                          .detail = "timings " + t.rule});
  } else if (o.timing == "auto") {
    // Every run of a baseline pool must match the current machine.
    std::set<std::string> names;
    for (const RunDir& r : base.runs) {
      for (const auto& e : environment(r.meta, cm))
        if (e.timing_relevant && !e.same()) names.insert(e.what);
      if (r.meta.value("threads", 1) != cm.value("threads", 1)) names.insert("--threads");
    }
    std::string differs;
    for (const auto& n : names) differs += (differs.empty() ? "" : ", ") + n;
    if (!differs.empty()) {
      t.judged = false;
      t.rule = "not judged: the machines differ (" + differs +
               "), so times would measure the machine, not the code (use a baseline from "
               "this machine, or --timing always)";
    }
  }
}

/// Per timing group (matrix, estimator:params, precision, step): the times of its rows over
/// seeds (replicates of the same work), and one of its rows.
struct Group {
  std::vector<double> times;
  const Row* row = nullptr;
};
using Groups = std::map<std::string, Group>;

Groups groups_of(const std::vector<const RunDir*>& runs) {
  Groups g;
  for (const RunDir* run : runs)
    for (const RunRow& rr : run->rows) {
      const Row& r = rr.row;
      if (r.status == RunStatus::Error || !std::isfinite(r.time_s)) continue;
      const std::string key = r.matrix + " " + r.estimator + ":" + r.params + " " + r.precision +
                              (r.step < 0 ? "" : " step " + step_text(r));
      auto& e = g[key];
      e.times.push_back(r.time_s);
      e.row = &r;
    }
  return g;
}

/// The groups timed on both sides: (baseline, current) pairs in key order.
std::vector<std::pair<const Group*, const Group*>> matched(const Groups& tb, const Groups& tc) {
  std::vector<std::pair<const Group*, const Group*>> out;
  for (const auto& [key, samples] : tb)
    if (const auto it = tc.find(key); it != tc.end()) out.push_back({&samples, &it->second});
  return out;
}

/// Per cell: its current times divided by the speed factor against its baseline times. Returns
/// the number of cells under --min-time (judged only within their estimator).
std::size_t judge_cells(const Groups& tb, const Groups& tc, double global, const CompareOptions& o,
                        const nlohmann::json& cm, TimingReport& t) {
  std::size_t short_cells = 0;
  for (const auto& [key, samples] : tb) {
    const auto it = tc.find(key);
    if (it == tc.end()) continue;
    ++t.timed;
    if (median(samples.times) < o.min_time) {
      ++short_cells;
      continue;
    }
    std::vector<double> scaled = it->second.times;
    for (double& x : scaled) x /= global;
    Finding f = compare_times(key, samples.times, scaled, o, rerun_of(*it->second.row, cm));
    if (!f.kind.empty()) {
      f.detail += " (current times divided by the run's speed factor " + fmt(global) + ")";
      f.numbers["speed_factor"] = jnum(global);
      t.findings.push_back(std::move(f));
    }
  }
  return short_cells;
}

/// One estimator and precision: the median of its cells' corrected time ratios, with a
/// one-sided sign test over the cells; kind empty if nothing to report.
Finding estimator_finding(const std::string& name, const std::vector<double>& ratios, double global,
                          const CompareOptions& o) {
  const double agg = median(ratios);
  const auto slower =
      std::size_t(std::count_if(ratios.begin(), ratios.end(), [](double x) { return x > 1; }));
  const auto faster =
      std::size_t(std::count_if(ratios.begin(), ratios.end(), [](double x) { return x < 1; }));
  const boost::math::binomial coin(double(ratios.size()), 0.5);
  // P(at least `k` of n cells slower | no change): the upper tail of Binomial(n, 1/2).
  auto tail = [&](std::size_t k) {
    return k == 0 ? 1.0 : boost::math::cdf(boost::math::complement(coin, double(k) - 1));
  };
  const double p_slow = tail(slower), p_fast = tail(faster);
  Finding f{.category = "timing",
            .subject = "estimator " + name + " (" + std::to_string(ratios.size()) + " cells)",
            .numbers = {{"ratio", jnum(agg)},
                        {"tolerance", jnum(1 + o.estimator_ratio)},
                        {"p_value", jnum(p_slow)},
                        {"cells", ratios.size()},
                        {"cells_slower", slower},
                        {"speed_factor", jnum(global)}}};
  f.detail = "median over its cells of the time ratio x" + fmt(agg) + " (after the speed factor " +
             fmt(global) + "), " + std::to_string(slower) + " of " + std::to_string(ratios.size()) +
             " cells slower (sign test p = " + fmt(p_slow) + "), large means > x" +
             fmt(1 + o.estimator_ratio);
  if (agg > 1 + o.estimator_ratio)
    f.kind = p_slow < o.sign_p_value ? "REGRESSION" : "INCONCLUSIVE";
  else if (1 / agg > 1 + o.estimator_ratio && p_fast < o.sign_p_value)
    f.kind = "IMPROVEMENT";
  return f;
}

/// Per estimator and precision: the median over its cells of the (speed-factor corrected)
/// ratio of medians, with a one-sided sign test over those cells. One cell's time drifts by
/// up to 1.7x between runs of identical code on a shared VM; a slowdown of the code moves
/// every cell of the estimator the same way.
void judge_estimators(const Groups& tb, const Groups& tc, double global, const CompareOptions& o,
                      TimingReport& t) {
  std::map<std::string, std::vector<double>> by_estimator;
  for (const auto& [b, c] : matched(tb, tc))
    by_estimator[c->row->estimator + " " + c->row->precision].push_back(median(c->times) / global /
                                                                        median(b->times));
  for (const auto& [name, ratios] : by_estimator) {
    // A one-sided sign test over n cells cannot go below 2^-n: n >= 7 for p < 0.01.
    if (std::ldexp(1.0, -int(std::min<std::size_t>(ratios.size(), 60))) >= o.sign_p_value) continue;
    Finding f = estimator_finding(name, ratios, global, o);
    if (!f.kind.empty()) t.findings.push_back(std::move(f));
  }
}

/// The run as a whole: a speed factor beyond 1 + --global-ratio either way.
void judge_overall(double global, std::size_t cells, const CompareOptions& o, TimingReport& t) {
  if (global > 1 + o.global_ratio)
    t.findings.push_back(
        {.kind = "REGRESSION",
         .category = "timing",
         .subject = "every cell",
         .detail = "the run is x" + fmt(global) + " slower overall (median over " +
                   std::to_string(cells) + " cells), above x" + fmt(1 + o.global_ratio),
         .numbers = {{"ratio", jnum(global)}, {"tolerance", jnum(1 + o.global_ratio)}}});
  else if (global < 1 / (1 + o.global_ratio))
    t.findings.push_back({.kind = "IMPROVEMENT",
                          .category = "timing",
                          .subject = "every cell",
                          .detail = "the run is x" + fmt(1 / global) + " faster overall",
                          .numbers = {{"ratio", jnum(global)}}});
}

}  // namespace

TimingReport compare_sweep_times(const Side& base, const RunDir& cur, const CompareOptions& o) {
  TimingReport t;
  timing_gate(base, cur.meta, o, t);
  if (!t.judged) return t;
  t.rule = "judged per cell over seeds (Mann-Whitney p < " + fmt(o.p_value) + ", slowdown > max(" +
           fmt(o.min_ratio) + ", " + fmt(o.cv_factor) + " CV)) and per estimator (median ratio > " +
           fmt(1 + o.estimator_ratio) + ", sign test p < " + fmt(o.sign_p_value) +
           "), after dividing by the run's overall speed factor";
  std::vector<const RunDir*> base_runs;
  for (const auto& r : base.runs) base_runs.push_back(&r);
  const Groups tb = groups_of(base_runs), tc = groups_of({&cur});
  // The run's overall speed factor: machine drift between two runs (frequency, neighbours on
  // a shared host) moves every cell alike; a regression in one estimator moves its cells only.
  std::vector<double> ratios;
  for (const auto& [b, c] : matched(tb, tc)) ratios.push_back(median(c->times) / median(b->times));
  // Only with enough cells is their median a machine factor rather than the cells themselves.
  t.speed_factor = ratios.size() >= 10 ? median(ratios) : 1.0;
  const std::size_t short_cells = judge_cells(tb, tc, t.speed_factor, o, cur.meta, t);
  judge_estimators(tb, tc, t.speed_factor, o, t);
  if (short_cells > 0)
    t.rule += "; " + std::to_string(short_cells) + " cells under --min-time " + fmt(o.min_time) +
              " s judged only within their estimator";
  judge_overall(t.speed_factor, ratios.size(), o, t);
  return t;
}

}  // namespace specbench::regression
