/// \file
/// Cholesky proofs of eigenvalue bounds of the Gram matrix (see gram_bound.hpp).
///
/// Notation: u = 2^-53 (unit roundoff), eta = 2^-1074 (smallest subnormal), gamma_p = p u /
/// (1 - p u), N = max(m, n) the length of the Gram dot products, k = min(m, n) the order of G.
///
/// The margin c of proves_below, term by term (C = t I - G + rho x x^T exact, C~ = its
/// floating-point version, D = C~ - c I with its diagonal rounded down):
///  (i)   Gram matrix: every entry of G~ = dsyrk(A) is a dot product of length N, so
///        |G~ - G| <= gamma_N |A|^T |A| + N eta entrywise for ANY summation order, blocking or
///        FMA (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Sec. 3.1; an
///        underflowing product adds at most eta / 2), and
///        ||G~ - G||_2 <= ||G~ - G||_F <= gamma_N ||A||_F^2 + k N eta  =: e_G.
///  (ii)  Forming C~: w_ij = fl(fl(rho x_i) x_j), c~_ij = fl(w_ij - g~_ij) off the diagonal and
///        c~_jj = fl(fl(t - g~_jj) + w_jj); each entry is within gamma_3 (t delta_ij + |g~_ij| +
///        rho |x_i x_j|) of its exact value, so ||C~ - (t I - G~ + rho x x^T)||_2 <=
///        gamma_4 (t + ||G~||_F + rho ||x||^2)  =: e_F.
///  (iii) Cholesky: if floating-point Cholesky of a symmetric D runs to completion (positive
///        pivots), R^T R = D + Delta with ||Delta||_2 <= sum_j alpha_j d_jj + 6 k (2 k +
///        max_j d_jj) eta, alpha_j = (j + 2) u for row j (1-based) of a dense matrix: Rump (2006),
///        Thm 2.3 and Cor. 2.4, as INTLAB's isspd computes it ((t_j + 3) u with t_j = j - 1
///        entries left of the diagonal), valid for k < 67108861. We take alpha_j = (j + 4) u: two
///        roundings more per entry than the standard algorithm makes, which covers
///        implementations that divide by multiplying with a computed reciprocal (OpenBLAS's
///        dpotrf/dtrsm). Since d_jj <= c~_jj, the bound with c~_jj is larger still: c_R.
///  Then with c = (c_R + e_G + e_F)(1 + 16 k u) (the (1 + 16 k u) covers the roundings of
///  computing c itself, a sum of k + 4 non-negative terms): D + Delta = R^T R >= 0 and
///  D <= C~ - c I give C~ >= (c - c_R) I > (e_G + e_F) I, hence C >= C~ - (e_G + e_F) I > 0.
/// High precision: the same argument in cpp_bin_float_50 with u taken as 2^-150 (the type's
/// unit roundoff is 2^-166; the larger u covers any operation rounded less well than correctly)
/// and no underflow (its exponent range is far wider than any product of doubles needs); the
/// Gram products of doubles are exact there (106 < 166 bits), the dot products round.

#include "reference/gram_bound.hpp"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace specbench::reference_detail {
namespace {

using HP = HighPrecision;
constexpr double kU = std::numeric_limits<double>::epsilon() / 2;
constexpr double kEta = std::numeric_limits<double>::denorm_min();

double gamma(double p, double u) {
  return p * u < 0.5 ? p * u / (1 - p * u) : std::numeric_limits<double>::infinity();
}

// High-precision limits: the Gram matrix costs N k^2 / 2 and each Cholesky k^3 / 3 operations
// in cpp_bin_float_50 (~60 ns each here).
constexpr std::int64_t kHpMaxOrder = 160;
constexpr double kHpMaxGramWork = 2e7;

}  // namespace

struct GramProver::HighPrecisionGram {
  std::vector<HP> g;  ///< k x k, lower triangle
  HP e_gram;          ///< >= ||G_hp - G||_2
  HP g_frob;          ///< >= ||G_hp||_F
  HP u;               ///< the unit roundoff used in the proof
};

GramProver::GramProver(const double* a, std::int64_t m, std::int64_t n)
    : a_(a), m_(m), n_(n), k_(std::min(m, n)), right_(m >= n) {
  const auto ku = std::size_t(k_);
  g_.assign(ku * ku, 0.0);
  if (right_)  // G = A^T A
    cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, int(n), int(m), 1.0, a, int(m), 0.0,
                g_.data(), int(n));
  else  // G = A A^T
    cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, int(m), int(n), 1.0, a, int(m), 0.0,
                g_.data(), int(m));
  // ||A||_F^2 rounded up: a sum of m n squares, relative error <= gamma_{mn}, plus an underflow
  // of at most eta per square.
  const double entries = double(m) * double(n);
  double f = 0;
  for (std::size_t i = 0; i < std::size_t(m) * std::size_t(n); ++i) f += a[i] * a[i];
  frob2_ = f * (1 + 2 * gamma(entries, kU)) + entries * kEta;
  double gf = 0;
  for (std::size_t j = 0; j < ku; ++j) {
    gf += g_[j + j * ku] * g_[j + j * ku];
    for (std::size_t i = j + 1; i < ku; ++i) gf += 2 * g_[i + j * ku] * g_[i + j * ku];
  }
  g_frob_ =
      std::sqrt(gf * (1 + 2 * gamma(double(ku * ku) + 2, kU))) * (1 + 4 * kU) + double(ku) * kEta;
}

GramProver::~GramProver() = default;

double GramProver::relative_margin() const {
  // c / t for t ~ ||G||: (e_G + e_F) / t plus c_R / t <= sum_j (j + 4) u.
  const double k = double(k_), big_n = double(std::max(m_, n_));
  const double scale = std::max(g_frob_ / std::sqrt(std::max(k, 1.0)), 1e-300);
  return gamma(big_n, kU) * frob2_ / scale + 3 * gamma(4, kU) * std::sqrt(k) +
         (k * (k + 9) / 2) * kU;
}

bool proves_positive_definite(std::vector<double> c, std::int64_t k, double error) {
  // Term (iii) of the file comment: D = C~ - s I with its diagonal rounded down, s = (c_R +
  // error)(1 + 16 k u). If dpotrf factors D, D + Delta = R^T R >= 0 with ||Delta|| <= c_R, so
  // C~ >= D + s I >= (s - c_R) I and C >= C~ - error I > 0.
  if (k < 1 || k >= 67108861 - 8 || !(error >= 0) || !std::isfinite(error)) return false;
  const auto ku = std::size_t(k);
  if (c.size() != ku * ku) throw std::invalid_argument("proves_positive_definite: matrix size");
  double c_rump = 0, max_diag = 0;
  for (std::size_t j = 0; j < ku; ++j) {
    const double d = c[j + j * ku];
    if (!(d > 0)) return false;  // not positive definite as computed: nothing to prove
    c_rump += double(j + 5) * kU * d;
    max_diag = std::max(max_diag, d);
  }
  const double kk = double(ku);
  c_rump += 6 * kk * (2 * kk + max_diag) * kEta;
  const double shift = (c_rump + error) * (1 + 16 * kk * kU + 1e-15);
  for (std::size_t j = 0; j < ku; ++j) {
    // fl(c~_jj - shift) is within half an ulp of the exact difference: one step down makes it
    // no larger than the exact value.
    double& d = c[j + j * ku];
    d = std::nextafter(d - shift, -std::numeric_limits<double>::infinity());
    if (!(d > 0)) return false;
  }
  const lapack_int info =
      LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', lapack_int(ku), c.data(), lapack_int(ku));
  return info == 0;
}

bool GramProver::proves_below(double t, const double* x, double rho) {
  return proves_below(t, x, x != nullptr ? 1 : 0, rho);
}

bool GramProver::proves_below(double t, const double* x, int cols, double rho) {
  if (!(t > 0) || !std::isfinite(t) || !(rho >= 0) || !std::isfinite(rho) || cols < 0) return false;
  if (k_ >= 67108861 - 8) return false;  // beyond the range of Rump's alpha bound
  const auto ku = std::size_t(k_), cu = std::size_t(x != nullptr ? cols : 0);
  // C~ = fl(t I - G~ + rho X X^T): W = fl(rho X) X^T summed over the c columns, then one
  // subtraction (and one addition on the diagonal) per entry.
  std::vector<double> c(ku * ku, 0.0);
  double xx = 0;  // >= ||X||_F^2
  if (cu > 0) {
    std::vector<double> p(ku * cu);
    for (std::size_t i = 0; i < ku * cu; ++i) {
      p[i] = rho * x[i];
      xx += x[i] * x[i];
    }
    xx = xx * (1 + 2 * gamma(double(ku * cu), kU)) + double(ku * cu) * kEta;
    for (std::size_t l = 0; l < cu; ++l)
      for (std::size_t j = 0; j < ku; ++j) {
        const double xj = x[j + l * ku];
        for (std::size_t i = j; i < ku; ++i) c[i + j * ku] += p[i + l * ku] * xj;
      }
  }
  for (std::size_t j = 0; j < ku; ++j)
    for (std::size_t i = j; i < ku; ++i)
      c[i + j * ku] =
          i == j ? (t - g_[j + j * ku]) + c[j + j * ku] : c[i + j * ku] - g_[i + j * ku];
  // Terms (i) and (ii): ||G~ - G||_2 <= e_G, and every entry of C~ within gamma_{c+3} (t delta_ij
  // + |g~_ij| + rho sum_l |x_il x_jl|) of t I - G~ + rho X X^T (c + 1 roundings in the sum of
  // products, two more forming the entry), whose 2-norm is at most gamma_{c+3} (t + ||G~||_F +
  // rho ||X||_F^2) (a nonnegative matrix's 2-norm is monotone in its entries).
  const double big_n = double(std::max(m_, n_)), k = double(ku);
  const double e_gram = gamma(big_n, kU) * frob2_ + k * big_n * kEta;
  const double e_form = gamma(double(cu) + 4, kU) * (t + g_frob_ + rho * xx) + k * k * kEta;
  return proves_positive_definite(std::move(c), k_, (e_gram + e_form) * (1 + 4 * kU));
}

double GramProver::gram_error() const {
  return gamma(double(std::max(m_, n_)), kU) * frob2_ +
         double(k_) * double(std::max(m_, n_)) * kEta;
}

bool GramProver::high_precision_available() const {
  return k_ <= kHpMaxOrder && double(std::max(m_, n_)) * double(k_) * double(k_) <= kHpMaxGramWork;
}

double GramProver::relative_margin_hp() const {
  const double k = double(k_), big_n = double(std::max(m_, n_));
  const double u = std::ldexp(1.0, -150);
  return gamma(big_n, u) * k + 3 * gamma(4, u) * std::sqrt(k) + (k * (k + 9) / 2) * u;
}

bool GramProver::proves_below_hp(const HP& t, const std::vector<HP>* x, const HP& rho) {
  if (!high_precision_available()) return false;
  static_assert(std::numeric_limits<HP>::digits >= 151, "the proof takes u = 2^-150");
  const auto ku = std::size_t(k_), mu = std::size_t(m_), nu = std::size_t(n_);
  if (!hp_) {
    // G_hp: exact products of doubles, sums rounded: |G_hp - G| <= gamma_N(u) |A|^T |A|, so
    // ||G_hp - G||_2 <= gamma_N(u) ||A||_F^2, with ||A||_F^2 summed here too (error gamma_{mn}).
    hp_ = std::make_unique<HighPrecisionGram>();
    hp_->u = ldexp(HP(1), -150);
    const HP& u = hp_->u;
    hp_->g.assign(ku * ku, HP(0));
    HP frob = 0;
    for (std::size_t i = 0; i < mu * nu; ++i) frob += HP(a_[i]) * a_[i];
    for (std::size_t j = 0; j < ku; ++j)
      for (std::size_t i = j; i < ku; ++i) {
        HP s = 0;
        if (right_)
          for (std::size_t r = 0; r < mu; ++r) s += HP(a_[r + i * mu]) * a_[r + j * mu];
        else
          for (std::size_t r = 0; r < nu; ++r) s += HP(a_[i + r * mu]) * a_[j + r * mu];
        hp_->g[i + j * ku] = s;
      }
    const HP big_n = HP(double(std::max(m_, n_))), entries = HP(double(mu * nu));
    frob *= 1 + 2 * entries * u / (1 - entries * u);
    hp_->e_gram = big_n * u / (1 - big_n * u) * frob;
    HP gf = 0;
    for (std::size_t j = 0; j < ku; ++j) {
      gf += hp_->g[j + j * ku] * hp_->g[j + j * ku];
      for (std::size_t i = j + 1; i < ku; ++i) gf += 2 * hp_->g[i + j * ku] * hp_->g[i + j * ku];
    }
    hp_->g_frob = sqrt(gf) * (1 + 4 * HP(double(ku * ku + 8)) * u);
  }
  const HP& u = hp_->u;
  if (!(t > 0) || !(rho >= 0)) return false;  // (t = 0: only builds the Gram matrix)
  std::vector<HP> c(ku * ku, HP(0)), p(ku, HP(0));
  HP xx = 0;
  if (x != nullptr) {
    if (x->size() != ku) throw std::invalid_argument("proves_below_hp: vector length");
    for (std::size_t i = 0; i < ku; ++i) {
      p[i] = rho * (*x)[i];
      xx += (*x)[i] * (*x)[i];
    }
    xx *= 1 + 4 * HP(double(ku)) * u;
  }
  HP c_rump = 0;
  for (std::size_t j = 0; j < ku; ++j) {
    for (std::size_t i = j; i < ku; ++i) {
      const HP w = x != nullptr ? HP(p[i] * (*x)[j]) : HP(0);
      c[i + j * ku] = i == j ? HP(HP(t - hp_->g[j + j * ku]) + w) : HP(w - hp_->g[i + j * ku]);
    }
    if (!(c[j + j * ku] > 0)) return false;
    c_rump += HP(double(j + 5)) * u * c[j + j * ku];
  }
  const HP gamma4 = 4 * u / (1 - 4 * u);
  const HP e_form = gamma4 * (t + hp_->g_frob + rho * xx);
  const HP shift = (c_rump + hp_->e_gram + e_form) * (1 + 16 * HP(double(ku)) * u);
  // The Cholesky factorization (the standard algorithm), the diagonal of D rounded down.
  for (std::size_t j = 0; j < ku; ++j) {
    HP d = (c[j + j * ku] - shift) * (1 - 4 * u);
    if (!(d > 0)) return false;
    c[j + j * ku] = d;
  }
  for (std::size_t j = 0; j < ku; ++j) {
    HP d = c[j + j * ku];
    for (std::size_t q = 0; q < j; ++q) d -= c[j + q * ku] * c[j + q * ku];
    if (!(d > 0)) return false;
    const HP r = sqrt(d);
    c[j + j * ku] = r;
    for (std::size_t i = j + 1; i < ku; ++i) {
      HP s = c[i + j * ku];
      for (std::size_t q = 0; q < j; ++q) s -= c[i + q * ku] * c[j + q * ku];
      c[i + j * ku] = s / r;
    }
  }
  return true;
}

std::vector<HP> GramProver::krylov_top_vector(const std::vector<HP>& x, int dim) {
  if (!high_precision_available() || dim < 1) return x;
  if (!hp_) (void)proves_below_hp(HP(0), nullptr, HP(0));  // builds the Gram matrix only
  const auto ku = std::size_t(k_), du = std::size_t(dim);
  const std::vector<HP>& g = hp_->g;  // lower triangle
  auto apply = [&](const std::vector<HP>& v) {
    std::vector<HP> y(ku, HP(0));
    for (std::size_t j = 0; j < ku; ++j) {
      y[j] += g[j + j * ku] * v[j];
      for (std::size_t i = j + 1; i < ku; ++i) {
        y[i] += g[i + j * ku] * v[j];
        y[j] += g[i + j * ku] * v[i];
      }
    }
    return y;
  };
  // Basis K (normalized columns, not orthogonalized: the pencil (K^T G K, K^T K) is exact).
  std::vector<std::vector<HP>> k(du), gk(du);
  k[0] = x;
  for (std::size_t c = 0; c < du; ++c) {
    HP norm = 0;
    for (const auto& v : k[c]) norm += v * v;
    norm = sqrt(norm);
    if (!(norm > 0)) return x;
    for (auto& v : k[c]) v /= norm;
    // Gram-Schmidt twice against the earlier columns keeps the pencil well conditioned.
    for (int pass = 0; pass < 2; ++pass)
      for (std::size_t q = 0; q < c; ++q) {
        HP d = 0;
        for (std::size_t i = 0; i < ku; ++i) d += k[q][i] * k[c][i];
        for (std::size_t i = 0; i < ku; ++i) k[c][i] -= d * k[q][i];
      }
    norm = 0;
    for (const auto& v : k[c]) norm += v * v;
    norm = sqrt(norm);
    if (!(norm > HP("1e-40"))) {  // the space is invariant already
      k.resize(c);
      gk.resize(c);
      break;
    }
    for (auto& v : k[c]) v /= norm;
    gk[c] = apply(k[c]);
    if (c + 1 < du) k[c + 1] = gk[c];
  }
  const auto d = k.size();
  if (d == 0) return x;
  std::vector<HP> gm(d * d), sm(d * d);
  for (std::size_t a = 0; a < d; ++a)
    for (std::size_t b = 0; b < d; ++b) {
      HP gv = 0, sv = 0;
      for (std::size_t i = 0; i < ku; ++i) {
        gv += k[a][i] * gk[b][i];
        sv += k[a][i] * k[b][i];
      }
      gm[a + b * d] = gv;
      sm[a + b * d] = sv;
    }
  for (std::size_t a = 0; a < d; ++a)
    for (std::size_t b = a + 1; b < d; ++b)
      gm[a + b * d] = gm[b + a * d] = (gm[a + b * d] + gm[b + a * d]) / 2;
  const std::vector<HP> c = top_eigenvector(gm, sm, int(d));
  std::vector<HP> y(ku, HP(0));
  for (std::size_t a = 0; a < d; ++a)
    for (std::size_t i = 0; i < ku; ++i) y[i] += c[a] * k[a][i];
  HP norm = 0;
  for (const auto& v : y) norm += v * v;
  norm = sqrt(norm);
  for (auto& v : y) v /= norm;
  return y;
}

}  // namespace specbench::reference_detail
