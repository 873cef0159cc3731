#pragma once
/// \file
/// Internal to sweep/: an output folder made ready for a run.

#include <filesystem>

#include "harness/sweep/sweep.hpp"

namespace specbench {

/// With options.fresh, removes every output of a previous run from `output` (so nothing stale
/// sits beside the new) and returns an empty state. Otherwise returns inspect_output's state,
/// having rewritten runs.csv atomically without the rows of incomplete cells and a torn line.
ResumeState prepare_output(const SweepPlan& plan, const SweepOptions& options,
                           const std::filesystem::path& output);

}  // namespace specbench
