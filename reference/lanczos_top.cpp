#include "reference/lanczos_top.hpp"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace specbench::reference_detail {
namespace {

/// x <- (I - Q Q^T)^2 x for the rows x k column-major Q (classical Gram-Schmidt twice: "twice is
/// enough", Giraud, Langou & Rozloznik 2005).
void reorthogonalize(const double* q, std::int64_t rows, std::int64_t k, double* x,
                     std::vector<double>& h) {
  if (k == 0) return;
  h.resize(std::size_t(k));
  for (int pass = 0; pass < 2; ++pass) {
    cblas_dgemv(CblasColMajor, CblasTrans, int(rows), int(k), 1.0, q, int(rows), x, 1, 0.0,
                h.data(), 1);
    cblas_dgemv(CblasColMajor, CblasNoTrans, int(rows), int(k), -1.0, q, int(rows), h.data(), 1,
                1.0, x, 1);
  }
}

/// SVD of the k x k upper bidiagonal (alpha, beta): the singular values (decreasing), the left
/// singular vectors P (k x k column-major) and all right singular vectors, Q^T row by row in qt
/// (dbdsqr, starting from identities).
std::vector<double> svd_of_bidiagonal(const std::vector<double>& alpha,
                                      const std::vector<double>& beta, std::int64_t k,
                                      std::vector<double>& p, std::vector<double>& qt) {
  const auto ku = std::size_t(k);
  std::vector<double> d(alpha.begin(), alpha.begin() + k), e(std::max<std::size_t>(ku, 1), 0.0);
  std::copy(beta.begin(), beta.begin() + (k - 1), e.begin());
  std::vector<double> left(ku * ku, 0.0), right_t(ku * ku, 0.0);
  for (std::size_t i = 0; i < ku; ++i) left[i + i * ku] = right_t[i + i * ku] = 1;
  const lapack_int info = LAPACKE_dbdsqr(LAPACK_COL_MAJOR, 'U', lapack_int(k), lapack_int(k),
                                         lapack_int(k), 0, d.data(), e.data(), right_t.data(),
                                         lapack_int(k), left.data(), lapack_int(k), nullptr, 1);
  if (info != 0)
    throw std::runtime_error("compute_reference: LAPACK dbdsqr failed with info = " +
                             std::to_string(info));
  p = std::move(left);
  qt = std::move(right_t);
  d.resize(ku);
  return d;
}

}  // namespace

DoubleTriplet lanczos_top_triplet(const double* a, std::int64_t m, std::int64_t n) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  // Breakdown: a new Lanczos vector at rounding level is an exact zero in exact arithmetic. The
  // rounding of a computed product A x, ||x|| = 1, is at most gamma_N || |A| |x| || <= gamma_N
  // ||A||_F (Higham Sec. 3.5, N = max(m, n)), so N eps ||A||_F bounds it.
  double frob2 = 0;  // ||A||_F^2 by columns (A is scaled: no overflow)
  for (std::int64_t j = 0; j < n; ++j) {
    const double c = cblas_dnrm2(int(m), a + j * m, 1);
    frob2 += c * c;
  }
  const double tiny = double(std::max(m, n)) * eps * std::sqrt(frob2);
  const std::int64_t kmax = std::min(m, n);
  // Stop when the recurrence's residual estimate is 1e-4 of rounding level. The computed vectors
  // cannot be more accurate than rounding, but that rounding noise is spread over all singular
  // directions, where the refinement's power steps remove it quickly (certify.hpp); what they
  // cannot remove quickly are components along sigma_2, sigma_3, ... close to sigma_1, and
  // those are what Lanczos converges: converging them far below rounding is cheap here.
  // The second Ritz pair to 1e-8 theta_1: theta_2 is then within ~1e-16 / gap of a singular
  // value (Ritz values converge quadratically, Parlett Thm. 11.7.1), the reported sigma2.
  constexpr double kConverged = 1e-4, kConverged2 = 1e-8;
  std::vector<double> ub, vb, alpha, beta, h, p, qt, theta;
  ub.reserve(std::size_t(m) * std::size_t(std::min<std::int64_t>(kmax, 256)));

  // v_1: Gaussian from a fixed seed (Boost's mt19937_64 and normal_distribution are specified
  // bit for bit), normalized.
  boost::random::mt19937_64 rng(0x5eed);
  boost::random::normal_distribution<double> normal;
  vb.resize(std::size_t(n));
  for (auto& x : vb) x = normal(rng);
  cblas_dscal(int(n), 1.0 / cblas_dnrm2(int(n), vb.data(), 1), vb.data(), 1);

  DoubleTriplet out;
  std::int64_t next_check = 1, top_converged_at = 0;
  double theta2_before = -1;
  for (std::int64_t j = 1; j <= kmax; ++j) {
    const std::int64_t c = j - 1;
    double* vj = vb.data() + c * n;
    ub.resize(std::size_t(j * m));
    double* uj = ub.data() + c * m;
    // u_j = A v_j - beta_{j-1} u_{j-1}, reorthogonalized
    cblas_dgemv(CblasColMajor, CblasNoTrans, int(m), int(n), 1.0, a, int(m), vj, 1, 0.0, uj, 1);
    if (j > 1) cblas_daxpy(int(m), -beta.back(), uj - m, 1, uj, 1);
    reorthogonalize(ub.data(), m, c, uj, h);
    alpha.push_back(cblas_dnrm2(int(m), uj, 1));
    bool breakdown = alpha.back() <= tiny;
    if (breakdown) {
      alpha.back() = 0;
      std::fill(uj, uj + m, 0.0);
      beta.push_back(0);
    } else {
      cblas_dscal(int(m), 1.0 / alpha.back(), uj, 1);
      // r = A^T u_j - alpha_j v_j, reorthogonalized; v_{j+1} = r / beta_j
      vb.resize(std::size_t((j + 1) * n));
      vj = vb.data() + c * n;
      double* r = vj + n;
      cblas_dgemv(CblasColMajor, CblasTrans, int(m), int(n), 1.0, a, int(m), uj, 1, 0.0, r, 1);
      cblas_daxpy(int(n), -alpha.back(), vj, 1, r, 1);
      reorthogonalize(vb.data(), n, j, r, h);
      beta.push_back(cblas_dnrm2(int(n), r, 1));
      if (beta.back() <= tiny) {
        beta.back() = 0;
        breakdown = true;
      } else {
        cblas_dscal(int(n), 1.0 / beta.back(), r, 1);
      }
    }
    // Ritz residual ||A^T u - sigma v|| = beta_j |p_j| (A V_j = U_j B_j exactly, and
    // A^T U_j = V_j B_j^T + beta_j v_{j+1} e_j^T). Checked at geometrically spaced steps, since
    // each check is an SVD of B_j with vectors.
    if (breakdown || j == kmax || j >= next_check) {
      theta = svd_of_bidiagonal(alpha, beta, j, p, qt);
      const auto ju = std::size_t(j);
      out.sigma = theta[0];
      out.residual = std::abs(beta.back() * p[ju - 1]);
      out.residual2 = j > 1 ? std::abs(beta.back() * p[(ju - 1) + ju]) : 0.0;
      out.steps = int(j);
      next_check = std::max(j + 1, std::int64_t(double(j) * 1.2));
      if (breakdown || j == kmax) break;
      if (out.residual <= kConverged * eps * theta[0]) {
        if (top_converged_at == 0) top_converged_at = j;
        // theta_2 converged, or stagnant (a cluster below sigma1: its value is still right to
        // ~ residual2^2 / gap), or twice the steps the top pair took.
        const bool second = out.residual2 <= kConverged2 * theta[0] ||
                            std::abs(theta[1] - theta2_before) <= 4 * eps * theta[0] ||
                            j >= 2 * top_converged_at;
        if (second) break;
      }
      theta2_before = j > 1 ? theta[1] : -1;
    }
  }
  const std::int64_t k = out.steps;
  // Ritz vectors V_k Q(:, 1:count): Q^T is k x k column-major, so Q(:, c) is row c of Q^T.
  out.ritz_count =
      int(std::count_if(theta.begin(), theta.begin() + std::min<std::int64_t>(k, kMaxRitz),
                        [&](double t) { return t >= kRitzFraction * theta[0]; }));
  out.ritz_v.assign(std::size_t(n) * std::size_t(out.ritz_count), 0.0);
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, int(n), out.ritz_count, int(k), 1.0,
              vb.data(), int(n), qt.data(), int(k), 0.0, out.ritz_v.data(), int(n));
  out.ritz_values = std::move(theta);
  return out;
}

}  // namespace specbench::reference_detail
