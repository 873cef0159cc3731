// `specbench merge`: the outputs of shards (or any runs of the same config and code) combined.
#include <algorithm>
#include <chrono>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "core/error.hpp"
#include "harness/provenance.hpp"
#include "harness/results/atomic_file.hpp"
#include "harness/results/columns.hpp"
#include "harness/results/lock.hpp"
#include "harness/results/meta.hpp"
#include "harness/results/output.hpp"
#include "harness/results/summary.hpp"
#include "harness/sweep/sweep.hpp"

namespace specbench {
namespace {

void require_distinct(const std::vector<std::filesystem::path>& inputs) {
  std::map<std::filesystem::path, std::filesystem::path> seen;
  for (const auto& dir : inputs) {
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(dir, ec);
    const auto [it, fresh] = seen.emplace(ec ? dir : canonical, dir);
    SPECBENCH_REQUIRE(fresh, "merge: ", dir.string(), " is given twice (also as ",
                      it->second.string(), ")");
  }
}

/// An output folder created by the merge is removed again if the merge fails.
struct RemoveIfFailed {
  std::filesystem::path dir;
  bool armed;
  ~RemoveIfFailed() {
    std::error_code ec;
    if (armed && std::uncaught_exceptions() > 0) std::filesystem::remove_all(dir, ec);
  }
};

/// "merge: PATH: cannot open ..." or "merge: PATH: not a specbench meta.json (...)".
nlohmann::json read_input_meta(const std::filesystem::path& dir) {
  try {
    return read_meta_file(dir / "meta.json");
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("merge: ") + e.what());
  }
}

/// Inputs must be runs of the same config by the same code, and finished.
void require_compatible(const nlohmann::json& meta, const nlohmann::json& first,
                        const std::filesystem::path& dir, const std::filesystem::path& first_dir) {
  if (&meta != &first) {
    SPECBENCH_REQUIRE(meta.value("config_hash", "") == first.value("config_hash", ""),
                      "merge: ", dir.string(), " was run with another config than ",
                      first_dir.string(), " (config_hash differs)");
    // (read_meta_file checked the types; a missing commit reads as "".)
    const auto commit = "/provenance/git_commit"_json_pointer;
    const std::string mine = meta.value(commit, ""), theirs = first.value(commit, "");
    SPECBENCH_REQUIRE(mine == theirs, "merge: ", dir.string(), " was written by specbench commit ",
                      mine, ", ", first_dir.string(), " by ", theirs);
  }
  SPECBENCH_REQUIRE(meta.value("status", "") != "running", "merge: ", dir.string(),
                    " is still running or was killed (status 'running'): finish or resume it");
}

RunsFile read_input_runs(const std::filesystem::path& dir) {
  RunsFile table;
  try {
    table = read_runs(dir / "runs.csv");
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("merge: ") + e.what());
  }
  SPECBENCH_REQUIRE(!table.torn, "merge: ", (dir / "runs.csv").string(),
                    " ends in a torn line (a run was killed mid-write): resume it first");
  return table;
}

/// A cell's rows as CSV without timing: timing may differ between inputs, accuracy may not.
std::string accuracy_text(const std::vector<Row>& rows) {
  std::string text;
  for (Row row : rows) {
    row.time_s = row.time_spread = 0;
    text += csv_line(row);
  }
  return text;
}

/// The cells of all inputs, each once, in order of first appearance.
struct MergedCells {
  std::vector<std::string> order;
  std::map<std::string, std::vector<Row>> rows;
  std::map<std::string, std::string> accuracy, source;

  void add(const RunsFile& table, const std::string& dir) {
    std::map<std::string, std::vector<Row>> mine;
    std::vector<std::string> mine_order;
    for (const Row& row : table.rows) {
      auto [it, inserted] = mine.try_emplace(row.cell);
      if (inserted) mine_order.push_back(row.cell);
      it->second.push_back(row);
    }
    std::set<std::string> added;
    for (auto& [cell, cell_rows] : mine) {
      const std::string text = accuracy_text(cell_rows);
      auto [it, inserted] = accuracy.emplace(cell, text);
      if (inserted) {
        rows[cell] = std::move(cell_rows);
        source[cell] = dir;
        added.insert(cell);
        continue;
      }
      // The same cell in two inputs (overlapping shards, a rerun): fine if its accuracy columns
      // are identical, kept once; a conflict means the inputs are not runs of the same thing.
      SPECBENCH_REQUIRE(it->second == text, "merge: cell ", cell, " differs between ", source[cell],
                        " and ", dir);
    }
    for (const auto& cell : mine_order)
      if (added.count(cell)) order.push_back(cell);
  }
};

/// meta.json of the merge: the first input's, with this provenance, the inputs, the references
/// of all inputs (each once) and the merged status and counts.
nlohmann::json merged_meta(const nlohmann::json& first,
                           const std::vector<std::filesystem::path>& inputs,
                           const nlohmann::json& references, const std::filesystem::path& output,
                           bool complete, const SweepSummary& summary) {
  nlohmann::json meta = first;
  meta["provenance"] = provenance();
  meta["merged_from"] = nlohmann::json::array();
  for (const auto& d : inputs) meta["merged_from"].push_back(d.string());
  meta["references"] = references;
  meta["output"] = output.string();
  meta.erase("shard");
  meta["status"] = complete ? "complete" : "partial";
  meta["rows"] = summary.rows;
  meta["errors"] = summary.errors;
  meta["finished_utc"] = utc_now();
  return meta;
}

}  // namespace

SweepSummary merge_outputs(const std::vector<std::filesystem::path>& inputs,
                           const std::filesystem::path& output, bool partial) {
  SPECBENCH_REQUIRE(!inputs.empty(), "merge: no input directories");
  require_distinct(inputs);
  const auto start = std::chrono::steady_clock::now();
  // The inputs are read under shared locks (a run still writing one is refused), the output is
  // written under an exclusive one; an output folder created here is removed again on failure.
  std::vector<std::unique_ptr<FolderLock>> locks;
  for (const auto& dir : inputs)
    if (std::filesystem::is_directory(dir))
      locks.push_back(std::make_unique<FolderLock>(dir, FolderLock::Mode::Shared));
  const RemoveIfFailed cleanup{output, !std::filesystem::exists(output)};
  std::filesystem::create_directories(output);
  locks.push_back(std::make_unique<FolderLock>(output, FolderLock::Mode::Exclusive));
  remove_stale_temporaries(output, {"runs.csv", "meta.json", "summary.csv"});  // of killed runs

  std::vector<nlohmann::json> metas;
  MergedCells cells;
  nlohmann::json references = nlohmann::json::array();
  for (const auto& dir : inputs) {
    metas.push_back(read_input_meta(dir));
    require_compatible(metas.back(), metas.front(), dir, inputs.front());
    for (const auto& ref : metas.back().value("references", nlohmann::json::array()))
      add_reference(references, ref);
    cells.add(read_input_runs(dir), dir.string());
  }
  // Complete only if every planned cell is here (all shards): otherwise refused before anything
  // is written, or with --partial written as "partial" (which compare and record refuse).
  const std::size_t planned = metas.front().value("runs", std::size_t(0));
  const bool complete = cells.order.size() >= planned;
  SPECBENCH_REQUIRE(complete || partial, "merge: the inputs hold ", cells.order.size(), " of the ",
                    planned, " planned cells: a shard is missing; give every shard, or --partial");

  std::vector<Row> rows;
  for (const auto& cell : cells.order)
    rows.insert(rows.end(), cells.rows[cell].begin(), cells.rows[cell].end());
  write_runs_file(output / "runs.csv", rows);
  SweepSummary summary;
  summary.output = output;
  summary.rows = rows.size();
  for (const Row& row : rows) summary.errors += row.status == RunStatus::Error;
  write_summary(rows, metas.front().value("tolerances", std::vector<double>{1e-2}),
                output / "summary.csv");
  const auto meta = merged_meta(metas.front(), inputs, references, output, complete, summary);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_meta(output / "meta.json", meta);
  return summary;
}

}  // namespace specbench
