#include "reference/certify.hpp"

#include <cmath>
#include <limits>

#include "reference/accurate.hpp"

namespace specbench::reference_detail {
namespace {

using HP = HighPrecision;

struct DDVector {
  std::vector<double> hi, lo;
};

HP value(const AccurateVector& y, std::size_t i) {
  return HP(y.y1[i]) + HP(y.y2[i]) + HP(y.y3[i]);
}
HP value(const DDVector& x, std::size_t i) {
  return HP(x.hi[i]) + HP(x.lo[i]);
}

struct Plain {
  const std::vector<double>& x;
};
HP value(const Plain& p, std::size_t i) {
  return HP(p.x[i]);
}

struct HPVector {
  const std::vector<HP>& x;
};
const HP& value(const HPVector& p, std::size_t i) {
  return p.x[i];
}

/// x / ||x|| rounded to double-double (the result is a new, exactly known vector).
template <class Vec>
DDVector normalized(const Vec& x, std::size_t size, HP* norm = nullptr) {
  std::vector<HP> vals(size);
  HP sum = 0;
  for (std::size_t i = 0; i < size; ++i) {
    vals[i] = value(x, i);
    sum += vals[i] * vals[i];
  }
  const HP root = sqrt(sum);
  if (norm != nullptr) *norm = root;
  const HP inv = 1 / root;
  DDVector out{std::vector<double>(size), std::vector<double>(size)};
  for (std::size_t i = 0; i < size; ++i) {
    const HP q = vals[i] * inv;
    out.hi[i] = static_cast<double>(q);
    out.lo[i] = static_cast<double>(q - HP(out.hi[i]));
  }
  return out;
}

/// The certificate of the pair (u, v) given y ~ A v and z ~ A^T u with their error bounds.
/// `zh` receives z in high precision (the refinement reuses it).
Certificate certify(const DDVector& u, const DDVector& v, const AccurateVector& y,
                    const AccurateVector& z, double g, std::vector<HP>& zh) {
  const std::size_t m = u.hi.size(), n = v.hi.size();
  // Every vector converted to high precision once.
  std::vector<HP> uh(m), yh(m), vh(n);
  zh.resize(n);
  for (std::size_t i = 0; i < m; ++i) {
    uh[i] = value(u, i);
    yh[i] = value(y, i);
  }
  for (std::size_t j = 0; j < n; ++j) {
    vh[j] = value(v, j);
    zh[j] = value(z, j);
  }
  constexpr double unit = std::numeric_limits<double>::epsilon() / 2;
  HP uu = 0, vv = 0, num = 0, scale = 0;
  double dnum = 0;  // sum |u_i| err_i, a bound on |u^T y - u^T A v|
  for (std::size_t i = 0; i < m; ++i) {
    const HP& ui = uh[i];
    uu += ui * ui;
    const HP t = ui * yh[i];
    num += t;
    dnum += (std::abs(u.hi[i]) + std::abs(u.lo[i])) * y.err[i];
    scale += abs(t);
  }
  for (std::size_t j = 0; j < n; ++j) {
    const HP& vj = vh[j];
    vv += vj * vj;
  }
  const HP xx = uu + vv;
  const HP rho = 2 * num / xx;
  // Rounding in cpp_bin_float_50 (unit roundoff 2^-166): each quantity above is a sum of at most
  // m + n + 4 correctly rounded terms, so its relative error is below (m + n + 8) 2^-166
  // (Higham Lemma 3.3); 2^-140 (m + n + 16) times the magnitudes involved covers all of them
  // with a wide margin. dnum was summed in double: (1 + 2 (m + 2) u) covers its roundings.
  const double slack_rel = std::ldexp(double(m + n + 16), -140);
  const double drho = static_cast<double>(2 * (dnum * (1 + 2 * double(m + 2) * unit)) / xx) +
                      slack_rel * static_cast<double>(2 * scale / xx);

  HP rr = 0;
  double err2 = 0;  // sum err^2 of y and z
  HP ymag = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const HP f = yh[i] - rho * uh[i];
    rr += f * f;
    ymag += yh[i] * yh[i];
    err2 += y.err[i] * y.err[i];
  }
  for (std::size_t j = 0; j < n; ++j) {
    const HP f = zh[j] - rho * vh[j];
    rr += f * f;
    ymag += zh[j] * zh[j];
    err2 += z.err[j] * z.err[j];
  }
  const double sqrt_xx = static_cast<double>(sqrt(xx));
  // |f_computed - f_exact| <= err + |rho - rho_exact| |x| componentwise, so
  // ||f_exact|| <= ||f_computed|| + ||err|| + drho ||x|| (triangle inequality).
  const double r = static_cast<double>(sqrt(rr / xx)) * (1 + 1e-15) +
                   std::sqrt(err2 * (1 + 2 * double(m + n + 2) * unit)) / sqrt_xx * (1 + 1e-15) +
                   drho + slack_rel * static_cast<double>(sqrt(ymag / xx));

  Certificate c;
  c.sigma = rho;
  c.rho_error = drho;
  c.residual = r;
  const double rho_low = static_cast<double>(rho) * (1 - 4 * unit) - drho;
  if (rho_low > g) {
    c.kato_temple = true;
    // (rho - drho - g) is rounded down and r^2 up by the (1 +- few u) factors.
    c.bound = drho + r * r * (1 + 4 * unit) / ((rho_low - g) * (1 - 4 * unit)) * (1 + 4 * unit);
  } else {
    c.bound = drho + r;
  }
  c.u_hi = u.hi;
  c.u_lo = u.lo;
  c.v_hi = v.hi;
  c.v_lo = v.lo;
  return c;
}

/// The eigenvector of the largest eigenvalue of the k x k pencil (G, S), S symmetric positive
/// definite (k <= kMaxRitz), in high precision: S = L L^T (Cholesky), the eigenvectors y of the
/// symmetric M = L^-1 G L^-T by cyclic Jacobi rotations (Golub & Van Loan, 4th ed., Alg. 8.5.3),
/// then c = L^-T y. Jacobi resolves eigenvalues that agree to 1e-16 and more (a nearly repeated
/// sigma1), where inverse iteration with a shift from a double Ritz value cannot tell them apart.
std::vector<HP> top_eigenvector_impl(const std::vector<HP>& gm, const std::vector<HP>& sm, int k) {
  const auto ku = std::size_t(k);
  auto at = [ku](std::vector<HP>& x, std::size_t i, std::size_t j) -> HP& { return x[i + j * ku]; };
  // S = L L^T
  std::vector<HP> l(ku * ku, HP(0)), s = sm;
  for (std::size_t j = 0; j < ku; ++j) {
    HP d = at(s, j, j);
    for (std::size_t p = 0; p < j; ++p) d -= at(l, j, p) * at(l, j, p);
    if (!(d > 0)) d = std::numeric_limits<HP>::min();  // W's columns are independent in practice
    at(l, j, j) = sqrt(d);
    for (std::size_t i = j + 1; i < ku; ++i) {
      HP t = at(s, i, j);
      for (std::size_t p = 0; p < j; ++p) t -= at(l, i, p) * at(l, j, p);
      at(l, i, j) = t / at(l, j, j);
    }
  }
  // M = L^-1 G L^-T: solve L X = G, then L M^T = X^T (M symmetric).
  std::vector<HP> x = gm, mm(ku * ku);
  for (std::size_t c = 0; c < ku; ++c)
    for (std::size_t i = 0; i < ku; ++i) {
      HP t = at(x, i, c);
      for (std::size_t p = 0; p < i; ++p) t -= at(l, i, p) * at(x, p, c);
      at(x, i, c) = t / at(l, i, i);
    }
  for (std::size_t r = 0; r < ku; ++r)
    for (std::size_t i = 0; i < ku; ++i) {
      HP t = at(x, r, i);
      for (std::size_t p = 0; p < i; ++p) t -= at(l, i, p) * at(mm, r, p);
      at(mm, r, i) = t / at(l, i, i);
    }
  for (std::size_t i = 0; i < ku; ++i)
    for (std::size_t j = i + 1; j < ku; ++j)
      at(mm, i, j) = at(mm, j, i) = (at(mm, i, j) + at(mm, j, i)) / 2;
  // Cyclic Jacobi: V accumulates the rotations; sweeps until the off-diagonal part is negligible.
  std::vector<HP> v(ku * ku, HP(0));
  for (std::size_t i = 0; i < ku; ++i) at(v, i, i) = 1;
  const HP tiny = std::numeric_limits<HP>::epsilon() * std::numeric_limits<HP>::epsilon();
  for (int sweep = 0; sweep < 60; ++sweep) {
    HP off = 0, total = 0;
    for (std::size_t i = 0; i < ku; ++i)
      for (std::size_t j = 0; j < ku; ++j) {
        total += at(mm, i, j) * at(mm, i, j);
        if (i != j) off += at(mm, i, j) * at(mm, i, j);
      }
    if (off <= tiny * total) break;
    for (std::size_t p = 0; p + 1 < ku; ++p)
      for (std::size_t q = p + 1; q < ku; ++q) {
        const HP apq = at(mm, p, q);
        if (apq == 0) continue;
        const HP tau = (at(mm, q, q) - at(mm, p, p)) / (2 * apq);
        const HP t = (tau >= 0 ? HP(1) : HP(-1)) / (abs(tau) + sqrt(1 + tau * tau));
        const HP c = 1 / sqrt(1 + t * t), sn = t * c;
        for (std::size_t r = 0; r < ku; ++r) {  // M J
          const HP mp = at(mm, r, p), mq = at(mm, r, q);
          at(mm, r, p) = c * mp - sn * mq;
          at(mm, r, q) = sn * mp + c * mq;
        }
        for (std::size_t r = 0; r < ku; ++r) {  // J^T M
          const HP mp = at(mm, p, r), mq = at(mm, q, r);
          at(mm, p, r) = c * mp - sn * mq;
          at(mm, q, r) = sn * mp + c * mq;
        }
        for (std::size_t r = 0; r < ku; ++r) {  // V J
          const HP vp = at(v, r, p), vq = at(v, r, q);
          at(v, r, p) = c * vp - sn * vq;
          at(v, r, q) = sn * vp + c * vq;
        }
      }
  }
  std::size_t top = 0;
  for (std::size_t i = 1; i < ku; ++i)
    if (at(mm, i, i) > at(mm, top, top)) top = i;
  // c = L^-T y
  std::vector<HP> out(ku);
  for (std::size_t i = ku; i-- > 0;) {
    HP t = at(v, i, top);
    for (std::size_t p = i + 1; p < ku; ++p) t -= at(l, p, i) * out[p];
    out[i] = t / at(l, i, i);
  }
  return out;
}

/// Stage 1 of refine_and_certify: the best unit v in span(W), as a double-double vector.
DDVector rayleigh_ritz(const double* a, std::int64_t m, std::int64_t n,
                       const std::vector<double>& w, int k) {
  const auto mu = std::size_t(m), nu = std::size_t(n), ku = std::size_t(k);
  if (k == 1) return normalized(Plain{w}, nu);
  // Y = A W in high precision (certified products, exact inputs: W's columns are doubles)
  std::vector<HP> y(mu * ku);
  const std::vector<double> zero(nu, 0.0);
  AccurateVector col;
  for (std::size_t c = 0; c < ku; ++c) {
    accurate_product(a, m, n, w.data() + c * nu, zero.data(), col);
    for (std::size_t i = 0; i < mu; ++i) y[i + c * mu] = value(col, i);
  }
  // G = Y^T Y = W^T A^T A W and S = W^T W, in high precision: max ||A x||^2 / ||x||^2 over
  // x = W c is the largest eigenvalue of the pencil (G, S).
  std::vector<HP> gm(ku * ku), sm(ku * ku);
  for (std::size_t c1 = 0; c1 < ku; ++c1) {
    for (std::size_t c2 = c1; c2 < ku; ++c2) {
      HP g = 0, s = 0;
      for (std::size_t i = 0; i < mu; ++i) g += y[i + c1 * mu] * y[i + c2 * mu];
      for (std::size_t j = 0; j < nu; ++j) s += HP(w[j + c1 * nu]) * w[j + c2 * nu];
      gm[c1 + c2 * ku] = gm[c2 + c1 * ku] = g;
      sm[c1 + c2 * ku] = sm[c2 + c1 * ku] = s;
    }
  }
  const std::vector<HP> c = top_eigenvector_impl(gm, sm, k);
  std::vector<HP> v(nu, HP(0));
  for (std::size_t j = 0; j < nu; ++j)
    for (std::size_t i = 0; i < ku; ++i) v[j] += c[i] * w[j + i * nu];
  return normalized(HPVector{v}, nu);
}

}  // namespace

std::vector<HP> top_eigenvector(const std::vector<HP>& gm, const std::vector<HP>& sm, int k) {
  return top_eigenvector_impl(gm, sm, k);
}

double kato_temple_bound(const Certificate& c, double g) {
  constexpr double unit = std::numeric_limits<double>::epsilon() / 2;
  const double rho_low = static_cast<double>(c.sigma) * (1 - 4 * unit) - c.rho_error;
  if (!(rho_low > g)) return std::numeric_limits<double>::infinity();
  // (rho - drho - g) is rounded down and r^2 up by the (1 +- few u) factors.
  return c.rho_error + c.residual * c.residual * (1 + 4 * unit) / ((rho_low - g) * (1 - 4 * unit)) *
                           (1 + 4 * unit);
}

Certificate certify_vector(const double* a, const double* at, std::int64_t m, std::int64_t n,
                           const std::vector<double>& v_hi, const std::vector<double>& v_lo,
                           double g) {
  const auto nu = std::size_t(n), mu = std::size_t(m);
  std::vector<HP> x(nu);
  for (std::size_t j = 0; j < nu; ++j) x[j] = HP(v_hi[j]) + v_lo[j];
  const DDVector v = normalized(HPVector{x}, nu);
  AccurateVector y, z;
  accurate_product(a, m, n, v.hi.data(), v.lo.data(), y);  // y = A v
  const DDVector u = normalized(y, mu);
  accurate_product(at, n, m, u.hi.data(), u.lo.data(), z);  // z = A^T u
  std::vector<HP> zh;
  return certify(u, v, y, z, g, zh);
}

Certificate refine_and_certify(const double* a, const double* at, std::int64_t m, std::int64_t n,
                               const std::vector<double>& w, int k, double theta, double damp,
                               double sigma2_guide, int max_iterations) {
  const auto mu = std::size_t(m), nu = std::size_t(n);
  // Stage 1: Rayleigh-Ritz on the top double Ritz vectors.
  const DDVector v0 = rayleigh_ritz(a, m, n, w, k);
  std::vector<HP> x(nu), x_prev(nu), x_next(nu);
  for (std::size_t j = 0; j < nu; ++j) x[j] = value(v0, j);

  // Stage 2: Chebyshev iteration on B = A^T A (Saad, Numerical Methods for Large Eigenvalue
  // Problems, 2nd ed., Alg. 7.1), damping the interval [0, d^2], d = damp: error components
  // there fall like 1 / T_t(1 + 2 (lambda_1 - d^2) / d^2), the optimal polynomial rate, instead
  // of power iteration's (sigma_j / sigma_1)^(2 t). Components above d^2 (along directions
  // stage 1 already removed to second order) are not amplified relative to v1 either: T_t grows
  // monotonically outside the interval. The three-term recurrence is normalized so that the
  // lambda_1 component stays about 1. Without a gap (d >= theta: a cluster), plain power steps.
  const double g2 = damp * damp;
  const bool chebyshev = damp > 0 && damp < theta * (1 - 1e-12);
  const HP c = HP(g2) / 2, e = HP(g2) / 2;
  const HP sigma_first = chebyshev ? e / (HP(theta) * theta - c) : HP(0);
  HP sigma_t = sigma_first;

  AccurateVector y, z;
  std::vector<HP> zh;
  Certificate best;
  bool have = false;
  double best_residual = std::numeric_limits<double>::infinity();
  int stale = 0;
  for (int t = 0; t <= max_iterations; ++t) {
    HP norm_x = 0, norm_y = 0;
    const DDVector v = normalized(HPVector{x}, nu, &norm_x);
    accurate_product(a, m, n, v.hi.data(), v.lo.data(), y);  // y = A v
    const DDVector u = normalized(y, mu, &norm_y);
    accurate_product(at, n, m, u.hi.data(), u.lo.data(), z);  // z = A^T u
    // The certificate (about half of a step's high-precision work) on every other step and the
    // last: the refinement needs z only, the stopping rule only an occasional residual.
    if (t % 2 == 1 && t < max_iterations) {
      zh.resize(nu);
      for (std::size_t j = 0; j < nu; ++j) zh[j] = value(z, j);
    } else {
      Certificate cert = certify(u, v, y, z, sigma2_guide, zh);
      cert.iterations = t;
      const double r = cert.residual;
      const double rho = static_cast<double>(cert.sigma);
      if (!have || cert.bound < best.bound) {
        best = std::move(cert);
        have = true;
      }
      // Stop when the residual stops falling (no 10% improvement in 2 certified steps) or when
      // the bound is below 1e-32 sigma1 (32 digits: the promised 30 with a margin).
      stale = r < 0.9 * best_residual ? 0 : stale + 1;
      best_residual = std::min(best_residual, r);
      if (stale >= 2 || best.bound <= 1e-32 * rho) break;
    }

    // B x = ||x|| A^T A v = ||x|| ||y|| A^T u
    const HP scale = norm_x * norm_y;
    if (!chebyshev) {
      for (std::size_t j = 0; j < nu; ++j) x[j] = zh[j];
      continue;
    }
    if (t == 0) {
      const HP f = sigma_first / e, fs = f * scale, fc = f * c;
      for (std::size_t j = 0; j < nu; ++j) x_next[j] = fs * zh[j] - fc * x[j];
    } else {
      const HP sigma_next = 1 / (2 / sigma_first - sigma_t);
      const HP f = 2 * sigma_next / e, fs = f * scale, fc = f * c, fp = sigma_t * sigma_next;
      for (std::size_t j = 0; j < nu; ++j) x_next[j] = fs * zh[j] - fc * x[j] - fp * x_prev[j];
      sigma_t = sigma_next;
    }
    std::swap(x_prev, x);
    std::swap(x, x_next);
  }
  return best;
}

}  // namespace specbench::reference_detail
