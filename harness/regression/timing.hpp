#pragma once
/// \file
/// Timing verdicts of `specbench compare`: two sets of time samples (a sweep cell over its seeds,
/// or a benchmark's repetitions) judged with noise-aware statistics (Mann-Whitney, or t-intervals
/// of the log time for few samples; harness/statistics.hpp), and a sweep's cells judged per cell,
/// per estimator (a sign test over its cells) and overall, after dividing out machine drift.

#include <string>
#include <vector>

#include "harness/regression/compare.hpp"
#include "harness/regression/finding.hpp"
#include "harness/regression/run_set.hpp"

namespace specbench::regression {

/// Timing verdict on two sample sets (seconds); kind empty if nothing to report.
Finding compare_times(const std::string& subject, const std::vector<double>& base,
                      const std::vector<double>& cur, const CompareOptions& o,
                      const std::string& rerun);

/// The timing part of a sweep comparison.
struct TimingReport {
  std::vector<Finding> findings;
  std::string rule;         ///< how timings were judged, or why not, in words
  bool judged = true;       ///< false: contended, other machines, or --timing never
  std::size_t timed = 0;    ///< cells (over seeds) compared
  double speed_factor = 1;  ///< the run's overall speed factor (1 with fewer than 10 cells)
};

/// Timings of a sweep: judged only when both sides measured alone, on the same kind of machine
/// (--timing auto), or always (--timing always) unless contended.
TimingReport compare_sweep_times(const Side& base, const RunDir& cur, const CompareOptions& o);

}  // namespace specbench::regression
