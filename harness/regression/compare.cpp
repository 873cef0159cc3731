#include "harness/regression/compare.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/results/columns.hpp"
#include "harness/results/lock.hpp"
#include "harness/results/output.hpp"
#include "harness/results/summary.hpp"
#include "harness/statistics.hpp"

namespace specbench {
namespace {

namespace fs = std::filesystem;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string fmt(double x) {
  std::ostringstream out;
  out.precision(4);
  out << x;
  return out.str();
}

/// "a -> b" with enough digits to tell them apart (up to 17).
std::string fmt_pair(double a, double b) {
  std::ostringstream x, y;
  for (int digits = 4; digits <= 17; ++digits) {
    x.str("");
    y.str("");
    x.precision(digits);
    y.precision(digits);
    x << a;
    y << b;
    if (x.str() != y.str() || a == b) break;
  }
  return x.str() + " -> " + y.str();
}

/// JSON number, or null when not finite (JSON has no inf/nan).
nlohmann::json jnum(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

struct Finding {
  std::string kind;      ///< REGRESSION, IMPROVEMENT, CHANGED, INCONCLUSIVE, MISSING, INFO
  std::string category;  ///< accuracy, status, reference, cells, timing, benchmark
  std::string subject;   ///< what (a cell, a timing group, a benchmark)
  std::string cell;      ///< the cell key (sweeps), else empty
  std::string column;    ///< the column judged, else empty
  std::string detail;    ///< numbers and the rule, in words
  std::string rerun;     ///< the command that re-runs it
  nlohmann::json numbers = nlohmann::json::object();  ///< baseline, current, ratio, tolerance...
};

bool fails(const std::string& kind) {
  return kind == "REGRESSION" || kind == "MISSING" || kind == "CHANGED";
}

// ---- timing ----

/// Timing verdict on two sample sets (seconds); kind empty if nothing to report.
Finding compare_times(const std::string& subject, const std::vector<double>& base,
                      const std::vector<double>& cur, const CompareOptions& o,
                      const std::string& rerun) {
  Finding f{.category = "timing", .subject = subject, .rerun = rerun};
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
  f.numbers = {{"baseline", jnum(mb)},
               {"current", jnum(mc)},
               {"ratio", jnum(ratio)},
               {"tolerance", jnum(1 + large)},
               {"baseline_samples", base.size()},
               {"current_samples", cur.size()},
               {"baseline_iqr_ratio", jnum(noise_b)},
               {"current_iqr_ratio", jnum(noise_c)}};
  bool slower = false, faster = false;
  std::string test;
  if (std::min(base.size(), cur.size()) >= std::size_t(o.min_samples)) {
    const double p_slow = mann_whitney_greater(base, cur), p_fast = mann_whitney_greater(cur, base);
    slower = p_slow < o.p_value;
    faster = p_fast < o.p_value;
    test = "Mann-Whitney p(slower) = " + fmt(p_slow);
    f.numbers["p_value"] = jnum(p_slow);
    f.numbers["p_value_faster"] = jnum(p_fast);
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
  // A large slowdown that is not significant, or significant but measured on noisy samples
  // (IQR/median above --noise on either side), is INCONCLUSIVE: neither PASS nor REGRESSION.
  // A median that moved less than the "large" threshold passes, noisy or not.
  const bool noisy = noise_b > o.noise || noise_c > o.noise;
  if (ratio > 1 + large)
    f.kind = slower && !noisy ? "REGRESSION" : "INCONCLUSIVE";
  else if (faster && !noisy && 1 / ratio > 1 + large)
    f.kind = "IMPROVEMENT";
  return f;
}

bool is_json(const fs::path& p) {
  return fs::is_regular_file(p) && p.extension() == ".json";
}

/// Google Benchmark JSON: per benchmark name, the real times of its iteration runs (repetitions).
std::map<std::string, std::vector<double>> benchmark_samples(const fs::path& p) {
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
    const std::string unit = b.value("time_unit", "ns");
    const double scale = unit == "ns" ? 1e-9 : unit == "us" ? 1e-6 : unit == "ms" ? 1e-3 : 1.0;
    out[name].push_back(b.value("real_time", 0.0) * scale);
  }
  return out;
}

// ---- result directories ----

/// One runs.csv row, typed: the columns compare reads.
struct CmpRow {
  std::string matrix, estimator, params, precision, seed, step, checkpoint, cell, message;
  RunStatus status = RunStatus::MaxIterations;
  AccuracyRow acc;
  double ref_bound = 0, time_s = 0;
  long long iterations = 0;
  std::size_t line = 0;
};

/// One run directory: its meta.json and its rows.
struct RunDir {
  fs::path dir;
  nlohmann::json meta;
  std::vector<CmpRow> rows;
};

/// A side of the comparison: one run, or a pool of runs of the same config (a directory of run
/// directories), whose rows are pooled for timing; accuracy uses the first run.
struct Side {
  fs::path path;
  std::vector<RunDir> runs;
  const nlohmann::json& meta() const { return runs.front().meta; }
};

std::string key_of(const CmpRow& r) {
  return r.cell + "|" + r.checkpoint + "|" + r.step;
}

/// Whether the estimator kept its basis orthogonal with these parameters (registry metadata);
/// an estimator this specbench does not know is assumed not to.
bool keeps_orthogonality(const std::string& estimator, const std::string& params) {
  static std::map<std::string, bool> known;
  const std::string text = estimator + ":" + params;
  if (const auto it = known.find(text); it != known.end()) return it->second;
  bool orthogonal = false;
  try {
    const EstimatorChoice choice = parse_estimator_spec(text);
    orthogonal =
        !choice.info->loses_orthogonality || !choice.info->loses_orthogonality(choice.params);
  } catch (const std::exception&) {
    orthogonal = false;
  }
  return known[text] = orthogonal;
}

RunDir load_run(const fs::path& dir, const std::string& side) {
  RunDir run{.dir = dir};
  // Not while a run writes the folder (it would be read half-written): refused with the pid.
  std::unique_ptr<FolderLock> lock;
  if (fs::is_directory(dir)) lock = std::make_unique<FolderLock>(dir, FolderLock::Mode::Shared);
  const fs::path meta_path = dir / "meta.json", runs_path = dir / "runs.csv";
  try {
    std::ifstream in(meta_path);
    if (!in) throw std::runtime_error("cannot open");
    run.meta = nlohmann::json::parse(in);
    if (!run.meta.is_object()) throw std::runtime_error("not a JSON object");
  } catch (const std::exception& e) {
    throw InvalidArgument(side + " " + meta_path.string() + ": " + e.what() +
                          " (a specbench result directory has runs.csv and meta.json)");
  }
  const std::string status = run.meta.value("status", "");
  SPECBENCH_REQUIRE(status != "running", side, " ", dir.string(),
                    " is incomplete (meta.json status 'running': still running, or killed): "
                    "finish or resume it before comparing");
  SPECBENCH_REQUIRE(status != "shard complete", side, " ", dir.string(), " is shard ",
                    run.meta.value("shard", "?"),
                    " of a sweep: merge the shards (specbench merge) before comparing");
  SPECBENCH_REQUIRE(status == "complete", side, " ", meta_path.string(), ": status '", status,
                    "' (expected 'complete')");

  RunsFile t;
  try {
    t = read_runs(runs_path);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(side + " " + e.what());
  }
  SPECBENCH_REQUIRE(!t.torn, side, " ", runs_path.string(),
                    " ends in a torn line although meta.json says complete: the folder is "
                    "damaged");
  std::set<std::string> keys;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const Row& f = t.rows[i];
    const std::size_t line = t.lines[i];
    CmpRow r;
    r.line = line;
    r.matrix = f.matrix;
    r.estimator = f.estimator;
    r.params = f.params;
    r.precision = f.precision;
    r.seed = std::to_string(f.seed);
    r.step = f.step >= 0 ? std::to_string(f.step) : std::string();
    r.checkpoint = std::to_string(f.checkpoint);
    r.status = f.status;
    r.cell = f.cell;
    r.message = f.message;
    SPECBENCH_REQUIRE(r.precision == "f32" || r.precision == "f64", side, " ", runs_path.string(),
                      ":", line, ": column 'precision': '", r.precision, "'");
    SPECBENCH_REQUIRE(!r.cell.empty(), side, " ", runs_path.string(), ":", line,
                      ": empty cell key");
    r.acc.f32 = r.precision == "f32";
    if (r.status != RunStatus::Error) {
      r.acc.m = f.m;
      r.acc.n = f.n;
      r.acc.sigma = f.sigma;
      r.acc.sigma_ref = f.sigma_ref;
      r.acc.sigma2_ref = f.sigma2_ref;
      r.acc.cluster_size = f.cluster_size;
      r.acc.rel_err = f.rel_err;
      r.acc.u_cos_err = f.u_cos_err;
      r.acc.v_cos_err = f.v_cos_err;
      r.acc.residual = f.residual;
      r.acc.normalized_norm = f.normalized_norm;
      r.acc.matvecs = f.matvecs;
      r.acc.orthogonal = keeps_orthogonality(r.estimator, r.params);
      r.iterations = f.iterations;
      r.ref_bound = f.ref_bound;
      r.time_s = f.time_s;
    }
    SPECBENCH_REQUIRE(keys.insert(key_of(r)).second, side, " ", runs_path.string(), ":", line,
                      ": a second row of cell ", r.cell, " checkpoint ", r.checkpoint,
                      r.step.empty() ? "" : " step " + r.step);
    run.rows.push_back(std::move(r));
  }
  return run;
}

Side load_side(const fs::path& path, const std::string& side) {
  Side s{.path = path};
  if (fs::exists(path / "runs.csv") || fs::exists(path / "meta.json")) {
    s.runs.push_back(load_run(path, side));
    return s;
  }
  std::vector<fs::path> dirs;
  if (fs::is_directory(path))
    for (const auto& e : fs::directory_iterator(path))
      // A symlink (results/regression/latest) names a run that is in the pool already.
      if (!e.is_symlink() && fs::exists(e.path() / "runs.csv")) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  SPECBENCH_REQUIRE(!dirs.empty(), side, " ", (path / "runs.csv").string(),
                    ": cannot open (and no result directories inside ", path.string(), ")");
  for (const auto& d : dirs) s.runs.push_back(load_run(d, side));
  // A pool is several runs of ONE config: anything else is not a baseline.
  for (const auto& r : s.runs)
    SPECBENCH_REQUIRE(r.meta.value("config_hash", "") == s.meta().value("config_hash", ""), side,
                      " pool ", path.string(), " mixes configs: ", r.dir.string(), " ('",
                      r.meta.value("name", "?"), "', config_hash ",
                      r.meta.value("config_hash", "?").substr(0, 12), ") and ",
                      s.runs.front().dir.string(), " ('", s.meta().value("name", "?"),
                      "', config_hash ", s.meta().value("config_hash", "?").substr(0, 12), ")");
  return s;
}

// ---- what differs between the two sides ----

/// "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64" ->
/// {"OpenBLAS 0.3.21", "Haswell"}: the library and the kernel it chose for this CPU.
std::pair<std::string, std::string> blas_parts(const std::string& config) {
  std::istringstream in(config);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  if (words.size() < 2 || words[0] != "OpenBLAS") return {config, ""};
  std::string kernel;
  for (std::size_t k = 2; k < words.size(); ++k) {
    const std::string& w = words[k];
    if (w.starts_with("NO_") || w.starts_with("USE") || w.starts_with("MAX_") ||
        w == "DYNAMIC_ARCH" || w == "SMP" || w == "OpenMP")
      continue;
    kernel += (kernel.empty() ? "" : " ") + w;
  }
  return {words[0] + " " + words[1], kernel};
}

/// How the run's times were measured: "serial-phase", "serial" or "contended".
std::string timing_mode(const nlohmann::json& meta) {
  if (meta.contains("timing_mode") && meta["timing_mode"].is_string())
    return meta["timing_mode"].get<std::string>();
  const std::string t = meta.value("timing", "");
  if (t.starts_with("serial phase")) return "serial-phase";
  if (t.starts_with("contended")) return "contended";
  if (t.starts_with("serial")) return "serial";
  return meta.value("timing_repeats", 0) > 0 ? "serial-phase"
         : meta.value("jobs", 1) > 1         ? "contended"
                                             : "serial";
}

struct EnvLine {
  std::string what, base, cur;
  bool timing_relevant;  ///< a difference makes timings incomparable (--timing auto)
  bool same() const { return base == cur; }
};

std::vector<EnvLine> environment(const nlohmann::json& b, const nlohmann::json& c) {
  auto prov = [](const nlohmann::json& m, const char* k) {
    const auto& p = m.contains("provenance") ? m["provenance"] : nlohmann::json::object();
    if (!p.contains(k)) return std::string("?");
    return p[k].is_string() ? p[k].get<std::string>() : p[k].dump();
  };
  auto commit = [&](const nlohmann::json& m) {
    const std::string dirty = prov(m, "git_dirty");
    return prov(m, "git_commit").substr(0, 12) + (dirty == "true" ? " (dirty)" : " (clean)");
  };
  auto timing = [](const nlohmann::json& m) {
    const std::string mode = timing_mode(m);
    std::string s =
        mode == "serial-phase"
            ? "serial phase, " + std::to_string(m.value("timing_repeats", 0)) + " repeats"
        : mode == "serial"
            ? "serial (jobs 1, no timing phase)"
            : "contended (jobs " + std::to_string(m.value("jobs", 0)) + ", no timing phase)";
    return s + ", threads " + std::to_string(m.value("threads", 1));
  };
  auto config = [](const nlohmann::json& m) {
    return m.value("name", "?") + " (config_hash " + m.value("config_hash", "?").substr(0, 12) +
           ")";
  };
  const auto [bl, bk] = blas_parts(prov(b, "blas"));
  const auto [cl, ck] = blas_parts(prov(c, "blas"));
  return {
      {"git commit", commit(b), commit(c), false},
      {"BLAS library", bl, cl, true},
      {"BLAS kernel", bk, ck, true},
      {"CPU", prov(b, "cpu") + ", " + prov(b, "cores") + " cores",
       prov(c, "cpu") + ", " + prov(c, "cores") + " cores", true},
      {"compiler", prov(b, "compiler") + " " + prov(b, "build_type") + " " + prov(b, "cxx_flags"),
       prov(c, "compiler") + " " + prov(c, "build_type") + " " + prov(c, "cxx_flags"), false},
      {"host", prov(b, "hostname"), prov(c, "hostname"), false},
      {"config", config(b), config(c), false},
      {"timing", timing(b), timing(c), false},
  };
}

// ---- accuracy ----

/// Where the row would be re-run from: `specbench estimate`, with a config-relative file path
/// resolved against the folder of the config the run was made from.
std::string rerun_of(const CmpRow& r, const nlohmann::json& meta) {
  if (!r.step.empty())
    return "specbench run " + meta.value("config_path", std::string("CONFIG")) + " --explain " +
           r.cell + " (a drift row: step " + r.step + ")";
  std::string matrix = r.matrix;
  if (matrix.starts_with("mtx:")) {
    const fs::path file = matrix.substr(4);
    const fs::path config = meta.value("config_path", std::string());
    if (file.is_relative() && !config.empty())
      matrix = "mtx:" + (config.parent_path() / file).lexically_normal().string();
  }
  return "specbench estimate --matrix '" + matrix + "' --estimator '" + r.estimator + ":" +
         r.params + "' --precision " + r.precision + " --seed " + r.seed;
}

std::string subject_of(const CmpRow& r) {
  return r.matrix + " " + r.estimator + ":" + r.params + " " + r.precision + " seed " + r.seed;
}

/// CmpRow-level verdicts, aggregated per cell, column and kind: one line each.
class Aggregate {
 public:
  struct Entry {
    std::string kind, category, column, subject, cell, rerun;
    std::size_t flagged = 0, rows = 0;
    double worst = -1;  ///< |change| / tolerance of the worst row
    double base = 0, cur = 0, tol = 0;
    std::string checkpoint, step, note;
  };

  void add(const std::string& kind, const std::string& category, const std::string& column,
           const CmpRow& b, const CmpRow& c, double base, double cur, double tol,
           const std::string& rerun, std::size_t rows_in_cell, const std::string& note = "") {
    const std::string k = c.cell + "|" + column + "|" + kind;
    auto [it, inserted] = entries_.try_emplace(k);
    Entry& e = it->second;
    if (inserted) {
      order_.push_back(k);
      e = {.kind = kind,
           .category = category,
           .column = column,
           .subject = subject_of(b),
           .cell = c.cell,
           .rerun = rerun,
           .rows = rows_in_cell};
    }
    ++e.flagged;
    const double change = std::abs(cur - base);
    const double score = tol > 0 ? change / tol : (change > 0 ? kInf : 0);
    if (score > e.worst || e.flagged == 1) {
      e.worst = score;
      e.subject = subject_of(c);
      e.base = base;
      e.cur = cur;
      e.tol = tol;
      e.checkpoint = c.checkpoint;
      e.step = c.step;
      e.rerun = rerun;
      e.note = note;
    }
  }

  std::vector<Finding> findings() const {
    std::vector<Finding> out;
    for (const auto& k : order_) {
      const Entry& e = entries_.at(k);
      Finding f{.kind = e.kind,
                .category = e.category,
                .subject = e.subject,
                .cell = e.cell,
                .column = e.column,
                .rerun = e.rerun};
      const std::string where =
          "checkpoint " + e.checkpoint + (e.step.empty() ? "" : " step " + e.step);
      if (e.category == "status") {
        f.detail = "status " + e.note + " at " + std::to_string(e.flagged) + " of " +
                   std::to_string(e.rows) + " rows (first at " + where + ")";
      } else {
        f.detail =
            e.column + ": " + std::to_string(e.flagged) + " of " + std::to_string(e.rows) +
            " rows beyond tolerance; worst at " + where + ": " + fmt_pair(e.base, e.cur) +
            " (|change| " + fmt(std::abs(e.cur - e.base)) +
            (e.tol > 0 ? ", " + fmt(e.worst) + "x the tolerance " + fmt(e.tol) : ", tolerance 0") +
            ")" + (e.note.empty() ? "" : "; " + e.note);
      }
      f.numbers = {{"baseline", jnum(e.base)},
                   {"current", jnum(e.cur)},
                   {"ratio", jnum(e.base != 0 ? e.cur / e.base : (e.cur == 0 ? 1.0 : kInf))},
                   {"tolerance", jnum(e.tol)},
                   {"change_over_tolerance", jnum(e.worst)},
                   {"rows_flagged", e.flagged},
                   {"rows", e.rows},
                   {"checkpoint", e.checkpoint},
                   {"step", e.step}};
      out.push_back(std::move(f));
    }
    return out;
  }

 private:
  std::map<std::string, Entry> entries_;
  std::vector<std::string> order_;
};

void print(const std::vector<Finding>& findings, const std::vector<EnvLine>& env,
           const nlohmann::json& header, const std::string& summary, int code,
           const CompareOptions& o, std::ostream& out) {
  const char* verdict = code == kComparePass         ? "PASS"
                        : code == kCompareRegression ? "REGRESSION"
                                                     : "INCONCLUSIVE";
  std::map<std::string, int> counts;
  for (const char* k : {"REGRESSION", "MISSING", "CHANGED", "INCONCLUSIVE", "IMPROVEMENT", "INFO"})
    counts[k] = 0;
  for (const auto& f : findings) ++counts[f.kind];
  std::string count_text;
  for (const char* k : {"REGRESSION", "MISSING", "CHANGED", "INCONCLUSIVE", "IMPROVEMENT", "INFO"})
    count_text += (count_text.empty() ? "" : ", ") + std::to_string(counts[k]) + " " + k;

  if (o.format == "json") {
    nlohmann::json j = header;
    j["verdict"] = verdict;
    j["exit_code"] = code;
    j["summary"] = summary;
    j["counts"] = counts;
    j["environment"] = nlohmann::json::array();
    for (const auto& e : env)
      j["environment"].push_back(
          {{"what", e.what}, {"baseline", e.base}, {"current", e.cur}, {"same", e.same()}});
    j["findings"] = nlohmann::json::array();
    for (const auto& f : findings)
      j["findings"].push_back({{"kind", f.kind},
                               {"category", f.category},
                               {"subject", f.subject},
                               {"cell", f.cell},
                               {"column", f.column},
                               {"detail", f.detail},
                               {"rerun", f.rerun},
                               {"numbers", f.numbers}});
    out << j.dump(2) << "\n";
    return;
  }
  const bool md = o.format == "markdown";
  // What differs first: it decides how to read everything below.
  if (md && !env.empty()) {
    out << "- baseline: " << header.value("baseline", "")
        << "\n- current: " << header.value("current", "") << "\n\n";
    out << "| | baseline | current | |\n|---|---|---|---|\n";
    for (const auto& e : env)
      out << "| " << e.what << " | " << e.base << " | " << e.cur << " | "
          << (e.same() ? "same" : "**differs**") << " |\n";
    out << "\n";
  } else if (!env.empty()) {
    std::size_t width = 0;
    for (const auto& e : env) width = std::max(width, e.what.size());
    out << "baseline: " << header.value("baseline", "")
        << "\ncurrent:  " << header.value("current", "") << "\n";
    out << "what differs:\n";
    bool any = false;
    for (const auto& e : env)
      if (!e.same()) {
        any = true;
        out << "  " << e.what << std::string(width - e.what.size() + 2, ' ') << e.base << "  ->  "
            << e.cur << "\n";
      }
    if (!any) out << "  nothing recorded\n";
    out << "the same:\n";
    for (const auto& e : env)
      if (e.same())
        out << "  " << e.what << std::string(width - e.what.size() + 2, ' ') << e.base << "\n";
  }
  for (const char* k : {"accuracy_rule", "timing_rule"})
    if (header.contains(k))
      out << (md ? "- " : "") << (std::string(k) == "accuracy_rule" ? "accuracy: " : "timing: ")
          << header[k].get<std::string>() << "\n";
  out << "\n";
  if (md) {
    if (!findings.empty()) {
      out << "| kind | subject | numbers | re-run |\n|---|---|---|---|\n";
      for (const auto& f : findings)
        out << "| " << f.kind << " | " << f.subject << (f.cell.empty() ? "" : " [" + f.cell + "]")
            << " | " << f.detail << " | " << (f.rerun.empty() ? "" : "`" + f.rerun + "`") << " |\n";
      out << "\n";
    }
    out << "**" << verdict << "**: " << summary << "; " << count_text << "\n";
    return;
  }
  for (const auto& f : findings) {
    out << f.kind << "  " << f.subject << (f.cell.empty() ? "" : "  [cell " + f.cell + "]")
        << "\n    " << f.detail << "\n";
    if (!f.rerun.empty()) out << "    re-run: " << f.rerun << "\n";
  }
  out << verdict << ": " << summary << "; " << count_text << "\n";
}

int verdict_of(const std::vector<Finding>& findings) {
  bool regression = false, inconclusive = false;
  for (const auto& f : findings) {
    regression = regression || fails(f.kind);
    inconclusive = inconclusive || f.kind == "INCONCLUSIVE";
  }
  return regression ? kCompareRegression : inconclusive ? kCompareInconclusive : kComparePass;
}

int compare_benchmarks(const fs::path& baseline, const fs::path& current, const CompareOptions& o,
                       std::ostream& out) {
  std::vector<Finding> findings;
  const auto base = benchmark_samples(baseline), cur = benchmark_samples(current);
  std::size_t compared = 0;
  for (const auto& [name, samples] : base) {
    const auto it = cur.find(name);
    if (it == cur.end()) {
      findings.push_back({.kind = "MISSING",
                          .category = "benchmark",
                          .subject = name,
                          .detail = "in the baseline, not in the current run"});
      continue;
    }
    ++compared;
    Finding f = compare_times(name, samples, it->second, o,
                              "build/bench/bench_specbench --benchmark_filter='^" + name +
                                  "$' --benchmark_repetitions=10");
    f.category = "benchmark";
    if (!f.kind.empty()) findings.push_back(std::move(f));
  }
  for (const auto& [name, samples] : cur)
    if (!base.count(name))
      findings.push_back({.kind = "INFO",
                          .category = "benchmark",
                          .subject = name,
                          .detail = "new benchmark (not in the baseline)"});
  const int code = verdict_of(findings);
  const nlohmann::json header = {{"baseline", baseline.string()}, {"current", current.string()}};
  print(findings, {}, header, std::to_string(compared) + " benchmarks compared", code, o, out);
  return code;
}

}  // namespace

AccuracyTolerance accuracy_tolerance(const AccuracyRow& a, const AccuracyRow& b, double ulps) {
  // Unit roundoff of the working precision (2^-24, 2^-53) and machine epsilon (one ulp of 1).
  const double u = a.f32 ? 0x1p-24 : 0x1p-53, eps = 2 * u;
  const double big_n = double(std::max(a.m, a.n)),
               r = double(std::max<long long>(1, std::min(a.m, a.n)));
  // gamma_N = N u / (1 - N u) bounds the relative rounding error of a length-N dot product
  // (Higham, ASNA, Lemma 3.1); past N u = 1/2 nothing is resolvable.
  const double gamma = big_n * u < 0.5 ? big_n * u / (1 - big_n * u) : kInf;
  // Both runs' products are exact for A + E, ||E||_2 <= ||E||_F <= gamma_N || |A| ||_F =
  // gamma_N ||A||_F <= gamma_N sqrt(r) ||A||_2; the two runs differ by at most twice that.
  const double eta = 2 * gamma * std::sqrt(r);
  // The direction of the iterate: every product adds a perturbation of relative size <= eta;
  // before convergence they add up at most linearly in the products, after it they are damped
  // by the gap (Wedin: a perturbation E of A moves the top singular vectors by an angle of at
  // most ||E|| / (sigma1 - sigma2)). A cluster (cluster_size > 1) has no usable gap here.
  const double products = double(std::max<long long>({1, a.matvecs, b.matvecs}));
  double amplification = products;
  const double g = a.sigma_ref > 0 ? a.sigma2_ref / a.sigma_ref : 0;
  if (a.cluster_size <= 1 && b.cluster_size <= 1 && g < 1)
    amplification = std::min(products, 1 / (1 - g));
  const double theta = eta * amplification;
  // The vectors of an estimator that loses orthogonality (see the header): sqrt(eta) instead.
  const double theta_vectors =
      a.orthogonal && b.orthogonal ? theta : std::max(theta, std::sqrt(eta) * amplification);
  const double sigma1 = std::max(std::abs(a.sigma_ref), std::numeric_limits<double>::min());
  auto ulp_floor = [&](double x, double y) {
    return ulps * eps * std::max(std::abs(x), std::abs(y));
  };
  // phi ~ sqrt(2 c): the angle of the iterate from the top singular vectors, from its cosine
  // errors (the true angle acos(1 - c), or asin(sqrt(c)) for a cluster, is at most 1.11 sqrt(2 c)
  // for c in [0, 1]; the factor 2 below covers that).
  // (fmax: a NaN column must not shrink the tolerance.)
  const double c_max = std::fmax(
      std::fmax(std::fmax(a.u_cos_err, a.v_cos_err), std::fmax(b.u_cos_err, b.v_cos_err)), 0.0);
  const double phi = std::sqrt(2 * std::min(c_max, 1.0));
  // sigma = ||A x|| (or u^T A v) for unit x at angle phi from v1: Weyl (eta sigma1) for the
  // perturbed matrix, plus the quotient's sensitivity to the direction. ||A x|| is Lipschitz in
  // the angle with constant sigma1, and stationary at v1: |d sigma| <= sigma1 (phi dphi +
  // dphi^2) to second order; 2 phi theta + theta^2 covers both (phi <= 1.11 sqrt(2 c)), and
  // theta alone once phi >= 1/2.
  const double sigma_noise = sigma1 * (eta + 2 * phi * theta + theta * theta);
  AccuracyTolerance t{};
  t.eta = eta;
  t.theta = theta_vectors;
  t.sigma = std::max(ulp_floor(a.sigma, b.sigma), sigma_noise);
  t.rel_err = std::max(ulp_floor(a.rel_err, b.rel_err), sigma_noise / sigma1);
  // normalized_norm = sigma1 / sigma: d nn = nn^2 d sigma / sigma1.
  const double nn = std::max(std::abs(a.normalized_norm), std::abs(b.normalized_norm));
  t.normalized_norm =
      std::max(ulp_floor(a.normalized_norm, b.normalized_norm), nn * nn * sigma_noise / sigma1);
  // Cosine errors: c = 1 - cos(psi) (or sin^2(psi) to a cluster's subspace); |dc/dpsi| <=
  // 2 sqrt(c) for both, so a change of the angle by theta moves c by <= 2 sqrt(c) theta + theta^2.
  auto cosine = [&](double x, double y) {
    const double c = std::fmax(std::fmax(x, y), 0.0);
    return std::max(ulp_floor(x, y),
                    2 * std::sqrt(c) * theta_vectors + theta_vectors * theta_vectors);
  };
  t.u_cos_err = cosine(a.u_cos_err, b.u_cos_err);
  t.v_cos_err = cosine(a.v_cos_err, b.v_cos_err);
  // residual = sqrt(||A v - s u||^2 + ||A^T u - s v||^2) / sigma1: moving u, v by theta and s by
  // d sigma changes each norm by <= (sigma1 + s) theta + d sigma; plus the harness's own double
  // products (relative error <= gamma_N(double) sqrt(r) each, two of them).
  const double gamma64 = big_n * 0x1p-53 / (1 - big_n * 0x1p-53);
  t.residual = std::max(ulp_floor(a.residual, b.residual),
                        4 * theta_vectors + 2 * sigma_noise / sigma1 + 4 * gamma64 * std::sqrt(r));
  return t;
}

int compare_results(const fs::path& baseline, const fs::path& current, const CompareOptions& o,
                    std::ostream& out) {
  SPECBENCH_REQUIRE(o.format == "text" || o.format == "markdown" || o.format == "json",
                    "--format must be text, markdown or json, got '", o.format, "'");
  SPECBENCH_REQUIRE(o.timing == "auto" || o.timing == "always" || o.timing == "never",
                    "--timing must be auto, always or never, got '", o.timing, "'");
  SPECBENCH_REQUIRE(o.p_value > 0 && o.p_value < 1, "--p-value must be in (0, 1), got ", o.p_value);
  for (const auto& [name, value] : {std::pair{"--ulps", o.ulps},
                                    {"--min-ratio", o.min_ratio},
                                    {"--cv-factor", o.cv_factor},
                                    {"--noise", o.noise},
                                    {"--estimator-ratio", o.estimator_ratio},
                                    {"--global-ratio", o.global_ratio},
                                    {"--min-time", o.min_time}})
    SPECBENCH_REQUIRE(std::isfinite(value) && value >= 0, name,
                      " must be a finite number >= 0, got ", value);
  if (is_json(baseline) || is_json(current)) return compare_benchmarks(baseline, current, o, out);

  // ---- the two sides, and whether they are comparable at all (else exit 2) ----
  const Side base = load_side(baseline, "baseline"), cur = load_side(current, "current");
  SPECBENCH_REQUIRE(cur.runs.size() == 1, "current ", current.string(),
                    " is a directory of runs: name one run directory");
  for (const Side* side : {&base, &cur})
    for (const RunDir& r : side->runs)
      SPECBENCH_REQUIRE(!r.rows.empty(), (r.dir / "runs.csv").string(),
                        ": no rows (an empty result set cannot be compared)");
  const nlohmann::json& bm = base.meta();
  const nlohmann::json& cm = cur.meta();
  SPECBENCH_REQUIRE(
      bm.value("config_hash", "") == cm.value("config_hash", ""), "current ", current.string(),
      " is a run of another config than the baseline: '", cm.value("name", "?"), "' (config_hash ",
      cm.value("config_hash", "?").substr(0, 12), ") vs '", bm.value("name", "?"), "' (",
      bm.value("config_hash", "?").substr(0, 12), "); regenerate the baseline for this config");
  const auto env = environment(bm, cm);
  std::vector<Finding> findings;

  // ---- accuracy ----
  const RunDir& br = base.runs.front();
  const RunDir& cr = cur.runs.front();
  std::map<std::string, const CmpRow*> cur_rows;
  for (const CmpRow& r : cr.rows) cur_rows.emplace(key_of(r), &r);
  std::map<std::string, std::size_t> rows_per_cell;
  for (const CmpRow& r : br.rows) ++rows_per_cell[r.cell];
  std::set<std::string> base_keys, missing_cells;
  Aggregate agg;
  std::size_t compared = 0;
  // A cell that failed is one error row (at checkpoint 0), however many rows it was to have:
  // such cells are matched by cell key, not row by row.
  std::map<std::string, const CmpRow*> base_failed, cur_failed;
  std::set<std::string> base_cells, cur_cells;
  for (const CmpRow& r : br.rows) {
    base_cells.insert(r.cell);
    if (r.status == RunStatus::Error) base_failed.emplace(r.cell, &r);
  }
  for (const CmpRow& r : cr.rows) {
    cur_cells.insert(r.cell);
    if (r.status == RunStatus::Error) cur_failed.emplace(r.cell, &r);
  }
  std::set<std::string> failed_cells;
  for (const auto* failed : {&base_failed, &cur_failed})
    for (const auto& [cell, row] : *failed) {
      if (!base_cells.count(cell) || !cur_cells.count(cell)) continue;  // MISSING / new below
      if (!failed_cells.insert(cell).second) continue;
      const auto bi = base_failed.find(cell), ci = cur_failed.find(cell);
      const bool b_err = bi != base_failed.end(), c_err = ci != cur_failed.end();
      if (b_err && c_err) continue;  // failed on both sides: nothing to compare
      const CmpRow& r = *row;
      Finding f{.kind = c_err ? "REGRESSION" : "IMPROVEMENT",
                .category = "status",
                .subject = subject_of(r),
                .cell = cell,
                .column = "status",
                .detail = c_err ? "the cell now fails: " + ci->second->message
                                : "the cell failed in the baseline (" + bi->second->message +
                                      ") and now runs",
                .rerun = rerun_of(r, cm)};
      findings.push_back(std::move(f));
    }
  // Reference intervals: one check per matrix and precision.
  std::set<std::string> refs_checked;
  for (const CmpRow& b : br.rows) {
    base_keys.insert(key_of(b));
    if (failed_cells.count(b.cell)) continue;
    const auto it = cur_rows.find(key_of(b));
    if (it == cur_rows.end()) {
      if (missing_cells.insert(b.cell).second)
        findings.push_back({.kind = "MISSING",
                            .category = "cells",
                            .subject = subject_of(b),
                            .cell = b.cell,
                            .detail = "rows of this cell are in the baseline, not in the current "
                                      "run",
                            .rerun = rerun_of(b, cm)});
      continue;
    }
    const CmpRow& c = *it->second;
    ++compared;
    const std::size_t rows = rows_per_cell[b.cell];
    const std::string rerun = rerun_of(c, cm);
    if (b.status != c.status) {
      const std::string kind = b.status == RunStatus::Error   ? "IMPROVEMENT"
                               : c.status == RunStatus::Error ? "REGRESSION"
                                                              : "CHANGED";
      agg.add(kind, "status", "status", b, c, 0, 0, 0, rerun, rows,
              std::string(to_string(b.status)) + " -> " + std::string(to_string(c.status)));
      continue;
    }
    if (b.status == RunStatus::Error) continue;

    // The certified references must agree within their bounds (plus the rounding of the
    // sigma_ref column to double); otherwise one of them is wrong.
    const std::string ref_key = b.matrix + "|" + b.precision + "|" + b.step;
    if (refs_checked.insert(ref_key).second) {
      const double tol = b.ref_bound + c.ref_bound +
                         0x1p-52 * std::max(std::abs(b.acc.sigma_ref), std::abs(c.acc.sigma_ref));
      if (!(std::abs(b.acc.sigma_ref - c.acc.sigma_ref) <= tol))
        agg.add("REGRESSION", "reference", "sigma_ref", b, c, b.acc.sigma_ref, c.acc.sigma_ref, tol,
                rerun, 1, "the certified intervals do not overlap: one reference is wrong");
    }

    struct Column {
      const char* name;
      double base, cur, tol;
      double base_err, cur_err;  ///< the error it measures (larger is worse)
    };
    const AccuracyTolerance t = accuracy_tolerance(b.acc, c.acc, o.ulps);
    const double s1 = c.acc.sigma_ref;
    std::vector<Column> columns = {
        {"sigma", b.acc.sigma, c.acc.sigma, t.sigma, std::abs(b.acc.sigma - s1),
         std::abs(c.acc.sigma - s1)},
        {"rel_err", b.acc.rel_err, c.acc.rel_err, t.rel_err, b.acc.rel_err, c.acc.rel_err},
        {"normalized_norm", b.acc.normalized_norm, c.acc.normalized_norm, t.normalized_norm,
         std::abs(b.acc.normalized_norm - 1), std::abs(c.acc.normalized_norm - 1)},
        {"residual", b.acc.residual, c.acc.residual, t.residual, b.acc.residual, c.acc.residual},
    };
    // The cosine errors measure the distance to a subspace whose dimension is cluster_size:
    // if that changed (LAPACK's cluster test sits on its threshold), they measure other things.
    if (b.acc.cluster_size == c.acc.cluster_size) {
      columns.push_back({"u_cos_err", b.acc.u_cos_err, c.acc.u_cos_err, t.u_cos_err,
                         b.acc.u_cos_err, c.acc.u_cos_err});
      columns.push_back({"v_cos_err", b.acc.v_cos_err, c.acc.v_cos_err, t.v_cos_err,
                         b.acc.v_cos_err, c.acc.v_cos_err});
    } else {
      agg.add("INFO", "accuracy", "cluster_size", b, c, b.acc.cluster_size, c.acc.cluster_size, 0,
              rerun, rows, "cosine errors not compared (they measure subspaces of other sizes)");
    }
    for (const Column& col : columns) {
      const bool both_nan = std::isnan(col.base) && std::isnan(col.cur);
      if (both_nan || (!o.exact && col.base == col.cur)) continue;  // equal infinities too
      const double change = std::abs(col.cur - col.base);
      const double tol = o.exact ? 0.0 : col.tol;
      const bool same_bits = std::memcmp(&col.base, &col.cur, sizeof(double)) == 0;
      if (o.exact ? same_bits : change <= tol) continue;
      std::string kind = col.cur_err > col.base_err || std::isnan(col.cur)    ? "REGRESSION"
                         : col.cur_err < col.base_err || std::isnan(col.base) ? "IMPROVEMENT"
                                                                              : "CHANGED";
      // Bit-for-bit: a smaller error is not a regression, but it is a change, and fails.
      if (o.exact && kind == "IMPROVEMENT") kind = "CHANGED";
      agg.add(kind, "accuracy", col.name, b, c, col.base, col.cur, tol, rerun, rows,
              o.exact && kind == "CHANGED"
                  ? "the error did not grow, but --exact asks for the same bits"
                  : "");
    }
    // Work counts are integers that a change of rounding order cannot change, except where a
    // stopping test decided (status converged or breakdown: Lanczos' breakdown test sits at
    // rounding level, so the step it stops at can move between machines). There a different
    // count is INFO, and the accuracy columns above judge the result.
    const bool stopped = b.status == RunStatus::Converged || b.status == RunStatus::Breakdown;
    const char* count_kind = stopped && !o.exact ? "INFO" : "CHANGED";
    if (b.iterations != c.iterations)
      agg.add(count_kind, "accuracy", "iterations", b, c, double(b.iterations),
              double(c.iterations), 0, rerun, rows,
              stopped ? "the stopping test decided where to stop" : "");
    if (b.acc.matvecs != c.acc.matvecs)
      agg.add(count_kind, "accuracy", "matvecs", b, c, double(b.acc.matvecs), double(c.acc.matvecs),
              0, rerun, rows, stopped ? "the stopping test decided where to stop" : "");
  }
  for (auto& f : agg.findings()) findings.push_back(std::move(f));
  std::set<std::string> new_cells;
  for (const CmpRow& r : cr.rows)
    if (!base_cells.count(r.cell) && new_cells.insert(r.cell).second)
      findings.push_back({.kind = "INFO",
                          .category = "cells",
                          .subject = subject_of(r),
                          .cell = r.cell,
                          .detail = "a new cell (not in the baseline)"});

  // ---- timing: judged only when both sides measured alone, on the same kind of machine ----
  std::string timing_rule;
  bool judge = true;
  // A pool is contended if any of its runs is.
  std::string bmode = timing_mode(bm);
  for (const RunDir& r : base.runs)
    if (timing_mode(r.meta) == "contended") bmode = "contended";
  const std::string cmode = timing_mode(cm);
  if (o.timing == "never") {
    judge = false;
    timing_rule = "not judged (--timing never)";
  } else if (bmode == "contended" || cmode == "contended") {
    judge = false;
    const std::string who = bmode == "contended" && cmode == "contended" ? "both runs"
                            : bmode == "contended"                       ? "the baseline"
                                                                         : "the current run";
    timing_rule = "not judged: " + who +
                  " measured times while other cells ran (--jobs > 1 without [sweep] timing): "
                  "rerun with --jobs 1 or a timing phase";
    findings.push_back({.kind = "INCONCLUSIVE",
                        .category = "timing",
                        .subject = "every cell",
                        .detail = "timings " + timing_rule});
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
      judge = false;
      timing_rule = "not judged: the machines differ (" + differs +
                    "), so times would measure the machine, not the code (use a baseline from "
                    "this machine, or --timing always)";
    }
  }
  std::size_t timed = 0;
  double global = 1.0;
  if (judge) {
    timing_rule = "judged per cell over seeds (Mann-Whitney p < " + fmt(o.p_value) +
                  ", slowdown > max(" + fmt(o.min_ratio) + ", " + fmt(o.cv_factor) +
                  " CV)) and per estimator (median ratio > " + fmt(1 + o.estimator_ratio) +
                  ", sign test p < " + fmt(o.sign_p_value) +
                  "), after dividing by the run's overall speed factor";
    // Samples are the cells that differ only by seed (replicates of the same work).
    using Groups = std::map<std::string, std::pair<std::vector<double>, const CmpRow*>>;
    auto groups_of = [](const std::vector<const RunDir*>& runs) {
      Groups g;
      for (const RunDir* run : runs)
        for (const CmpRow& r : run->rows) {
          if (r.status == RunStatus::Error || !std::isfinite(r.time_s)) continue;
          const std::string key = r.matrix + " " + r.estimator + ":" + r.params + " " +
                                  r.precision + (r.step.empty() ? "" : " step " + r.step);
          auto& e = g[key];
          e.first.push_back(r.time_s);
          e.second = &r;
        }
      return g;
    };
    std::vector<const RunDir*> base_runs;
    for (const auto& r : base.runs) base_runs.push_back(&r);
    const Groups tb = groups_of(base_runs), tc = groups_of({&cr});
    // The run's overall speed factor: machine drift between two runs (frequency, neighbours on
    // a shared host) moves every cell alike; a regression in one estimator moves its cells only.
    std::vector<double> ratios;
    for (const auto& [key, samples] : tb) {
      const auto it = tc.find(key);
      if (it != tc.end()) ratios.push_back(median(it->second.first) / median(samples.first));
    }
    // Only with enough cells is their median a machine factor rather than the cells themselves.
    global = ratios.size() >= 10 ? median(ratios) : 1.0;
    std::size_t short_cells = 0;
    for (const auto& [key, samples] : tb) {
      const auto it = tc.find(key);
      if (it == tc.end()) continue;
      ++timed;
      if (median(samples.first) < o.min_time) {
        ++short_cells;
        continue;
      }
      std::vector<double> scaled = it->second.first;
      for (double& x : scaled) x /= global;
      Finding f = compare_times(key, samples.first, scaled, o, rerun_of(*it->second.second, cm));
      if (!f.kind.empty()) {
        f.detail += " (current times divided by the run's speed factor " + fmt(global) + ")";
        f.numbers["speed_factor"] = jnum(global);
        findings.push_back(std::move(f));
      }
    }
    // Per estimator and precision: the median over its cells of the (speed-factor corrected)
    // ratio of medians, with a one-sided sign test over those cells. One cell's time drifts by
    // up to 1.7x between runs of identical code on a shared VM; a slowdown of the code moves
    // every cell of the estimator the same way.
    std::map<std::string, std::vector<double>> by_estimator;
    for (const auto& [key, samples] : tb) {
      const auto it = tc.find(key);
      if (it == tc.end()) continue;
      const CmpRow& r = *it->second.second;
      by_estimator[r.estimator + " " + r.precision].push_back(median(it->second.first) / global /
                                                              median(samples.first));
    }
    for (const auto& [name, ratios_e] : by_estimator) {
      // A one-sided sign test over n cells cannot go below 2^-n: n >= 7 for p < 0.01.
      if (std::ldexp(1.0, -int(std::min<std::size_t>(ratios_e.size(), 60))) >= o.sign_p_value)
        continue;
      const double agg = median(ratios_e);
      const auto slower = std::size_t(
          std::count_if(ratios_e.begin(), ratios_e.end(), [](double x) { return x > 1; }));
      const auto faster = std::size_t(
          std::count_if(ratios_e.begin(), ratios_e.end(), [](double x) { return x < 1; }));
      const boost::math::binomial coin(double(ratios_e.size()), 0.5);
      // P(at least `k` of n cells slower | no change): the upper tail of Binomial(n, 1/2).
      auto tail = [&](std::size_t k) {
        return k == 0 ? 1.0 : boost::math::cdf(boost::math::complement(coin, double(k) - 1));
      };
      const double p_slow = tail(slower), p_fast = tail(faster);
      Finding f{.category = "timing",
                .subject = "estimator " + name + " (" + std::to_string(ratios_e.size()) + " cells)",
                .numbers = {{"ratio", jnum(agg)},
                            {"tolerance", jnum(1 + o.estimator_ratio)},
                            {"p_value", jnum(p_slow)},
                            {"cells", ratios_e.size()},
                            {"cells_slower", slower},
                            {"speed_factor", jnum(global)}}};
      f.detail = "median over its cells of the time ratio x" + fmt(agg) +
                 " (after the speed "
                 "factor " +
                 fmt(global) + "), " + std::to_string(slower) + " of " +
                 std::to_string(ratios_e.size()) + " cells slower (sign test p = " + fmt(p_slow) +
                 "), large means > x" + fmt(1 + o.estimator_ratio);
      if (agg > 1 + o.estimator_ratio)
        f.kind = p_slow < o.sign_p_value ? "REGRESSION" : "INCONCLUSIVE";
      else if (1 / agg > 1 + o.estimator_ratio && p_fast < o.sign_p_value)
        f.kind = "IMPROVEMENT";
      if (!f.kind.empty()) findings.push_back(std::move(f));
    }
    if (short_cells > 0)
      timing_rule += "; " + std::to_string(short_cells) + " cells under --min-time " +
                     fmt(o.min_time) + " s judged only within their estimator";
    if (global > 1 + o.global_ratio)
      findings.push_back(
          {.kind = "REGRESSION",
           .category = "timing",
           .subject = "every cell",
           .detail = "the run is x" + fmt(global) + " slower overall (median over " +
                     std::to_string(ratios.size()) + " cells), above x" + fmt(1 + o.global_ratio),
           .numbers = {{"ratio", jnum(global)}, {"tolerance", jnum(1 + o.global_ratio)}}});
    else if (global < 1 / (1 + o.global_ratio))
      findings.push_back({.kind = "IMPROVEMENT",
                          .category = "timing",
                          .subject = "every cell",
                          .detail = "the run is x" + fmt(1 / global) + " faster overall",
                          .numbers = {{"ratio", jnum(global)}}});
  }

  const std::string accuracy_rule =
      o.exact ? "bit-for-bit (--exact): any change of an accuracy column fails"
              : "changes beyond the rounding-noise tolerance (at least " + fmt(o.ulps) +
                    " ulps; README 'the tolerance rules') fail; smaller errors are improvements";
  auto describe = [](const Side& s) {
    std::size_t rows = 0;
    for (const auto& r : s.runs) rows += r.rows.size();
    return s.path.string() + " (" +
           (s.runs.size() > 1 ? "a pool of " + std::to_string(s.runs.size()) + " runs, " : "") +
           std::to_string(rows) + " rows, status complete)";
  };
  const nlohmann::json header = {{"baseline", describe(base)},     {"current", describe(cur)},
                                 {"accuracy_rule", accuracy_rule}, {"timing_rule", timing_rule},
                                 {"timing_judged", judge},         {"speed_factor", jnum(global)}};
  const std::string summary = std::to_string(compared) + " rows compared for accuracy, " +
                              std::to_string(timed) + " cells (over seeds) for timing";
  const int code = verdict_of(findings);
  print(findings, env, header, summary, code, o, out);
  return code;
}

}  // namespace specbench
