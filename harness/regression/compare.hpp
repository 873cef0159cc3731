#pragma once
/// \file
/// `specbench compare`: regressions between two result sets (sweep directories, or Google
/// Benchmark JSON files). Accuracy is judged against the noise that a change of rounding order
/// (another BLAS kernel, compiler or CPU) can cause, derived in tolerance.hpp and in the README
/// ("Regression tracking: the tolerance rules"); timing with noise-aware statistics, and only
/// when both sides were timed alone on the same kind of machine.
///
/// The pieces, one concern each: run_set (loading runs), tolerance (the rounding-noise rules),
/// accuracy (rows against their tolerances), timing (noise-aware statistics), environment (what
/// differs between the machines), benchmarks (Google Benchmark JSON) and report (text, Markdown,
/// JSON).

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "harness/regression/tolerance.hpp"  // AccuracyRow, accuracy_tolerance
#include "harness/statistics.hpp"

namespace specbench {

struct CompareOptions {
  double ulps = 4;     ///< every accuracy tolerance is at least this many ulps of the value
  bool exact = false;  ///< bit-for-bit: any change of an accuracy column fails
  /// auto: judge timings only if both sides ran on the same CPU model, core count and BLAS
  /// (library and kernel), else say why they are not judged; always; never.
  std::string timing = "auto";
  double p_value = 0.002;   ///< Mann-Whitney one-sided significance level
  int min_samples = 9;      ///< below this per side: non-overlapping 99% intervals instead
  double min_ratio = 0.10;  ///< a slowdown must exceed max(min_ratio, cv_factor * CV_base)
  double cv_factor = 3;
  double noise = 0.10;  ///< IQR / median above this on either side: INCONCLUSIVE, not REGRESSION
  /// Per estimator and precision: a median time ratio over its cells above 1 + this, with a
  /// sign test over the cells at p < sign_p_value, is a regression.
  double estimator_ratio = 0.20;
  double sign_p_value = 0.01;
  /// Sweeps: cells whose baseline median time is below this many seconds get no verdict of their
  /// own (they still count in the estimator and run rules): below ~1 ms a single preemption on a
  /// shared VM moves a cell by 2x (measured: README, "The scheduled regression job").
  double min_time = 1e-3;
  /// Sweeps: per-cell times are judged after dividing by the run's overall speed factor (the
  /// median over cells of the ratio of medians, with at least 10 cells), which absorbs machine
  /// drift between runs; a factor above 1 + global_ratio is itself a regression.
  double global_ratio = 0.5;
  std::string format = "text";  ///< text, markdown or json
};

/// Exit codes of `specbench compare` (2, a harness error, is an InvalidArgument thrown).
inline constexpr int kComparePass = 0, kCompareRegression = 1, kCompareInconclusive = 3;

/// Compares `current` against `baseline` (both sweep output directories, or both Google
/// Benchmark JSON files) and prints what differs between them and the verdict; returns
/// kComparePass, kCompareRegression or kCompareInconclusive. Unreadable or malformed inputs, a
/// run that is not complete, runs of different configs (or a baseline pool mixing configs)
/// throw InvalidArgument (exit 2): a harness error is never a regression.
int compare_results(const std::filesystem::path& baseline, const std::filesystem::path& current,
                    const CompareOptions& options, std::ostream& out);

}  // namespace specbench
