#pragma once
/// \file
/// Internal to sweep/: the plan's cells: their order, their keys, the rows each writes, and the
/// groups that share a problem.

#include <cstddef>
#include <string>
#include <vector>

#include "harness/sweep/sweep.hpp"

namespace specbench {

/// The checkpoints sorted, without repeats (a run reports each once).
std::vector<int> unique_checkpoints(std::vector<int> checkpoints);

/// The rows a run writes: one per drift step (step 0 included), else one per distinct
/// checkpoint, else one.
std::size_t planned_rows(const RunSpec& run);

/// Groups the runs by matrix, then precision, then drift, keeping config order within (stable).
void order_runs(SweepPlan& plan);

/// Sets every run's cell key and row count; throws InvalidArgument naming `config` if a cell
/// appears twice.
void assign_cell_keys(SweepPlan& plan, const std::string& config);

/// The runs (plan indices, in order) in groups that share a matrix, a precision and a drift.
std::vector<std::vector<std::size_t>> groups_of(const SweepPlan& plan,
                                                const std::vector<std::size_t>& runs);

/// Whether the run is one of the shard's (plan index % shards == shard - 1).
bool in_shard(std::size_t run, const SweepOptions& options);

/// A failed cell still writes exactly its planned rows (one per checkpoint, with that checkpoint
/// and its parameters), each a copy of the error row `like`: the cell is complete, so a resume
/// keeps it instead of rerunning it every time.
std::vector<Row> planned_error_rows(const RunSpec& run, const Row& like);

}  // namespace specbench
