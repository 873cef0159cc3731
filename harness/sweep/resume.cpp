// Resume: what an output folder already holds for a plan, and its repair before a run.
#include "harness/sweep/resume.hpp"

#include <fstream>
#include <map>
#include <string>

#include "core/error.hpp"
#include "harness/provenance.hpp"
#include "harness/results/columns.hpp"
#include "harness/results/meta.hpp"
#include "harness/results/output.hpp"

namespace specbench {
namespace {

const std::string kAdvice = "; use --fresh to start over, or another --out";

nlohmann::json read_meta(const std::filesystem::path& meta_path) {
  try {
    return read_meta_file(meta_path);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(e.what() + kAdvice);
  }
}

/// Only a run of this config, by this build on this machine, is continued: other rows would not
/// be comparable with the ones added now.
void require_same_run(const nlohmann::json& meta, const SweepPlan& plan,
                      const std::filesystem::path& output) {
  const std::string name = meta.value("name", "");
  if (name != plan.name)
    throw InvalidArgument(output.string() + " holds a run of config '" + name + "' (" +
                          meta.value("config_path", "?") + "), not of '" + plan.name + "'" +
                          kAdvice);
  const auto now = provenance();
  const std::pair<const char*, const char*> same[] = {{"git_commit", "specbench commit"},
                                                      {"git_dirty", "working tree dirty flag"},
                                                      {"blas", "BLAS library and kernel"},
                                                      {"hostname", "host"}};
  for (const auto& [key, what] : same) {
    const auto then = meta.value("/provenance"_json_pointer / key, std::string());
    const auto here = now.value(key, std::string());
    if (then != here)
      throw InvalidArgument(output.string() + " was written with " + what + " '" + then +
                            "', this is '" + here + "': its rows may not be comparable" + kAdvice);
  }
}

/// Counts the rows of each cell: a cell with all its rows is done (its rows kept), one with
/// fewer was cut by a kill (its rows dropped, the cell redone).
void count_rows(const SweepPlan& plan, const RunsFile& table,
                const std::filesystem::path& runs_path, ResumeState& state) {
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < plan.runs.size(); ++r) index[plan.runs[r].cell] = r;
  std::map<std::size_t, std::size_t> counts;
  for (std::size_t k = 0; k < table.rows.size(); ++k) {
    const Row& row = table.rows[k];
    const auto it = index.find(row.cell);
    if (it == index.end())
      throw InvalidArgument(
          runs_path.string() + ":" + std::to_string(table.lines[k]) +
          ": a row of a cell this config does not have (" + row.matrix + ", " + row.estimator +
          ", cell " + row.cell +
          "): the config, a matrix file it names or a plug-in's code changed since it was written" +
          kAdvice);
    ++counts[it->second];
  }
  for (const auto& [r, n] : counts) {
    if (n == plan.runs[r].rows) {
      state.done[r] = 1;
      ++state.done_cells;
      state.kept_rows += n;
    } else {
      state.dropped_rows += n;  // an incomplete cell (killed mid-write): redone
    }
  }
  for (const Row& row : table.rows)
    if (state.done[index.at(row.cell)]) state.kept.push_back(row);
}

}  // namespace

ResumeState inspect_output(const SweepPlan& plan, const std::filesystem::path& output) {
  ResumeState state;
  state.done.assign(plan.runs.size(), 0);
  const auto runs_path = output / "runs.csv";
  if (!std::filesystem::exists(runs_path)) return state;
  state.exists = true;
  RunsFile table;
  try {
    table = read_runs(runs_path);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string(e.what()) + kAdvice);
  }
  // Rows of this build would not fit under an older header (no `counted_by`).
  if (table.legacy)
    throw InvalidArgument(runs_path.string() +
                          ":1: written by an older specbench (no counted_by column)" + kAdvice);
  // Without meta.json nothing says which config, commit, BLAS or host wrote the rows: the
  // checks of require_same_run cannot be made, so the folder is not resumed.
  const auto meta_path = output / "meta.json";
  if (!std::filesystem::exists(meta_path) && !std::filesystem::is_symlink(meta_path))
    throw InvalidArgument(output.string() +
                          " has runs.csv but no meta.json: nothing says which "
                          "config, specbench commit, BLAS and host wrote its rows, so it cannot "
                          "be resumed" +
                          kAdvice);
  nlohmann::json meta = read_meta(meta_path);
  require_same_run(meta, plan, output);
  state.previous_meta = std::move(meta);
  count_rows(plan, table, runs_path, state);
  state.torn = table.torn;
  return state;
}

ResumeState prepare_output(const SweepPlan& plan, const SweepOptions& options,
                           const std::filesystem::path& output) {
  if (options.fresh) {
    for (const char* name : {"runs.csv", "summary.csv", "meta.json", "compare.md", "compare.json"})
      std::filesystem::remove(output / name);
    std::filesystem::remove_all(output / "figures");
    ResumeState state;
    state.done.assign(plan.runs.size(), 0);
    return state;
  }
  ResumeState state = inspect_output(plan, output);
  if (state.exists && (state.dropped_rows > 0 || state.torn)) {
    // The writer is canonical: each kept line comes back as it was.
    write_runs_file(output / "runs.csv", state.kept);
  }
  return state;
}

}  // namespace specbench
