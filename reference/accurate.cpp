/// \file
/// The certified product kernel (see accurate.hpp). Compiled with -ffp-contract=off (see
/// CMakeLists.txt) so that no compiler contracts the TwoSum sequences into FMAs, which would
/// break their exactness.
#include "reference/accurate.hpp"

#include <cmath>
#include <limits>

namespace specbench::reference_detail {
namespace {

/// s + e = a + b exactly, s = fl(a + b) (Knuth's TwoSum, no branch, 6 flops).
inline void two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  const double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

/// The column loop, y1..y3 and abs3 already zeroed. Cloned for AVX2 + FMA machines and for the
/// baseline; both compute bit-identical results, since every operation is either exact or a
/// correctly rounded IEEE operation in a fixed order, and std::fma is exact-then-rounded on both.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void columns(
    const double* a, std::int64_t m, std::int64_t n, const double* x_hi, const double* x_lo,
    double* __restrict y1, double* __restrict y2, double* __restrict y3, double* __restrict abs3) {
  for (std::int64_t j = 0; j < n; ++j) {
    const double xh = x_hi[j], xl = x_lo[j];
    if (xh == 0 && xl == 0) continue;
    const double* __restrict col = a + j * m;
    for (std::int64_t i = 0; i < m; ++i) {
      const double p = col[i] * xh;
      const double e = std::fma(col[i], xh, -p);  // p + e = a * x_hi exactly
      const double q = col[i] * xl;
      const double f = std::fma(col[i], xl, -q);  // q + f = a * x_lo exactly
      double s1 = y1[i], s2 = y2[i], t1, ta, tb, tc;
      two_sum(s1, p, s1, t1);   // level 1
      two_sum(s2, t1, s2, ta);  // level 2
      two_sum(s2, e, s2, tb);
      two_sum(s2, q, s2, tc);
      y1[i] = s1;
      y2[i] = s2;
      y3[i] += (ta + tb) + (tc + f);  // level 3: the only rounding
      abs3[i] += (std::abs(ta) + std::abs(tb)) + (std::abs(tc) + std::abs(f));
    }
  }
}

}  // namespace

void accurate_product(const double* a, std::int64_t m, std::int64_t n, const double* x_hi,
                      const double* x_lo, AccurateVector& y) {
  const auto mu = static_cast<std::size_t>(m);
  y.y1.assign(mu, 0.0);
  y.y2.assign(mu, 0.0);
  y.y3.assign(mu, 0.0);
  y.err.assign(mu, 0.0);
  columns(a, m, n, x_hi, x_lo, y.y1.data(), y.y2.data(), y.y3.data(), y.err.data());

  // Level 3 of row i received c_j = ta + tb + tc + f for j = 1..n, each rounded twice before
  // being added (w_j = fl(fl(ta + tb) + fl(tc + f)), |w_j - c_j| <= gamma_2 sum |pieces|) and
  // then summed recursively (error <= gamma_{n-1} sum |w_j|): in all at most
  // gamma_{n+1} sum_j (|ta| + |tb| + |tc| + |f|) (Higham, Lemma 3.3). The computed abs3 of
  // 4n non-negative terms underestimates that sum by at most a factor 1 + gamma_{4n} <= 2 for
  // 4 n u < 1/2, so err = 2 gamma_{n+1} abs3 bounds it. Underflow in TwoProduct adds at most
  // 2 * 2^-1075 per column (two products).
  constexpr double u = std::numeric_limits<double>::epsilon() / 2;
  const double k = double(n + 1);
  // gamma_k = k u / (1 - k u), evaluated with a relative margin that covers its own roundings.
  const double gamma = k * u / (1 - k * u) * (1 + 1e-12);
  const double underflow = double(n) * std::numeric_limits<double>::denorm_min();
  for (std::size_t i = 0; i < mu; ++i) y.err[i] = 2 * gamma * y.err[i] + underflow;
}

}  // namespace specbench::reference_detail
