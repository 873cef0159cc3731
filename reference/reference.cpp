/// \file
/// The LAPACK reference: sigma1, sigma2 and the top singular vectors of a dense double matrix.
///
/// Driver: LAPACKE_dgesdd with JOBZ = 'S' (thin U and V^T), falling back to LAPACKE_dgesvd with
/// JOBU = JOBVT = 'S' in the rare case that divide and conquer reports non-convergence (INFO > 0).
/// Both reduce A to bidiagonal form by the same backward-stable Householder reduction, so the
/// singular values carry the same error bound (LAPACK Users' Guide, Sec. 4.9); dgesdd is the
/// fastest driver that returns vectors. dgesvdx (bisection + inverse iteration for only the two
/// requested triplets) would be cheaper in principle, but with the OpenBLAS LAPACK we link it
/// failed (INFO = 11) or corrupted the heap on an exactly rank-one 6 x 5 matrix: a reference has
/// to be robust before it is fast. The full thin SVD costs O(m n min(m, n)), the same order as the
/// bidiagonalization that every driver pays.
///
/// No I/O, timing or printing here; bad input throws std::invalid_argument, a failure of the
/// library call throws std::runtime_error.

#include "reference/reference.hpp"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace specbench {
namespace {

std::string format(double x) {
  std::ostringstream out;
  out << std::setprecision(3) << x;
  return out.str();
}

[[noreturn]] void fail_argument(const std::string& what) {
  throw std::invalid_argument("compute_reference: " + what);
}

[[noreturn]] void fail_lapack(const std::string& what) {
  throw std::runtime_error("compute_reference: LAPACK " + what);
}

}  // namespace

/// \f$ \sigma_1 = \|A\|_2 \f$ is returned as a value plus an absolute error bound,
/// \f$ |\hat\sigma_1 - \sigma_1| \le \mathrm{bound} \f$. Metrics compare an estimate with the
/// interval \f$ [\hat\sigma_1 - \mathrm{bound}, \hat\sigma_1 + \mathrm{bound}] \f$, never with the
/// bare value, so a multiprecision reference (a later issue) can replace this one by returning a
/// tighter, certified bound without changing any caller: value + bound is the stable interface.
///
/// The bound here is the LAPACK Users' Guide (Sec. 4.9) bound for the singular values computed by
/// a backward-stable SVD, \f$ |\hat\sigma_i - \sigma_i| \le p(m, n)\, \varepsilon\, \sigma_1 \f$,
/// with \f$ p(m, n) = \max(m, n) \f$: the conventional modest growth function (the Guide's p is
/// "a modestly growing function of m and n"; in practice the error is far smaller). It is not
/// certified; the multiprecision reference will replace it with a certified one. We take
/// \f$ \varepsilon = 2^{-52} \f$ (DBL_EPSILON), twice LAPACK's dlamch('E') = 2^{-53}: conservative.
///
/// Sign convention: the largest-magnitude component of v1 is positive (the first one on a tie), and
/// u1 is flipped with it, so results do not depend on the signs LAPACK happens to produce.
Reference compute_reference(const double* a, std::int64_t m, std::int64_t n) {
  // ---- validate before any work ----
  if (m < 1 || n < 1)
    fail_argument("matrix must be at least 1 x 1, got " + std::to_string(m) + " x " +
                  std::to_string(n));
  constexpr std::int64_t kMaxLapackInt = std::numeric_limits<lapack_int>::max();
  if (m > kMaxLapackInt || n > kMaxLapackInt)
    fail_argument("dimensions " + std::to_string(m) + " x " + std::to_string(n) +
                  " exceed the LAPACK index range");
  if (a == nullptr) fail_argument("matrix data is null");
  bool zero = true;
  for (std::int64_t j = 0; j < n; ++j) {
    for (std::int64_t i = 0; i < m; ++i) {
      const double x = a[i + j * m];
      if (!std::isfinite(x))
        fail_argument("matrix has a NaN or Inf entry at (" + std::to_string(i + 1) + ", " +
                      std::to_string(j + 1) + ")");
      if (x != 0) zero = false;
    }
  }

  const auto mu = std::size_t(m), nu = std::size_t(n);
  Reference r;
  r.method = "exact-zero";
  r.u1.assign(mu, 0.0);
  r.v1.assign(nu, 0.0);
  if (zero) {  // every vector is singular; return e_1, e_1 and an exact 0 (no LAPACK call)
    r.u1[0] = 1;
    r.v1[0] = 1;
    return r;
  }

  // ---- thin SVD by dgesdd (dgesvd if it does not converge); both overwrite their copy of A ----
  const std::int64_t k = std::min(m, n);
  const auto ku = std::size_t(k);
  std::vector<double> s(ku), u(mu * ku), vt(ku * nu);
  auto svd = [&](bool divide_and_conquer) {
    std::vector<double> work(a, a + mu * nu);
    if (divide_and_conquer)
      return LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', lapack_int(m), lapack_int(n), work.data(),
                            lapack_int(m), s.data(), u.data(), lapack_int(m), vt.data(),
                            lapack_int(k));
    std::vector<double> superb(ku);
    return LAPACKE_dgesvd(LAPACK_COL_MAJOR, 'S', 'S', lapack_int(m), lapack_int(n), work.data(),
                          lapack_int(m), s.data(), u.data(), lapack_int(m), vt.data(),
                          lapack_int(k), superb.data());
  };
  lapack_int info = svd(true);
  r.method = "lapack-dgesdd";
  if (info > 0) {
    info = svd(false);
    r.method = "lapack-dgesvd";
  }
  if (info != 0) fail_lapack(r.method + " failed with info = " + std::to_string(info));
  r.sigma1 = s[0];
  r.sigma2 = k >= 2 ? s[1] : 0.0;
  std::copy(u.begin(), u.begin() + std::ptrdiff_t(mu), r.u1.begin());
  for (std::size_t j = 0; j < nu; ++j) r.v1[j] = vt[j * ku];  // row 1 of V^T

  // ---- sign convention ----
  const auto big = std::size_t(cblas_idamax(int(n), r.v1.data(), 1));
  if (r.v1[big] < 0) {
    for (auto& x : r.v1) x = -x;
    for (auto& x : r.u1) x = -x;
  }

  // ---- error bound (see the function comment) ----
  constexpr double kEps = std::numeric_limits<double>::epsilon();
  r.bound = double(std::max(m, n)) * kEps * r.sigma1;

  // ---- safety net: a LAPACK driver returning info = 0 with wrong vectors is not unheard of
  // (Reference-LAPACK issue #414, for dgesvdx), so check the triplet with two gemv (O(mn),
  // negligible next to the SVD). A correct triplet has residuals of order p(m, n) eps sigma1; 1e3
  // times the bound catches garbage only.
  const bool finite =
      std::isfinite(r.sigma1) && std::isfinite(r.sigma2) && r.sigma1 >= r.sigma2 && r.sigma2 >= 0;
  if (!finite) fail_lapack(r.method + " returned invalid singular values");
  std::vector<double> av(r.u1), atu(r.v1);
  // av = A v1 - sigma1 u1; atu = A^T u1 - sigma1 v1
  cblas_dgemv(CblasColMajor, CblasNoTrans, int(m), int(n), 1.0, a, int(m), r.v1.data(), 1,
              -r.sigma1, av.data(), 1);
  cblas_dgemv(CblasColMajor, CblasTrans, int(m), int(n), 1.0, a, int(m), r.u1.data(), 1, -r.sigma1,
              atu.data(), 1);
  const double residual =
      std::max(cblas_dnrm2(int(m), av.data(), 1), cblas_dnrm2(int(n), atu.data(), 1));
  const double unit_error = std::max(std::abs(cblas_dnrm2(int(m), r.u1.data(), 1) - 1),
                                     std::abs(cblas_dnrm2(int(n), r.v1.data(), 1) - 1));
  if (!(residual <= 1e3 * r.bound) || !(unit_error <= 1e3 * double(std::max(m, n)) * kEps))
    fail_lapack(r.method + " returned an inaccurate singular triplet (residual " +
                format(residual) + ", sigma1 " + format(r.sigma1) + ")");
  return r;
}

}  // namespace specbench
