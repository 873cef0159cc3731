#pragma once
/// \file
/// Internal to sweep/: the serial timing phase ([sweep] timing = { repeats = R }, R >= 1).

#include <vector>

#include "harness/sweep/sweep.hpp"

namespace specbench {

/// With other cells running, the accuracy run's times measure contention, not the estimator:
/// the plain cell `run` runs again on `problem`, alone: one warm-up, then `repeats` timed runs;
/// each row's time_s becomes their median at its checkpoint and time_spread (max - min) /
/// median. Drift rows and failed cells keep their accuracy-run times.
void retime_cell(const Problem& problem, const RunSpec& run, int repeats, int threads,
                 std::vector<Row>& rows);

}  // namespace specbench
