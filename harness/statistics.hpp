#pragma once
/// \file
/// The statistics of the harness, in one place: quantiles (summary.csv, compare, the timing
/// phase, history), the Clopper-Pearson interval (summary.csv, check) and the Mann-Whitney test
/// (compare).

#include <cstddef>
#include <utility>
#include <vector>

namespace specbench {

/// The q-quantile of the values by linear interpolation between order statistics (numpy's
/// default; q = 0.5 is the median); NaN for no values.
double quantile(std::vector<double> values, double q);

/// The median: quantile(values, 0.5).
double median(std::vector<double> values);

/// The 95% Clopper-Pearson interval of a binomial proportion with k successes in n trials.
std::pair<double, double> clopper_pearson(std::size_t k, std::size_t n);

/// One-sided Mann-Whitney U test that `b` tends to be larger than `a`: the p-value, from the
/// normal approximation with tie and continuity corrections (adequate for >= 9 samples a side).
double mann_whitney_greater(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace specbench
