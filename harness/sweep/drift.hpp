#pragma once
/// \file
/// Internal to sweep/: drift groups (see Drift in sweep.hpp).

#include <cstddef>
#include <vector>

#include "harness/results/sink.hpp"
#include "harness/sweep/executor.hpp"
#include "harness/sweep/sweep.hpp"

namespace specbench {

/// Runs a drift group (runs sharing a matrix, a precision and a drift): every run steps through
/// the same W_0, W_1, ..., W_steps with its own state, one row per step. Each step's reference
/// goes to `sinks`. A step whose problem cannot be built, and every step after it, is an error
/// row for every run.
CellRows run_drift_group(const SweepPlan& plan, const std::vector<std::size_t>& runs, int threads,
                         ResultSinks& sinks);

}  // namespace specbench
