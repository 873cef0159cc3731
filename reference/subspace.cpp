/// \file
/// Certified subspace radii (see subspace.hpp).
///
/// Notation: G = A^T A (n x n), G~ its dsyrk version with ||G~ - G||_2 <= e_G (gram_bound.cpp),
/// u = 2^-53, gamma_p = p u / (1 - p u); every matrix product's rounding is bounded
/// entrywise by gamma_p |X| |Y| for an inner dimension p, whatever the order, blocking or FMA
/// (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Sec. 3.5), hence in the
/// Frobenius norm by gamma_p ||X||_F ||Y||_F. Norms below are upper bounds (norm_up).
///
///  1. eps_v >= ||V^T V - I||_2 from the computed V^T V; eps_v < 1/2 is required. X = V S^-1/2
///     (S = V^T V) is an orthonormal basis of span(V).
///  2. W = fl(G~ V): ||W - G V||_F <= (e_G + gamma_n ||G~||_F) ||V||_F =: dW.
///     B = the symmetrized fl(V^T W), an exact double matrix: ||B - V^T G V||_2 <= ||B - M~||_F +
///     gamma_n ||V||_F ||W||_F + ||V||_F dW =: dB (M~ = fl(V^T W)).
///     R = fl(W - V B): ||G V - V B||_F <= ||R||_F + gamma_{c+1} (||W||_F + ||V||_F ||B||_F) + dW
///     =: r.
///  3. alpha: lambda_min(V^T G V) > alpha PROVEN by a Cholesky of B - alpha I with error dB
///     (proves_positive_definite). Then lambda_min(X^T G X) >= alpha / (1 + eps_v) =: alpha_x
///     (X^T G X = S^-1/2 (V^T G V) S^-1/2), and lambda_c(G) >= alpha_x (Courant-Fischer): with
///     lambda_{c+1}(G) < t2 < alpha_x the top-c subspaces are unique.
///  4. Right side, Davis-Kahan sin(theta) theorem (Davis & Kahan 1970; Stewart & Sun, Matrix
///     Perturbation Theory, Thm V.3.6): G X - X (X^T G X) = P_perp G V S^-1/2 = P_perp (G V - V B)
///     S^-1/2, of norm at most r / sqrt(1 - eps_v), and the eigenvalues of X^T G X are >= alpha_x
///     while those of G outside the exact top-c subspace are < t2: sin theta_v <= r /
///     (sqrt(1 - eps_v) (alpha_x - t2)). For c = n, span(V) = R^n: sin theta_v = 0.
///  5. Left side, in two steps (the sine of the largest principal angle is the projector distance,
///     which obeys the triangle inequality for subspaces of equal dimension):
///     (a) span(U) against span(A V): for any z and any C, (I - P_U) A V z = (I - P_U)(A V - U C) z
///         and ||A V z|| >= sqrt(alpha) ||z||, so the sine is at most ||A V - U C||_2 /
///         sqrt(alpha); with C = fl(U^T fl(A V)) and the roundings of fl(A V) (gamma_n ||A||_F
///         ||V||_F) and of the difference bounded.
///     (b) span(A X) against the exact left subspace: A X z = A P X z + A (I - P) X z with P the
///         exact right projector; the first part lies in the left subspace, the second is
///         orthogonal to it with norm <= sigma_{c+1} sin theta_v < sqrt(t2) sin theta_v, and
///         ||A X z|| >= sqrt(alpha_x): the sine is at most sqrt(t2 / alpha_x) sin theta_v.
///  6. The metrics project onto the stored bases as if orthonormal; their departure (eps_v,
///     eps_u) is added to the radii.
/// Each final combination of bounds is rounded up by a (1 + 16 u) factor.

#include "reference/subspace.hpp"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace specbench::reference_detail {
namespace {

constexpr double kU = std::numeric_limits<double>::epsilon() / 2;
constexpr double kEta = std::numeric_limits<double>::denorm_min();

double gamma(double p) {
  return p * kU < 0.5 ? p * kU / (1 - p * kU) : std::numeric_limits<double>::infinity();
}

/// An upper bound of the Frobenius norm of the `len` doubles at x: the sum of squares has
/// relative error <= gamma_len, and each square may underflow by at most eta.
double norm_up(const double* x, std::size_t len) {
  double s = 0;
  for (std::size_t i = 0; i < len; ++i) s += x[i] * x[i];
  return std::sqrt(s * (1 + 2 * gamma(double(len) + 2)) + double(len) * kEta) * (1 + 4 * kU);
}

/// eps >= ||Q^T Q - I||_2 for the rows x c column-major Q, and ||Q||_F (both upper bounds).
double departure(const double* q, std::int64_t rows, int c, double& q_frob) {
  const auto cu = std::size_t(c);
  std::vector<double> s(cu * cu);
  cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, c, c, int(rows), 1.0, q, int(rows), q,
              int(rows), 0.0, s.data(), c);
  q_frob = norm_up(q, std::size_t(rows) * cu);
  double max_diag = 0;
  for (std::size_t j = 0; j < cu; ++j) {
    max_diag = std::max(max_diag, std::abs(s[j + j * cu]));
    s[j + j * cu] -= 1;  // rounded: at most u (|s_jj| + 1) per diagonal entry
  }
  return (norm_up(s.data(), s.size()) * (1 + 2 * kU) + gamma(double(rows)) * q_frob * q_frob +
          kU * (max_diag + 1) * std::sqrt(double(c))) *
         (1 + 16 * kU);
}

}  // namespace

SubspaceRadii subspace_radii(const double* a, std::int64_t m, std::int64_t n,
                             const GramProver& prover, const double* v, const double* u, int c,
                             double t2) {
  SubspaceRadii out;
  if (c < 1 || c > n || m < n || !prover.right_side()) return out;
  const auto mu = std::size_t(m), nu = std::size_t(n), cu = std::size_t(c);
  const bool whole = c == n;
  if (!whole && !(t2 >= 0)) return out;

  // 1. the right basis' departure from orthonormality
  double v_frob = 0;
  const double eps_v = departure(v, n, c, v_frob);
  if (!(eps_v < 0.5)) return out;

  // 2. W = G~ V, B, R
  std::vector<double> w(nu * cu), mt(cu * cu), b(cu * cu);
  cblas_dsymm(CblasColMajor, CblasLeft, CblasLower, int(n), c, 1.0, prover.gram().data(), int(n), v,
              int(n), 0.0, w.data(), int(n));
  const double d_w =
      (prover.gram_error() + gamma(double(n)) * prover.gram_frob()) * v_frob * (1 + 8 * kU);
  const double w_frob = norm_up(w.data(), w.size());
  cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, c, c, int(n), 1.0, v, int(n), w.data(),
              int(n), 0.0, mt.data(), c);
  for (std::size_t j = 0; j < cu; ++j)
    for (std::size_t i = 0; i < cu; ++i) b[i + j * cu] = (mt[i + j * cu] + mt[j + i * cu]) / 2;
  std::vector<double> diff(cu * cu);
  for (std::size_t i = 0; i < cu * cu; ++i) diff[i] = b[i] - mt[i];
  const double b_frob = norm_up(b.data(), b.size());
  const double d_b = (norm_up(diff.data(), diff.size()) * (1 + 2 * kU) +
                      gamma(double(n)) * v_frob * w_frob + v_frob * d_w) *
                     (1 + 16 * kU);
  std::vector<double> res(w);
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, int(n), c, c, -1.0, v, int(n), b.data(), c,
              1.0, res.data(), int(n));
  const double r =
      (norm_up(res.data(), res.size()) + gamma(double(c) + 1) * (w_frob + v_frob * b_frob) + d_w) *
      (1 + 16 * kU);

  // 3. alpha: the largest value on a ladder below B's smallest eigenvalue (a guide from dsyev)
  // for which lambda_min(V^T G V) > alpha is proven.
  std::vector<double> eig(cu), work(b);
  if (LAPACKE_dsyev(LAPACK_COL_MAJOR, 'N', 'L', c, work.data(), c, eig.data()) != 0) return out;
  const double b_min = eig[0];
  if (!(b_min > 0)) return out;
  double alpha = 0;
  double max_diag = 0;
  for (std::size_t j = 0; j < cu; ++j) max_diag = std::max(max_diag, std::abs(b[j + j * cu]));
  for (double f : {1e-14, 1e-11, 1e-8, 1e-5, 1e-3, 0.1, 0.5}) {
    const double candidate = b_min * (1 - f);
    if (!whole && !(candidate / (1 + eps_v) > t2)) break;  // would not separate from t2
    std::vector<double> shifted(b);
    for (std::size_t j = 0; j < cu; ++j) shifted[j + j * cu] -= candidate;
    // the subtraction rounds each diagonal entry by at most u (|b_jj| + alpha)
    const double err = (d_b + kU * (max_diag + candidate)) * (1 + 4 * kU);
    if (proves_positive_definite(std::move(shifted), c, err)) {
      alpha = candidate;
      break;
    }
  }
  if (!(alpha > 0)) return out;
  const double alpha_x = alpha / (1 + eps_v) * (1 - 4 * kU);

  // 4. right side
  double sin_v = 0;
  if (!whole) {
    const double sep = (alpha_x - t2) * (1 - 4 * kU);
    if (!(sep > 0)) return out;
    sin_v = r / (std::sqrt(1 - eps_v) * (1 - 4 * kU)) / sep * (1 + 8 * kU);
  }

  // 5. left side
  double u_frob = 0;
  const double eps_u = departure(u, m, c, u_frob);
  if (!(eps_u < 0.5)) return out;
  std::vector<double> y(mu * cu), coef(cu * cu);
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, int(m), c, int(n), 1.0, a, int(m), v,
              int(n), 0.0, y.data(), int(m));
  const double y_frob = norm_up(y.data(), y.size());
  const double d_y = gamma(double(n)) * std::sqrt(prover.frob2()) * v_frob * (1 + 8 * kU);
  cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, c, c, int(m), 1.0, u, int(m), y.data(),
              int(m), 0.0, coef.data(), c);
  const double coef_frob = norm_up(coef.data(), coef.size());
  std::vector<double> z(y);
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, int(m), c, c, -1.0, u, int(m), coef.data(),
              c, 1.0, z.data(), int(m));
  const double zz =
      (norm_up(z.data(), z.size()) + gamma(double(c) + 1) * (y_frob + u_frob * coef_frob) + d_y) *
      (1 + 16 * kU);
  const double sin_u_av = zz / (std::sqrt(alpha) * (1 - 4 * kU)) * (1 + 4 * kU);
  const double sin_av_exact = whole ? 0.0 : std::sqrt(t2 / alpha_x) * sin_v * (1 + 8 * kU);

  out.proven = true;
  out.v = std::min(1.0, (sin_v + eps_v) * (1 + 16 * kU));
  out.u = std::min(1.0, (sin_u_av + sin_av_exact + eps_u) * (1 + 16 * kU));
  return out;
}

}  // namespace specbench::reference_detail
