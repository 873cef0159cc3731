/// \file
/// The certified reference: sigma1 to 30+ digits with a rigorous bound, sigma2, u1 and v1.
///
/// Pipeline (each step documented where it is implemented):
///  1. The top triplet in double by Lanczos bidiagonalization (lanczos_top.hpp), with the Ritz
///     values as guides (sigma2 and the refinement's damping interval).
///  2. High-precision refinement (certify.hpp), with certified products (accurate.hpp) and
///     cpp_bin_float_50 vector arithmetic.
///  3. The certificate by Cholesky factorizations of the shifted Gram matrix (gram_bound.hpp):
///     one dsyrk and usually one dpotrf, BLAS-3, less than half the cost of LAPACK's singular
///     values. Only where no gap is proven (sigma1 repeated or nearly so) LAPACK's thin SVD is
///     computed too, dgesdd with JOBZ = 'S' (dgesvd if it reports non-convergence): guides for
///     sigma2 and for the cluster (to p(m, n) eps sigma1, LAPACK Users' Guide Sec. 4.9), and the
///     bases of the widened cluster whose radius subspace.hpp proves (step 4). dgesvdx, which
///     would compute just the top two triplets,
///     was tried and rejected: with the OpenBLAS LAPACK it failed (INFO = 11) or corrupted the
///     heap on an exactly rank-one 6 x 5 matrix.
///  4. Where u1, v1 are not determined (no gap after sigma1 proven), the widening: the smallest
///     cluster of top singular values whose singular subspaces are proven (subspace.hpp).
/// A matrix whose entries are far from 1 in magnitude is scaled by an exact power of two first.
///
/// No I/O, timing or printing here; bad input throws std::invalid_argument, a failure of the
/// library call or of the refinement throws std::runtime_error.

#include "reference/reference.hpp"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iomanip>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "reference/certify.hpp"
#include "reference/gram_bound.hpp"
#include "reference/lanczos_top.hpp"
#include "reference/subspace.hpp"

namespace specbench {
namespace {

using reference_detail::HighPrecision;

[[noreturn]] void fail_argument(const std::string& what) {
  throw std::invalid_argument("reference: " + what);
}

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("compute_reference: " + what);
}

/// LAPACK's thin SVD A = U diag(s) V^T (dgesdd, dgesvd if dgesdd does not converge): guides for
/// sigma2 and the cluster, and the bases whose subspace radii subspace.hpp certifies.
struct LapackSvd {
  std::vector<double> s, u, vt;  ///< s decreasing; U m x k, V^T k x n column-major
  std::string driver;
};

LapackSvd lapack_svd(const double* a, std::int64_t m, std::int64_t n) {
  const auto k = std::size_t(std::min(m, n)), mu = std::size_t(m), nu = std::size_t(n);
  LapackSvd out;
  out.s.resize(k);
  out.u.resize(mu * k);
  out.vt.resize(k * nu);
  std::vector<double> work(a, a + mu * nu);
  out.driver = "lapack-dgesdd";
  lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', lapack_int(m), lapack_int(n), work.data(),
                                   lapack_int(m), out.s.data(), out.u.data(), lapack_int(m),
                                   out.vt.data(), lapack_int(k));
  if (info > 0) {
    out.driver = "lapack-dgesvd";
    work.assign(a, a + mu * nu);
    std::vector<double> superb(k);
    info = LAPACKE_dgesvd(LAPACK_COL_MAJOR, 'S', 'S', lapack_int(m), lapack_int(n), work.data(),
                          lapack_int(m), out.s.data(), out.u.data(), lapack_int(m), out.vt.data(),
                          lapack_int(k), superb.data());
  }
  if (info != 0) fail("LAPACK " + out.driver + " failed with info = " + std::to_string(info));
  return out;
}

/// out = x * 2^k for `count` entries, exactly as std::ldexp rounds (one correctly rounded
/// multiplication by a power of two; two exact ones when 2^k itself is not a double, which
/// happens only for scaling up, k > 1023, where nothing rounds).
void scale_exactly(const double* x, std::size_t count, int k, double* out) {
  if (k <= 1023) {
    const double f = std::ldexp(1.0, k);  // k >= -1023 here: 2^k is a double (maybe subnormal)
    for (std::size_t i = 0; i < count; ++i) out[i] = x[i] * f;
  } else {
    const double f1 = std::ldexp(1.0, k / 2), f2 = std::ldexp(1.0, k - k / 2);
    for (std::size_t i = 0; i < count; ++i) out[i] = (x[i] * f1) * f2;
  }
}

/// at = A^T (n x m column-major) for the m x n column-major A, in cache-sized tiles.
void transpose(const double* a, std::int64_t m, std::int64_t n, double* at) {
  constexpr std::int64_t kTile = 32;
  for (std::int64_t j0 = 0; j0 < n; j0 += kTile)
    for (std::int64_t i0 = 0; i0 < m; i0 += kTile) {
      const std::int64_t j1 = std::min(n, j0 + kTile), i1 = std::min(m, i0 + kTile);
      for (std::int64_t i = i0; i < i1; ++i)
        for (std::int64_t j = j0; j < j1; ++j) at[j + i * n] = a[i + j * m];
    }
}

/// `significant` digits in scientific notation (cpp_bin_float_50 holds 50).
std::string to_text(const HighPrecision& x, int significant = 45) {
  std::ostringstream out;
  out << std::scientific << std::setprecision(std::clamp(significant, 1, 49) - 1) << x;
  return out.str();
}

/// (hi + lo) / ||hi + lo|| in high precision.
std::vector<HighPrecision> unit_hp(const std::vector<double>& hi, const std::vector<double>& lo) {
  std::vector<HighPrecision> x(hi.size());
  HighPrecision sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = HighPrecision(hi[i]) + lo[i];
    sum += x[i] * x[i];
  }
  const HighPrecision inv = 1 / sqrt(sum);
  for (auto& v : x) v *= inv;
  return x;
}

}  // namespace

/// Sign convention: the largest-magnitude component of v1 is positive (the first one on a tie),
/// and u1 is flipped with it, so results do not depend on the signs an algorithm produces.
Reference compute_reference(const double* a_in, std::int64_t m, std::int64_t n) {
  // ---- validate before any work ----
  if (m < 1 || n < 1)
    fail_argument("matrix must be at least 1 x 1, got " + std::to_string(m) + " x " +
                  std::to_string(n));
  constexpr std::int64_t kMaxInt = std::numeric_limits<int>::max();
  if (m > kMaxInt || n > kMaxInt)
    fail_argument("dimensions " + std::to_string(m) + " x " + std::to_string(n) +
                  " exceed the LAPACK index range");
  if (a_in == nullptr) fail_argument("matrix data is null");
  // One pass, vectorizable: for finite doubles the bit patterns of |x| order like the values,
  // and any NaN or Inf has a larger pattern than every finite value.
  const auto mu0 = std::size_t(m), nu0 = std::size_t(n), entries = mu0 * nu0;
  constexpr std::uint64_t kAbs = 0x7fffffffffffffffULL, kInf = 0x7ff0000000000000ULL;
  std::uint64_t amax_bits = 0;
  for (std::size_t i = 0; i < entries; ++i) {
    std::uint64_t b;
    std::memcpy(&b, a_in + i, sizeof b);
    amax_bits = std::max(amax_bits, b & kAbs);
  }
  if (amax_bits >= kInf) {
    for (std::size_t i = 0; i < entries; ++i)
      if (!std::isfinite(a_in[i]))
        fail_argument("matrix has a NaN or Inf entry at (" + std::to_string(i % mu0 + 1) + ", " +
                      std::to_string(i / mu0 + 1) + ")");
  }
  double amax;
  std::memcpy(&amax, &amax_bits, sizeof amax);

  Reference r;
  if (amax == 0) {  // every vector is singular; e_1, e_1 and an exact 0 (no LAPACK call)
    r.u1.assign(mu0, 0.0);
    r.v1.assign(nu0, 0.0);
    r.method = "exact-zero";
    r.sigma1_text = to_text(HighPrecision(0));
    r.digits = 40;
    r.u1[0] = 1;
    r.v1[0] = 1;
    return r;
  }

  // ---- scale by 2^-e (exact) so that the largest entry is in [1, 2): no overflow in sums of
  // products, and no underflow in the error-free transformations unless entries span 300
  // orders of magnitude. Singular values and bounds scale back exactly. The refinement needs
  // A^T as well: formed in the same pass. A wide matrix is handled as its transpose (tall:
  // Lanczos then spans the whole small side, and high-precision work stays on it), and the
  // singular vectors are swapped back at the end. ----
  const int e = std::ilogb(amax);
  std::vector<double> scaled, transposed;
  const double* a = a_in;
  if (e != 0) {
    scaled.resize(entries);
    scale_exactly(a_in, entries, -e, scaled.data());
    a = scaled.data();
  }
  transposed.resize(entries);
  transpose(a, m, n, transposed.data());
  const double* at_ptr = transposed.data();
  const bool flip = m < n;
  if (flip) {
    std::swap(m, n);
    std::swap(a, at_ptr);
  }
  const auto mu = std::size_t(m), nu = std::size_t(n);
  r.u1.assign(mu, 0.0);
  r.v1.assign(nu, 0.0);

  // ---- 1. Lanczos in double: the top triplet, the Ritz vectors of the values near sigma1 and
  // all Ritz values (guides only: the certificate never rests on them) ----
  constexpr double eps = std::numeric_limits<double>::epsilon(), unit = eps / 2;
  const auto start = reference_detail::lanczos_top_triplet(a, m, n);
  const std::vector<double>& theta = start.ritz_values;
  const auto in_w = std::size_t(start.ritz_count);
  // The refinement removes the components along the Ritz vectors it is given (W) in its first
  // stage, and damps everything below the largest Ritz value W does not hold (Chebyshev on
  // [0, d^2]) in the second.
  const double damp = in_w < theta.size() ? theta[in_w] : 0.0;
  double sigma2 = theta.size() > 1 ? theta[1] : 0.0;

  // ---- 2. refinement ----
  auto c = reference_detail::refine_and_certify(a, at_ptr, m, n, start.ritz_v, start.ritz_count,
                                                start.sigma, damp, sigma2);
  const double rho = static_cast<double>(c.sigma);

  // ---- 3. the certificate: proofs by Cholesky on the Gram matrix (gram_bound.hpp) ----
  // Lower bound, always: sigma1 >= rho - rho_error (a Rayleigh quotient of H).
  // Upper bound, best first: Kato-Temple with a PROVEN bound g of sigma2 (lambda_2(G) < g^2 by
  // the rank-one deflation argument), else the bracket sigma1 < sqrt(T) with lambda_1(G) < T
  // proven, else sigma1 <= ||A||_F. Each in double first, then in high precision where
  // affordable and needed (a gap or a bracket below what double can resolve).
  reference_detail::GramProver prover(a, m, n);
  const double rho_low = rho * (1 - 4 * unit) - c.rho_error;
  // The Gram-side unit vector for the deflation, and rho_d >= sigma1^2 (any rho_d >= 0 is
  // valid; near sigma1^2 it removes the top eigenvalue).
  const auto& side_hi = prover.right_side() ? c.v_hi : c.u_hi;
  const auto& side_lo = prover.right_side() ? c.v_lo : c.u_lo;
  std::vector<HighPrecision> x_hp = unit_hp(side_hi, side_lo);
  std::vector<double> x(x_hp.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(x_hp[i]);
  const double rho_up = rho + c.residual + c.rho_error;
  const double deflate = rho_up * rho_up * (1 + 1e-8);
  double bound = std::numeric_limits<double>::infinity();
  double proven_gap = 0;  // s - g > 0 with g >= sigma2 proven (Kato-Temple certificates only)
  double proven_g = 0;
  HighPrecision value = c.sigma;
  std::string certificate;
  // (a) Kato-Temple with a proven gap. Candidates for g^2 between the guide (Lanczos' theta_2)
  // and rho_low^2, nearest the guide first (the wider the proven gap, the smaller r^2 / gap);
  // each failure costs one Cholesky.
  if (rho_low > 0) {
    const double top = rho_low * rho_low * (1 - 8 * unit);
    std::vector<double> candidates;
    const double guide = std::min(sigma2, rho_low);
    if (std::min(m, n) == 1) candidates.push_back(0.0);  // one singular value: lambda_2(H) <= 0
    for (double f : {1e-3, 0.1, 0.5, 0.9, 0.99, 0.999})
      candidates.push_back(guide * guide + f * (top - guide * guide));
    for (double f : {1e-3, 1e-5, 1e-7, 1e-9, 1e-11, 1e-13}) candidates.push_back(top * (1 - f));
    for (double t2 : candidates) {
      if (!(t2 >= 0) || !(t2 < top)) continue;
      if (t2 > 0 && top - t2 <= 4 * prover.relative_margin() * top) continue;
      const bool proven = t2 == 0 || prover.proves_below(t2, x.data(), deflate);
      if (!proven) continue;
      const double g = t2 > 0 ? std::nextafter(std::sqrt(t2), 1e300) : 0.0;
      const double b = reference_detail::kato_temple_bound(c, g);
      if (b < bound) {
        bound = b;
        certificate = "kato-temple+cholesky-gap";
        proven_gap = rho_low - g;
        proven_g = g;
      }
      break;
    }
  }
  // With a proven gap, sigma1 is simple (nothing else lies above g) and theta_2 (<= sigma2 by
  // interlacing) is the sigma2 reported. Without one, LAPACK's SVD (dgesdd with vectors: the
  // cost of a full bidiagonalization) gives sigma2, the cluster for the vector metrics and the
  // bases of its subspaces, and checks that the refinement found sigma1.
  std::unique_ptr<LapackSvd> svd;
  double lapack_error = 0;
  auto run_lapack = [&] {
    if (svd) return;
    svd = std::make_unique<LapackSvd>(lapack_svd(a, m, n));
    // LAPACK's a-priori error, p(m, n) eps ||A|| with p = max(m, n) (Users' Guide Sec. 4.9): a
    // model, used only to group a cluster and to skip gaps no proof can separate.
    lapack_error = double(std::max(m, n)) * eps * svd->s[0];
  };
  if (proven_gap > 0) {
    r.cluster_size = 1;
    sigma2 = std::min(sigma2, proven_g);
  } else {
    run_lapack();
    const std::vector<double>& sv = svd->s;
    sigma2 = sv.size() > 1 ? sv[1] : 0.0;
    r.cluster_size = int(std::count_if(sv.begin(), sv.end(),
                                       [&](double v) { return v >= sv[0] - 2 * lapack_error; }));
    // The refined value must be LAPACK's sigma1: a Rayleigh quotient below it by more than
    // LAPACK's error bound belongs to another singular value (a start vector orthogonal to v1).
    if (!(rho >= sv[0] - 2 * lapack_error - c.residual - c.rho_error))
      fail("refinement converged to " + to_text(c.sigma) + ", not to LAPACK's sigma1 = " +
           std::to_string(sv[0]) + " (within " + std::to_string(lapack_error) + ")");
  }
  const double want = 1e-32 * rho;  // 32 digits: the promised 30 with a margin
  // (b) The bracket [rho - rho_error, sqrt(T)], T proven above lambda_1(G): whatever the gap.
  auto bracket = [&](const HighPrecision& upper, const std::string& name) {
    const HighPrecision lower = c.sigma - c.rho_error;
    const HighPrecision mid = (lower + upper) / 2, half = (upper - lower) / 2;
    const double b = static_cast<double>(half) * (1 + 8 * unit) + 1e-300;
    if (b < bound) {
      bound = b;
      value = mid;
      certificate = name;
    }
  };
  if (!(bound <= want)) {
    const double margin = prover.relative_margin();
    const double base = rho_low * rho_low;
    for (double f = 4 * margin; f < 4; f *= 4) {
      const double t = base * (1 + f);
      if (!prover.proves_below(t, nullptr, 0.0)) continue;
      bracket(sqrt(HighPrecision(t)) * (1 + HighPrecision(ldexp(1.0, -140))), "cholesky-bracket");
      break;
    }
  }
  if (!(bound <= want) && prover.high_precision_available()) {
    // High precision. If sigma1 is nearly repeated, the refined vector may mix v1 and v2 and
    // rho lie below sigma1 by up to the gap: Rayleigh-Ritz on a Krylov space of the Gram matrix
    // in high precision separates v1 (its certified Rayleigh quotient then closes the bracket
    // from below). Then the smallest provable T above rho_low^2 by a ladder and a short
    // bisection (success is monotone in T).
    const std::vector<HighPrecision> y = prover.krylov_top_vector(x_hp, 12);
    std::vector<double> y_hi(y.size()), y_lo(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
      y_hi[i] = static_cast<double>(y[i]);
      y_lo[i] = static_cast<double>(y[i] - HighPrecision(y_hi[i]));
    }
    auto better = prover.right_side()
                      ? reference_detail::certify_vector(a, at_ptr, m, n, y_hi, y_lo, 0.0)
                      : reference_detail::certify_vector(at_ptr, a, n, m, y_hi, y_lo, 0.0);
    if (!prover.right_side()) {
      std::swap(better.u_hi, better.v_hi);
      std::swap(better.u_lo, better.v_lo);
    }
    std::vector<HighPrecision> x_gap = x_hp;
    if (better.sigma - better.rho_error > c.sigma - c.rho_error) {
      c = std::move(better);
      x_gap = y;
    }
    // A gap in high precision (Kato-Temple, and with it a certified vector radius): t2 =
    // low^2 (1 - 10^-j) is proven above lambda_2 for every j from some j0 on (t2 close enough to
    // sigma1^2) up to the margin's limit; binary search over j for the widest provable gap.
    {
      const HighPrecision low_rho = c.sigma - c.rho_error;
      const HighPrecision top = low_rho * low_rho;
      const HighPrecision margin_hp = prover.relative_margin_hp();
      int j_lo = 1, j_hi = 1;
      while (j_hi < 48 && pow(HighPrecision(10), -(j_hi + 1)) > 8 * margin_hp) ++j_hi;
      const HighPrecision deflate_hp = (c.sigma + c.residual + c.rho_error) *
                                       (c.sigma + c.residual + c.rho_error) *
                                       (1 + HighPrecision(1e-8));
      auto proves = [&](int j) {
        return prover.proves_below_hp(top * (1 - pow(HighPrecision(10), -j)), &x_gap, deflate_hp);
      };
      if (j_hi > j_lo && proves(j_hi)) {
        // invariant: proves(j_hi); j_lo is the smallest j not yet known to fail
        int fail = j_lo;
        if (!proves(fail)) {
          int ok = j_hi;
          while (ok - fail > 1) {
            const int mid = (ok + fail) / 2;
            if (proves(mid))
              ok = mid;
            else
              fail = mid;
          }
          j_hi = ok;
        } else {
          j_hi = fail;
        }
        // Kato-Temple in high precision (the gap may be far below double's resolution):
        // sigma1 <= rho + rho_error + r^2 / (rho - rho_error - g), g = sqrt(t2) rounded up.
        const HighPrecision t2 = top * (1 - pow(HighPrecision(10), -j_hi));
        const HighPrecision g = sqrt(t2) * (1 + HighPrecision(ldexp(1.0, -140)));
        const HighPrecision gap = low_rho - g;
        if (gap > 0) {
          const HighPrecision r2 = HighPrecision(c.residual) * c.residual;
          const double b = static_cast<double>(c.rho_error + r2 / gap) * (1 + 8 * unit);
          if (b < bound) {
            bound = b;
            value = c.sigma;
            certificate = "kato-temple+hp-cholesky-gap";
          }
          proven_gap = static_cast<double>(gap) * (1 - 8 * unit);
          // A proven gap: sigma1 is simple, whatever LAPACK's values suggested, and sigma2
          // lies below g.
          r.cluster_size = 1;
          sigma2 = std::min(sigma2, static_cast<double>(g * (1 + HighPrecision(ldexp(1.0, -140)))));
        }
      }
    }
    const HighPrecision margin = prover.relative_margin_hp();
    const HighPrecision low = c.sigma - c.rho_error;
    const HighPrecision base = low * low;
    HighPrecision lo = 0, hi = -1;
    for (HighPrecision f = 4 * margin; f < 4; f *= 16) {
      if (prover.proves_below_hp(base * (1 + f), nullptr, HighPrecision(0))) {
        hi = f;
        break;
      }
      lo = f;
    }
    if (hi > 0) {
      for (int it = 0; it < 6 && hi - lo > 4 * margin; ++it) {
        const HighPrecision mid = (lo + hi) / 2;
        if (prover.proves_below_hp(base * (1 + mid), nullptr, HighPrecision(0)))
          hi = mid;
        else
          lo = mid;
      }
      bracket(sqrt(base * (1 + hi)) * (1 + HighPrecision(ldexp(1.0, -140))), "hp-cholesky-bracket");
    }
  }
  if (!std::isfinite(bound)) {
    // Nothing else proven: sigma1 <= ||A||_F, always.
    double f2 = 0;
    for (std::size_t i = 0; i < mu * nu; ++i) f2 += a[i] * a[i];
    const double frob = std::sqrt(f2 * (1 + 2 * double(mu * nu) * eps)) * (1 + 2 * eps);
    bracket(HighPrecision(frob), "frobenius-bracket");
  }

  // ---- back to the matrix's scale. Relative quantities are formed in the scaled domain
  // (sigma ~ 1 there), so nothing underflows or overflows on the way. ----
  const HighPrecision sigma = ldexp(value, e);
  if (sigma > HighPrecision(std::numeric_limits<double>::max()))
    fail_argument("sigma1 = " + to_text(sigma, 6) +
                  " exceeds the largest double (1.8e308): no double estimate or metric can "
                  "represent it; scale the matrix down");
  r.sigma1 = static_cast<double>(sigma);
  r.sigma1_lo = static_cast<double>(sigma - HighPrecision(r.sigma1));
  r.sigma2 = std::ldexp(sigma2, e);
  // The text carries the certified digits and two guard digits, never more; its rounding is
  // added to the bound (which may cost a digit, then the text is shortened once more).
  const HighPrecision core_rel = HighPrecision(bound) / value;
  auto digits_of = [](const HighPrecision& rel) {
    return rel > 0 ? std::min(40, int(std::floor(-std::log10(static_cast<double>(rel))))) : 40;
  };
  HighPrecision total_rel = core_rel;
  int digits = digits_of(core_rel);
  for (int pass = 0; pass < 3; ++pass) {
    r.sigma1_text = to_text(sigma, digits + 2);
    const HighPrecision text_rel = abs(HighPrecision(r.sigma1_text) - sigma) / sigma;
    total_rel = (core_rel + text_rel) * (1 + HighPrecision(1e-10));
    const int now = digits_of(total_rel);
    if (now >= digits) break;
    digits = now;
  }
  r.digits = digits;
  // The absolute bound as a double, rounded up; below the subnormal range it stays the smallest
  // positive double (never 0), while `digits` keeps what the exact relative bound proves.
  r.bound = std::nextafter(static_cast<double>(total_rel * sigma),
                           std::numeric_limits<double>::infinity());
  r.method = (svd ? svd->driver + "+" : std::string()) + "lanczos+refine+" + certificate;
  // Davis-Kahan (sin theta) on H for x = [u; v] / sqrt(2), ||H x - s x|| <= r: the angle to the
  // exact [u1; v1] / sqrt(2) is at most r / gap, so u and v each within 2 r / gap; plus the
  // rounding of the stored unit vectors to double (a few u). Only with a proven gap.
  if (proven_gap > 0)
    r.vector_radius = std::min(1.0, 2 * c.residual / proven_gap * (1 + 1e-10) + 8 * unit);
  r.lanczos_steps = start.steps;
  r.refine_iterations = c.iterations;

  // Unit vectors rounded to double: (hi + lo) / ||hi + lo||.
  for (auto [hi, lo, out] : {std::tuple{&c.u_hi, &c.u_lo, &r.u1}, {&c.v_hi, &c.v_lo, &r.v1}}) {
    const std::vector<HighPrecision> unit_vec = unit_hp(*hi, *lo);
    for (std::size_t i = 0; i < unit_vec.size(); ++i) (*out)[i] = static_cast<double>(unit_vec[i]);
  }

  // ---- widening: where u1, v1 are not determined to within kWidenAbove (no gap after sigma1
  // proven, or too narrow a one), the metrics measure against the top-c singular subspaces for
  // the smallest c, from LAPACK's cluster on, whose radius (subspace.hpp) is proven to within
  // kWidenAccept: the singular values within the uncertainty are taken together. At most
  // kWidenTries proofs (a Cholesky each); if none succeeds, the vectors stay as they are, with
  // their radius (1 without a proven gap: not determined; the metrics floor says so). ----
  constexpr double kWidenAbove = 1e-6, kWidenAccept = 1e-6;
  constexpr int kWidenTries = 16;
  if (!(r.vector_radius <= kWidenAbove)) {
    run_lapack();
    const std::vector<double>& sv = svd->s;
    const auto k = std::size_t(std::min(m, n));
    int tries = 0;
    for (std::size_t cc = std::max<std::size_t>(2, std::size_t(r.cluster_size));
         cc <= k && tries < kWidenTries; ++cc) {
      // a visible gap after sigma_c (else no proof can separate it)
      if (cc < k && !(sv[cc - 1] - sv[cc] > 4 * lapack_error)) continue;
      std::vector<double> vb(nu * cc);
      for (std::size_t col = 0; col < cc; ++col)
        for (std::size_t j = 0; j < nu; ++j) vb[j + col * nu] = svd->vt[col + j * k];
      double t2 = 0;
      if (cc < k) {
        ++tries;
        bool proven = false;
        const double lo = sv[cc] * sv[cc], hi = sv[cc - 1] * sv[cc - 1];
        for (double f : {0.5, 0.1, 0.9}) {
          t2 = lo + f * (hi - lo);
          if (prover.proves_below(t2, vb.data(), int(cc), deflate)) {
            proven = true;
            break;
          }
        }
        if (!proven) continue;
      }
      const auto radii =
          reference_detail::subspace_radii(a, m, n, prover, vb.data(), svd->u.data(), int(cc), t2);
      if (!radii.proven) continue;
      const double radius = std::max(radii.u, radii.v);
      if (radius <= kWidenAccept && radius < r.vector_radius) {
        r.cluster_size = int(cc);
        r.vector_radius = radius;
        r.u_cluster.assign(svd->u.begin(), svd->u.begin() + std::ptrdiff_t(mu * cc));
        r.v_cluster = std::move(vb);
        break;
      }
    }
  }
  if (r.cluster_size > 1 && r.u_cluster.empty()) {
    // LAPACK's cluster without a proven subspace radius: its bases, with vector_radius 1.
    const auto k = std::size_t(std::min(m, n)), cu = std::size_t(r.cluster_size);
    r.u_cluster.assign(svd->u.begin(), svd->u.begin() + std::ptrdiff_t(mu * cu));
    r.v_cluster.resize(nu * cu);
    for (std::size_t col = 0; col < cu; ++col)
      for (std::size_t j = 0; j < nu; ++j) r.v_cluster[j + col * nu] = svd->vt[col + j * k];
  }

  if (flip) {  // back to the wide matrix: its left vectors are the transpose's right ones
    std::swap(r.u1, r.v1);
    std::swap(r.u_cluster, r.v_cluster);
    std::swap(m, n);
  }

  // ---- sign convention ----
  const auto big = std::size_t(cblas_idamax(int(n), r.v1.data(), 1));
  if (r.v1[big] < 0) {
    for (auto& x : r.v1) x = -x;
    for (auto& x : r.u1) x = -x;
  }
  return r;
}

}  // namespace specbench
