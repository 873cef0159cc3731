/// \file
/// The certified sigma1 of a sparse matrix (see sparse_reference.hpp).

#include "reference/sparse_reference.hpp"

#include <lapacke.h>

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <iomanip>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "reference/certify.hpp"

namespace specbench::reference_detail {
namespace {

using HP = HighPrecision;
constexpr double kU = std::numeric_limits<double>::epsilon() / 2;
constexpr double kEta = std::numeric_limits<double>::denorm_min();
constexpr double kInf = std::numeric_limits<double>::infinity();

double gamma(double p, double u) {
  return p * u < 0.5 ? p * u / (1 - p * u) : kInf;
}

/// y = A x.
void apply(const CsrView& a, const double* x, double* y) {
  for (std::int64_t i = 0; i < a.m; ++i) {
    double s = 0;
    for (std::int64_t p = a.row_ptr[i]; p < a.row_ptr[i + 1]; ++p) s += a.val[p] * x[a.col[p]];
    y[i] = s;
  }
}

/// y = A^T x (a scatter over the rows: deterministic, one thread).
void apply_transpose(const CsrView& a, const double* x, double* y) {
  std::fill(y, y + a.n, 0.0);
  for (std::int64_t i = 0; i < a.m; ++i)
    for (std::int64_t p = a.row_ptr[i]; p < a.row_ptr[i + 1]; ++p) y[a.col[p]] += a.val[p] * x[i];
}

double norm2(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v * v;
  return std::sqrt(s);
}

/// x -= Q (Q^T x), twice (classical Gram-Schmidt with reorthogonalization), Q = `cols` vectors
/// of length `len` stored one after another.
void orthogonalize(const std::vector<double>& q, std::int64_t cols, std::int64_t len,
                   std::vector<double>& x) {
  for (int pass = 0; pass < 2; ++pass)
    for (std::int64_t c = 0; c < cols; ++c) {
      const double* qc = q.data() + c * len;
      double d = 0;
      for (std::int64_t i = 0; i < len; ++i) d += qc[i] * x[std::size_t(i)];
      for (std::int64_t i = 0; i < len; ++i) x[std::size_t(i)] -= d * qc[i];
    }
}

struct Guide {
  double theta = 0, theta2 = 0, residual = 0;
  int steps = 0;
  std::vector<double> u, v;
};

/// Golub-Kahan-Lanczos with full reorthogonalization from a fixed Gaussian start: the top Ritz
/// triplet of the k x k bidiagonal B = U^T A V (a guide; nothing rests on it).
Guide lanczos_guide(const CsrView& a, double budget) {
  // The bases take (k + 1) (m + n) doubles: fewer steps where that exceeds the budget
  // (the guide only needs to land near sigma1; the shifts and inverse iteration do the rest).
  const double per_step = 8.0 * double(a.m + a.n);
  const auto affordable = std::int64_t(std::max(0.0, budget / per_step - 1));
  if (affordable < 2)
    throw std::runtime_error("sparse reference: the Lanczos guide alone needs " +
                             std::to_string(3 * per_step / 1e9) + " GB (budget " +
                             std::to_string(budget / 1e9) + " GB)");
  const std::int64_t k =
      std::min({std::int64_t(kSparseLanczosSteps), std::min(a.m, a.n), affordable});
  std::vector<double> us(std::size_t(k * a.m)), vs(std::size_t((k + 1) * a.n));
  std::vector<double> alpha, beta{0};
  boost::random::mt19937_64 rng(20260601);
  boost::random::normal_distribution<double> normal;
  std::vector<double> v(std::size_t(a.n)), u(std::size_t(a.m));
  for (double& x : v) x = normal(rng);
  double nv = norm2(v);
  for (double& x : v) x /= nv;
  std::copy(v.begin(), v.end(), vs.begin());
  Guide g;
  for (std::int64_t j = 0; j < k; ++j) {
    apply(a, vs.data() + j * a.n, u.data());  // u = A v_j - beta_j u_{j-1}
    orthogonalize(us, j, a.m, u);
    const double al = norm2(u);
    if (!(al > 1e-300)) break;  // invariant subspace
    for (double& x : u) x /= al;
    std::copy(u.begin(), u.end(), us.begin() + j * a.m);
    alpha.push_back(al);
    apply_transpose(a, u.data(), v.data());  // v = A^T u_j - alpha_j v_j
    orthogonalize(vs, j + 1, a.n, v);
    const double be = norm2(v);
    beta.push_back(be);
    g.steps = int(j + 1);
    if (!(be > 1e-14 * al)) break;
    for (double& x : v) x /= be;
    std::copy(v.begin(), v.end(), vs.begin() + (j + 1) * a.n);
  }
  const int s = g.steps;
  if (s == 0) return g;  // A v_1 = 0: the caller handles the zero matrix
  // B: alpha on the diagonal, beta_{j+1} above it; its SVD (LAPACK, s <= 60)
  const auto ss = static_cast<std::size_t>(s);
  std::vector<double> b(ss * ss, 0.0), sv(ss), pl(ss * ss), qt(ss * ss);
  for (int j = 0; j < s; ++j) {
    b[std::size_t(j + j * s)] = alpha[std::size_t(j)];
    if (j + 1 < s) b[std::size_t(j + (j + 1) * s)] = beta[std::size_t(j + 1)];
  }
  if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'A', s, s, b.data(), s, sv.data(), pl.data(), s, qt.data(),
                     s) != 0)
    throw std::runtime_error("sparse reference: LAPACK dgesdd failed on the bidiagonal");
  g.theta = sv[0];
  g.theta2 = s > 1 ? sv[1] : 0;
  g.residual = beta[std::size_t(s)] * std::abs(qt[std::size_t((s - 1) * s)]);  // |e_s^T q_1|
  g.u.assign(std::size_t(a.m), 0.0);
  g.v.assign(std::size_t(a.n), 0.0);
  for (int j = 0; j < s; ++j) {
    const double pj = pl[std::size_t(j)], qj = qt[std::size_t(j * s)];
    for (std::int64_t i = 0; i < a.m; ++i) g.u[std::size_t(i)] += pj * us[std::size_t(j * a.m + i)];
    for (std::int64_t i = 0; i < a.n; ++i) g.v[std::size_t(i)] += qj * vs[std::size_t(j * a.n + i)];
  }
  return g;
}

/// A rigorous lower bound of sigma1: |u^T A v| / (||u|| ||v||) in cpp_bin_float_50. Each product
/// u_i a_ij v_j of three doubles is exact there (159 <= 166 bits) and so is each square; the sums
/// round with unit roundoff at most 2^-150 (taken larger than the type's 2^-166, as
/// gram_bound.cpp does), so |computed - exact| <= gamma_p(2^-150) sum |terms| with p terms; the
/// sum of |terms| is taken from a double sum rounded up (gamma_p(u), plus eta per product for
/// underflow). The division and square root of the result cost a relative 2^-150 or so each:
/// 1e-44 is subtracted for them.
HP rayleigh_lower_bound(const CsrView& a, const std::vector<double>& u,
                        const std::vector<double>& v) {
  const double u_hp = std::ldexp(1.0, -150);
  HP num = 0;
  double mag = 0;
  for (std::int64_t i = 0; i < a.m; ++i) {
    const HP ui = u[std::size_t(i)];
    for (std::int64_t p = a.row_ptr[i]; p < a.row_ptr[i + 1]; ++p) {
      const double vj = v[std::size_t(a.col[p])];
      num += ui * HP(a.val[p]) * HP(vj);
      mag += std::abs(u[std::size_t(i)] * a.val[p] * vj);
    }
  }
  const double nnz = double(a.nnz());
  mag = mag * (1 + 2 * gamma(nnz + 2, kU)) + 2 * nnz * kEta;
  HP uu = 0, vv = 0;
  for (double x : u) uu += HP(x) * HP(x);
  for (double x : v) vv += HP(x) * HP(x);
  const HP lo_num = abs(num) - HP(gamma(nnz, u_hp)) * HP(mag);
  if (lo_num <= 0 || uu == 0 || vv == 0) return HP(0);
  const HP den2 = uu * (1 + HP(gamma(double(a.m), u_hp))) * vv * (1 + HP(gamma(double(a.n), u_hp)));
  return lo_num / sqrt(den2) * (1 - HP(1e-44));
}

/// A proven sigma1 <= t + beta at shift t, and the factor whose smallest eigenvalue is
/// t - sigma1 (for inverse iteration): `side` +1 (t I - A) or -1 (t I + A) for symmetric A,
/// 0 for the augmented matrix.
struct Shift {
  SparseUpperBound bound;
  std::optional<ShiftedCholesky> factor;
};

Shift try_shift(const CsrView& a, double t, bool symmetric, int side, double budget) {
  Shift s;
  s.bound.t = t;
  s.bound.symmetric = symmetric;
  if (!symmetric) {
    s.factor.emplace(a, t, 0, budget, s.bound);
  } else {
    s.factor.emplace(a, t, side, budget, s.bound);
    if (s.factor->ok() && !ShiftedCholesky(a, t, -side, budget, s.bound).ok()) s.factor.reset();
  }
  if (s.factor && !s.factor->ok()) s.factor.reset();
  s.bound.proven = s.factor.has_value() && std::isfinite(s.bound.beta);
  if (s.bound.proven) s.bound.bound = std::nextafter(t + s.bound.beta, kInf);
  return s;
}

/// Inverse iteration with a completed factor: u, v from x = [u; -v] (augmented) or x = v
/// (symmetric; u = side v). Returns the number of solves.
int inverse_iteration(const ShiftedCholesky& f, const CsrView& a, bool symmetric, int side,
                      std::vector<double>& u, std::vector<double>& v) {
  std::vector<double> x;
  if (symmetric) {
    x = v;
  } else {
    x = u;
    for (double y : v) x.push_back(-y);
  }
  // Solves until the Rayleigh quotient of x stops rising (relative 1e-15): each solve shrinks
  // the error along sigma_j by (t - sigma1) / (t - sigma_j).
  auto rayleigh = [&](const std::vector<double>& y) {
    std::vector<double> w(std::size_t(symmetric ? a.n : a.m));
    if (symmetric) {
      apply(a, y.data(), w.data());
      double d = 0;
      for (std::int64_t i = 0; i < a.n; ++i) d += y[std::size_t(i)] * w[std::size_t(i)];
      return std::abs(d);
    }
    apply(a, y.data() + a.m, w.data());
    double d = 0, nu = 0, nv = 0;
    for (std::int64_t i = 0; i < a.m; ++i) {
      d += y[std::size_t(i)] * w[std::size_t(i)];
      nu += y[std::size_t(i)] * y[std::size_t(i)];
    }
    for (std::int64_t j = 0; j < a.n; ++j) nv += y[std::size_t(a.m + j)] * y[std::size_t(a.m + j)];
    return std::abs(d) / std::sqrt(nu * nv);
  };
  constexpr int kMaxSolves = 16;
  int solves = 0;
  double rho = 0;
  while (solves < kMaxSolves) {
    f.solve(x);
    ++solves;
    const double nx = norm2(x);
    for (double& y : x) y /= nx;
    const double now = rayleigh(x);
    if (solves > 1 && now <= rho * (1 + 1e-15)) break;
    rho = now;
  }
  if (symmetric) {
    v = x;
    u = v;
    if (side < 0)
      for (double& y : u) y = -y;
  } else {
    std::copy(x.begin(), x.begin() + a.m, u.begin());
    for (std::int64_t j = 0; j < a.n; ++j) v[std::size_t(j)] = -x[std::size_t(a.m + j)];
  }
  return solves;
}

/// sqrt(||A||_1 ||A||_inf) rounded up: sigma1 <= it (Hoelder), the fallback upper bound.
double hoelder_bound(const CsrView& a) {
  std::vector<double> colsum(std::size_t(a.n), 0.0);
  double rowmax = 0;
  std::int64_t longest = 0;
  for (std::int64_t i = 0; i < a.m; ++i) {
    double r = 0;
    for (std::int64_t p = a.row_ptr[i]; p < a.row_ptr[i + 1]; ++p) {
      r += std::abs(a.val[p]);
      colsum[std::size_t(a.col[p])] += std::abs(a.val[p]);
    }
    rowmax = std::max(rowmax, r);
    longest = std::max(longest, a.row_ptr[i + 1] - a.row_ptr[i]);
  }
  const double colmax = *std::max_element(colsum.begin(), colsum.end());
  const double up = 1 + 4 * gamma(double(std::max(longest, a.m)) + 4, kU);
  return std::nextafter(std::sqrt(rowmax * colmax * up * up), kInf);
}

void check_input(const CsrView& a) {
  if (a.m < 1 || a.n < 1) throw std::invalid_argument("sparse reference: empty matrix");
  for (std::int64_t p = 0; p < a.nnz(); ++p) {
    const double x = std::abs(a.val[p]);
    if (!std::isfinite(x)) throw std::invalid_argument("sparse reference: non-finite entry");
    if (x != 0 && (x > std::ldexp(1.0, 500) || x < std::ldexp(1.0, -500)))
      throw std::invalid_argument(
          "sparse reference: an entry outside [2^-500, 2^500] in magnitude (not supported yet)");
  }
}

std::string to_text(const HP& x, int significant) {
  std::ostringstream out;
  out << std::scientific << std::setprecision(std::clamp(significant, 1, 49) - 1) << x;
  return out.str();
}

/// The Reference of the bracket [lo, hi] (text, bound, digits as compute_reference writes them).
void fill_bracket(Reference& r, const HP& lo, double hi) {
  const HP sigma = (lo + HP(hi)) / 2, half = (HP(hi) - lo) / 2;
  r.sigma1 = static_cast<double>(sigma);
  r.sigma1_lo = static_cast<double>(sigma - HP(r.sigma1));
  if (sigma == 0) {
    r.sigma1_text = to_text(HP(0), 45);
    r.digits = 40;
    r.bound = hi;
    return;
  }
  const HP core_rel = half / sigma;
  auto digits_of = [](const HP& rel) {
    return rel > 0 ? std::min(40, int(std::floor(-std::log10(static_cast<double>(rel))))) : 40;
  };
  int digits = digits_of(core_rel);
  HP total_rel = core_rel;
  for (int pass = 0; pass < 3; ++pass) {
    r.sigma1_text = to_text(sigma, digits + 2);
    total_rel = (core_rel + abs(HP(r.sigma1_text) - sigma) / sigma) * (1 + HP(1e-10));
    const int now = digits_of(total_rel);
    if (now >= digits) break;
    digits = now;
  }
  r.digits = std::max(digits, 0);
  r.bound = std::nextafter(static_cast<double>(total_rel * sigma), kInf);
}

}  // namespace

Reference compute_sparse_reference(const CsrView& a, double max_factor_bytes) {
  check_input(a);
  Reference r;
  const Guide g = lanczos_guide(a, max_factor_bytes);
  r.lanczos_steps = g.steps;
  r.sigma2 = g.theta2;
  r.u1.assign(std::size_t(a.m), 0.0);
  r.v1.assign(std::size_t(a.n), 0.0);
  r.u1[0] = r.v1[0] = 1;
  const bool zero = std::all_of(a.val, a.val + a.nnz(), [](double x) { return x == 0; });
  if (zero || g.steps == 0 || g.theta == 0) {  // A v = 0 for a Gaussian v: A is zero (almost
    // surely; the Hoelder bound proves how small sigma1 is either way)
    fill_bracket(r, HP(0), zero ? 0.0 : hoelder_bound(a));
    r.method = "sparse-hoelder";
    return r;
  }
  std::vector<double> u = g.u, v = g.v;
  const bool symmetric = is_symmetric(a);
  double dot = 0;
  for (std::int64_t i = 0; i < a.n && symmetric; ++i) dot += u[std::size_t(i)] * v[std::size_t(i)];
  const int side = symmetric ? (dot >= 0 ? 1 : -1) : 0;
  const double cap = hoelder_bound(a);
  // 2.-5. Shifts t above theta until a factorization completes (t + beta is then proven);
  // inverse iteration with each completed factor sharpens u, v and the Rayleigh lower bound,
  // and the next shift goes just above that bound (a few margins beta), while it still gains.
  double hi = cap;
  HP lo = rayleigh_lower_bound(a, u, v);
  std::string method = "sparse-lanczos+rayleigh";
  double step = std::max(2 * g.residual, 64 * kU * g.theta);
  double t = std::min(g.theta + step, (g.theta + cap) / 2);
  bool proven = false;
  double best_t = cap;
  for (int attempt = 0; attempt < 32 && t < hi; ++attempt) {
    const Shift s = try_shift(a, t, symmetric, side, max_factor_bytes);
    if (!s.bound.proven) {
      if (s.bound.why.find("would need") != std::string::npos)
        throw std::runtime_error("sparse reference: " + s.bound.why);
      if (proven) {  // sigma1 is (most likely) above t: four times farther above the bound
        const double lo_d = static_cast<double>(lo);
        t = lo_d + 4 * (t - lo_d);
        if (!(t < best_t)) break;
        continue;
      }
      step *= 10;
      t = std::min(g.theta + step, (t + cap) / 2);
      continue;
    }
    proven = true;
    best_t = t;
    hi = std::min(hi, s.bound.bound);
    std::vector<double> ui = u, vi = v;
    r.refine_iterations += inverse_iteration(*s.factor, a, symmetric, side, ui, vi);
    const HP lo_i = rayleigh_lower_bound(a, ui, vi);
    if (lo_i > lo) {
      lo = lo_i;
      u = std::move(ui);
      v = std::move(vi);
    }
    // next: just above the lower bound (a sixteenth of the margin; raised fourfold in distance
    // while the factorization fails), if that is a real gain over this shift
    const double lo_d = static_cast<double>(lo);
    const double next = lo_d + s.bound.beta / 16 + 8 * kU * lo_d;
    if (!(next < t - 0.5 * (t - lo_d))) break;
    t = next;
  }
  if (proven)
    method = "sparse-lanczos+shift-invert+rayleigh+cholmod-bound";
  else
    method += "+hoelder";
  fill_bracket(r, lo, hi);
  r.method = method;
  r.cluster_size = 1;
  r.vector_radius = 1;
  const double nu = norm2(u), nv = norm2(v);
  for (std::int64_t i = 0; i < a.m; ++i) r.u1[std::size_t(i)] = u[std::size_t(i)] / nu;
  for (std::int64_t j = 0; j < a.n; ++j) r.v1[std::size_t(j)] = v[std::size_t(j)] / nv;
  return r;
}

}  // namespace specbench::reference_detail
