#pragma once
/// \file
/// `specbench compare`: regressions between two result sets (sweep directories, or Google
/// Benchmark JSON files), with deterministic accuracy and noise-aware timing rules.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace specbench {

struct CompareOptions {
  double ulps = 4;          ///< accuracy tolerance in units of the precision's epsilon
  double p_value = 0.002;   ///< Mann-Whitney one-sided significance level
  int min_samples = 9;      ///< below this per side: non-overlapping 99% intervals instead
  double min_ratio = 0.10;  ///< a slowdown must exceed max(min_ratio, cv_factor * CV_base)
  double cv_factor = 3;
  double noise = 0.10;  ///< IQR / median above this on either side: INCONCLUSIVE
  /// Sweeps: per-cell times are judged after dividing by the run's overall speed factor (the
  /// median over cells of the ratio of medians, with at least 10 cells), which absorbs machine
  /// drift between runs; a factor above 1 + global_ratio is itself a regression.
  double global_ratio = 0.5;
  std::string format = "text";  ///< text, markdown or json
};

/// Exit codes of `specbench compare`.
inline constexpr int kComparePass = 0, kCompareRegression = 1, kCompareInconclusive = 3;

/// Compares `current` against `baseline` (both sweep output directories, or both Google
/// Benchmark JSON files) and prints the verdict; returns kComparePass, kCompareRegression or
/// kCompareInconclusive. Unreadable or malformed inputs throw InvalidArgument (exit 2).
int compare_results(const std::filesystem::path& baseline, const std::filesystem::path& current,
                    const CompareOptions& options, std::ostream& out);

/// One-sided Mann-Whitney U test that `b` tends to be larger than `a`: the p-value, from the
/// normal approximation with tie and continuity corrections (adequate for >= 9 samples a side).
double mann_whitney_greater(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace specbench
