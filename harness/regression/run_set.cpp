#include "harness/regression/run_set.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "core/error.hpp"
#include "harness/results/columns.hpp"
#include "harness/results/lock.hpp"
#include "harness/results/meta.hpp"
#include "harness/shell.hpp"

namespace specbench::regression {
namespace {

namespace fs = std::filesystem;

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

/// meta.json of a complete run (not running, not one shard of a sweep).
nlohmann::json read_meta(const fs::path& dir, const std::string& side) {
  const fs::path meta_path = dir / "meta.json";
  nlohmann::json meta;
  try {
    meta = read_meta_file(meta_path);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(side + " " + e.what() +
                          " (a specbench result directory has runs.csv and meta.json)");
  }
  const std::string status = meta.value("status", "");
  SPECBENCH_REQUIRE(status != "running", side, " ", dir.string(),
                    " is incomplete (meta.json status 'running': still running, or killed): "
                    "finish or resume it before comparing");
  SPECBENCH_REQUIRE(status != "shard complete", side, " ", dir.string(), " is shard ",
                    meta.value("shard", "?"),
                    " of a sweep: merge the shards (specbench merge) before comparing");
  SPECBENCH_REQUIRE(status == "complete", side, " ", meta_path.string(), ": status '", status,
                    "' (expected 'complete')");
  return meta;
}

/// The accuracy columns of a row without error.
AccuracyRow accuracy_of(const Row& f) {
  return {.f32 = f.precision == "f32",
          .m = f.m,
          .n = f.n,
          .sigma = f.sigma,
          .sigma_ref = f.sigma_ref,
          .sigma2_ref = f.sigma2_ref,
          .cluster_size = f.cluster_size,
          .rel_err = f.rel_err,
          .u_cos_err = f.u_cos_err,
          .v_cos_err = f.v_cos_err,
          .residual = f.residual,
          .normalized_norm = f.normalized_norm,
          .matvecs = f.matvecs,
          .orthogonal = keeps_orthogonality(f.estimator, f.params)};
}

/// The rows of runs.csv, each checked for what compare relies on (a precision it knows, a cell
/// key, one row per cell, checkpoint and step).
std::vector<RunRow> read_rows(const fs::path& runs_path, const std::string& side) {
  RunsFile t;
  try {
    t = read_runs(runs_path);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(side + " " + e.what());
  }
  SPECBENCH_REQUIRE(!t.torn, side, " ", runs_path.string(),
                    " ends in a torn line although meta.json says complete: the folder is "
                    "damaged");
  std::vector<RunRow> rows;
  std::set<std::string> keys;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    RunRow r{.row = std::move(t.rows[i]), .line = t.lines[i]};
    const Row& f = r.row;
    SPECBENCH_REQUIRE(f.precision == "f32" || f.precision == "f64", side, " ", runs_path.string(),
                      ":", r.line, ": column 'precision': '", f.precision, "'");
    SPECBENCH_REQUIRE(!f.cell.empty(), side, " ", runs_path.string(), ":", r.line,
                      ": empty cell key");
    r.acc.f32 = f.precision == "f32";
    if (f.status != RunStatus::Error) r.acc = accuracy_of(f);
    SPECBENCH_REQUIRE(keys.insert(key_of(f)).second, side, " ", runs_path.string(), ":", r.line,
                      ": a second row of cell ", f.cell, " checkpoint ", f.checkpoint,
                      f.step < 0 ? "" : " step " + step_text(f));
    rows.push_back(std::move(r));
  }
  return rows;
}

RunDir load_run(const fs::path& dir, const std::string& side) {
  // Not while a run writes the folder (it would be read half-written): refused with the pid.
  std::unique_ptr<FolderLock> lock;
  if (fs::is_directory(dir)) lock = std::make_unique<FolderLock>(dir, FolderLock::Mode::Shared);
  RunDir run{.dir = dir};
  run.meta = read_meta(dir, side);
  run.rows = read_rows(dir / "runs.csv", side);
  return run;
}

/// The run directories inside a pool directory, sorted.
std::vector<fs::path> pool_dirs(const fs::path& path, const std::string& side) {
  std::vector<fs::path> dirs;
  if (fs::is_directory(path))
    for (const auto& e : fs::directory_iterator(path))
      // A symlink (results/regression/latest) names a run that is in the pool already.
      if (!e.is_symlink() && fs::exists(e.path() / "runs.csv")) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  SPECBENCH_REQUIRE(!dirs.empty(), side, " ", (path / "runs.csv").string(),
                    ": cannot open (and no result directories inside ", path.string(), ")");
  return dirs;
}

}  // namespace

Side load_side(const fs::path& path, const std::string& side) {
  Side s{.path = path};
  if (fs::exists(path / "runs.csv") || fs::exists(path / "meta.json")) {
    s.runs.push_back(load_run(path, side));
    return s;
  }
  for (const auto& d : pool_dirs(path, side)) s.runs.push_back(load_run(d, side));
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

std::string step_text(const Row& r) {
  return r.step >= 0 ? std::to_string(r.step) : std::string();
}

std::string key_of(const Row& r) {
  return r.cell + "|" + std::to_string(r.checkpoint) + "|" + step_text(r);
}

std::string subject_of(const Row& r) {
  return r.matrix + " " + r.estimator + ":" + r.params + " " + r.precision + " seed " +
         std::to_string(r.seed);
}

std::string rerun_of(const Row& r, const nlohmann::json& meta) {
  // Every value shell-quoted (harness/shell.hpp): the line is meant to be pasted, and a matrix
  // file or config name may hold quotes, spaces or $(...).
  if (r.step >= 0)
    return "specbench run " + shell_quote(meta.value("config_path", std::string("CONFIG"))) +
           " --explain " + shell_quote(r.cell) + "   # a drift row: step " + step_text(r);
  std::string matrix = r.matrix;
  if (matrix.starts_with("mtx:")) {
    const fs::path file = matrix.substr(4);
    const fs::path config = meta.value("config_path", std::string());
    if (file.is_relative() && !config.empty())
      matrix = "mtx:" + (config.parent_path() / file).lexically_normal().string();
  }
  return "specbench estimate --matrix " + shell_quote(matrix) + " --estimator " +
         shell_quote(r.estimator + ":" + r.params) + " --precision " + shell_quote(r.precision) +
         " --seed " + std::to_string(r.seed);
}

}  // namespace specbench::regression
