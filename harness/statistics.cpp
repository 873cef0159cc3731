#include "harness/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <limits>

namespace specbench {

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const double pos = q * double(v.size() - 1);
  const auto lo = std::size_t(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

std::pair<double, double> clopper_pearson(std::size_t k, std::size_t n) {
  if (n == 0) return {0.0, 1.0};
  const double a = 0.05;
  const double lo = k == 0 ? 0.0 : boost::math::ibeta_inv(double(k), double(n - k + 1), a / 2);
  const double hi = k == n ? 1.0 : boost::math::ibeta_inv(double(k + 1), double(n - k), 1 - a / 2);
  return {lo, hi};
}

double median(std::vector<double> values) {
  return quantile(std::move(values), 0.5);
}

double mann_whitney_greater(const std::vector<double>& a, const std::vector<double>& b) {
  // Ranks of the pooled sample (average ranks for ties).
  std::vector<std::pair<double, int>> pooled;
  for (double x : a) pooled.push_back({x, 0});
  for (double x : b) pooled.push_back({x, 1});
  std::sort(pooled.begin(), pooled.end());
  const double n1 = double(a.size()), n2 = double(b.size()), n = n1 + n2;
  double rank_sum_b = 0, ties = 0;
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    const double rank = (double(i + 1) + double(j)) / 2, t = double(j - i);
    ties += t * t * t - t;
    for (std::size_t k = i; k < j; ++k)
      if (pooled[k].second == 1) rank_sum_b += rank;
    i = j;
  }
  const double u = rank_sum_b - n2 * (n2 + 1) / 2;  // pairs (a, b) with b > a
  const double mean = n1 * n2 / 2;
  const double var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)));
  if (var <= 0) return 1.0;
  const double z = (u - mean - 0.5) / std::sqrt(var);
  return boost::math::cdf(boost::math::complement(boost::math::normal(), z));
}

}  // namespace specbench
