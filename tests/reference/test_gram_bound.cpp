// The gap-free certificate (reference/gram_bound.hpp) and what it makes of the reference:
// a prover handed a wrong t refuses, in double and in high precision, with and without the
// rank-one deflation; nearly repeated and exactly repeated sigma1 (diagonals with top values
// 1 and 80 ulps apart, also scaled by 2^1000 and 2^-1000; Hadamard matrices, whose singular
// values are all equal; the step spectra that once broke the certificate) get intervals that
// contain the exact value, checked against closed forms and against an independent
// high-precision Jacobi eigen-solver, with 30+ digits; the closed forms (tridiag, Hadamard,
// rank one, [1]) also at 2^1000 and 2^-1000 times, and subnormal entries.

#include <boost/math/constants/constants.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/experiment/metrics.hpp"
#include "harness/workloads/matrices.hpp"
#include "reference/certify.hpp"
#include "reference/gram_bound.hpp"
#include "reference/reference.hpp"

namespace specbench {
namespace {

using HP = reference_detail::HighPrecision;
using reference_detail::GramProver;

/// |exact - text| <= bound, and `digits` digits certified.
void check_contains(const Reference& r, const HP& exact, int digits) {
  const HP text(r.sigma1_text);
  const double err = static_cast<double>(abs(text - exact));
  BOOST_TEST(err <= r.bound, "|" << r.sigma1_text << " - exact| = " << err << " > bound " << r.bound
                                 << " (" << r.method << ")");
  BOOST_TEST(r.digits >= digits, r.digits << " digits, " << r.method);
}

/// The largest eigenvalue of A^T A in high precision by cyclic Jacobi (an eigen-solver that
/// shares nothing with the reference: no Cholesky, no Lanczos, no LAPACK), square-rooted.
HP jacobi_sigma1(const std::vector<double>& a, std::int64_t m, std::int64_t n) {
  const auto nu = std::size_t(n), mu = std::size_t(m);
  std::vector<HP> g(nu * nu, HP(0));
  for (std::size_t i = 0; i < nu; ++i)
    for (std::size_t j = 0; j < nu; ++j)
      for (std::size_t r = 0; r < mu; ++r) g[i + j * nu] += HP(a[r + i * mu]) * a[r + j * mu];
  for (int sweep = 0; sweep < 100; ++sweep) {
    HP off = 0;
    for (std::size_t i = 0; i < nu; ++i)
      for (std::size_t j = 0; j < nu; ++j)
        if (i != j) off += g[i + j * nu] * g[i + j * nu];
    if (off < HP("1e-110")) break;
    for (std::size_t p = 0; p + 1 < nu; ++p)
      for (std::size_t q = p + 1; q < nu; ++q) {
        const HP apq = g[p + q * nu];
        if (apq == 0) continue;
        const HP tau = (g[q + q * nu] - g[p + p * nu]) / (2 * apq);
        const HP t = (tau >= 0 ? HP(1) : HP(-1)) / (abs(tau) + sqrt(1 + tau * tau));
        const HP c = 1 / sqrt(1 + t * t), s = t * c;
        for (std::size_t r = 0; r < nu; ++r) {
          const HP gp = g[r + p * nu], gq = g[r + q * nu];
          g[r + p * nu] = c * gp - s * gq;
          g[r + q * nu] = s * gp + c * gq;
        }
        for (std::size_t r = 0; r < nu; ++r) {
          const HP gp = g[p + r * nu], gq = g[q + r * nu];
          g[p + r * nu] = c * gp - s * gq;
          g[q + r * nu] = s * gp + c * gq;
        }
      }
  }
  HP top = 0;
  for (std::size_t i = 0; i < nu; ++i) top = std::max(top, g[i + i * nu]);
  return sqrt(top);
}

/// The reference of the matrix of `spec` (m x n) contains the Jacobi value, with 30+ digits.
void check_against_jacobi(const std::string& spec, std::int64_t m, std::int64_t n) {
  const auto mat = make_matrix(parse_matrix_spec(spec));
  const std::vector<double> a(mat.values().begin(), mat.values().end());
  const Reference r = compute_reference(a.data(), m, n);
  check_contains(r, jacobi_sigma1(a, m, n), 30);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gram_bound)

// diag(3, 2, 1) in a 4 x 3 matrix: the eigenvalues of A^T A are 9, 4, 1 exactly.
BOOST_AUTO_TEST_CASE(a_wrong_t_is_refused) {
  std::vector<double> a(12, 0.0);
  a[0] = 3;
  a[5] = 2;
  a[10] = 1;
  GramProver p(a.data(), 4, 3);
  BOOST_TEST(p.right_side());
  BOOST_TEST(p.proves_below(9 * (1 + 1e-12), nullptr, 0.0));
  BOOST_TEST(!p.proves_below(9 * (1 - 1e-12), nullptr, 0.0));
  BOOST_TEST(!p.proves_below(9.0, nullptr, 0.0));  // equality is not "below"
  BOOST_TEST(!p.proves_below(-1.0, nullptr, 0.0));
  // Deflation with the exact top vector: lambda_2 = 4.
  const double e1[3] = {1, 0, 0}, e2[3] = {0, 1, 0};
  BOOST_TEST(p.proves_below(4 * (1 + 1e-12), e1, 9.5));
  BOOST_TEST(!p.proves_below(4 * (1 - 1e-12), e1, 9.5));
  // Deflating the wrong direction leaves 9 on top: nothing below 9 can be proven.
  BOOST_TEST(!p.proves_below(8.9, e2, 9.5));
  // High precision resolves 1e-30 where double resolves ~1e-14.
  BOOST_TEST(p.high_precision_available());
  BOOST_TEST(p.proves_below_hp(9 * (1 + HP("1e-35")), nullptr, HP(0)));
  BOOST_TEST(!p.proves_below_hp(9 * (1 - HP("1e-35")), nullptr, HP(0)));
  const std::vector<HP> x1 = {1, 0, 0};
  BOOST_TEST(p.proves_below_hp(4 * (1 + HP("1e-35")), &x1, HP(9.5)));
  BOOST_TEST(!p.proves_below_hp(4 * (1 - HP("1e-35")), &x1, HP(9.5)));
  // The wide transpose uses A A^T, the smaller side.
  std::vector<double> w(12, 0.0);
  w[0] = 3;
  w[4] = 2;
  w[8] = 1;  // 3 x 4, diag(3, 2, 1)
  GramProver q(w.data(), 3, 4);
  BOOST_TEST(!q.right_side());
  BOOST_TEST(q.size() == 3);
  BOOST_TEST(q.proves_below(9 * (1 + 1e-12), nullptr, 0.0));
  BOOST_TEST(!q.proves_below(9 * (1 - 1e-12), nullptr, 0.0));
}

// Top diagonal values 0, 1 and 80 ulps apart (and the exact repeat), unscaled and scaled by
// 2^1000 and 2^-1000: sigma1 is the largest |d_i| exactly, 30+ digits certified.
BOOST_AUTO_TEST_CASE(nearly_repeated_diagonals) {
  for (int ulps : {0, 1, 80})
    for (double scale : {1.0, 0x1p+1000, 0x1p-1000}) {
      BOOST_TEST_CONTEXT("top values " << ulps << " ulps apart, scale " << scale) {
        const std::int64_t m = 9, n = 7;
        std::vector<double> a(std::size_t(m * n), 0.0);
        double second = 1.0;
        for (int k = 0; k < ulps; ++k) second = std::nextafter(second, 0.0);
        const double d[7] = {0.25, second, 0.5, 1.0, -0.125, 0.75, 0.3};
        for (std::int64_t j = 0; j < n; ++j) a[std::size_t(j + j * m)] = d[j] * scale;
        const Reference r = compute_reference(a.data(), m, n);
        check_contains(r, HP(scale), 30);
        // The top singular vectors are e_4 exactly once the values differ (even by one ulp):
        // the reference finds them, so exact vectors score 0 (the issue saw 0.7265 at 80 ulps).
        DenseMatrix<double> dm(m, n);  // the same matrix, for the metrics
        for (std::int64_t j = 0; j < n; ++j)
          for (std::int64_t i = 0; i < m; ++i) dm(i, j) = a[std::size_t(i + j * m)];
        if (ulps > 0) {
          BOOST_TEST(std::abs(r.v1[3]) == 1.0);
          BOOST_TEST(std::abs(r.u1[3]) == 1.0);
          BOOST_TEST(std::abs(r.v1[1]) <= 1e-30);
        }
        if (ulps == 80) {
          BOOST_TEST(r.cluster_size == 1);
          // A proven gap of 80 ulps: the vectors' certified radius is tiny, and exact vectors
          // score the floor radius^2 / 2 (never below the reference's own uncertainty).
          BOOST_TEST(r.vector_radius > 0.0);
          BOOST_TEST(r.vector_radius < 1e-14);
          std::vector<double> eu(std::size_t(m), 0.0), ev(std::size_t(n), 0.0);
          eu[3] = ev[3] = 1;
          const Metrics mt = compute_metrics<double>(dm, r, scale, eu, ev);
          BOOST_TEST(mt.u_cos_err == r.vector_radius * r.vector_radius / 2);
          BOOST_TEST(mt.v_cos_err < 1e-28);
        }
        if (ulps == 0) {
          // sigma1 = sigma2 exactly: no single vector is determined, but the two-dimensional
          // subspace span(e_2, e_4) is, with a proven radius (the widened cluster); a vector in
          // it (here (e_2 + e_4) / sqrt(2)) scores the floor radius^2, one outside it (e_1) ~1.
          BOOST_TEST(r.cluster_size == 2);
          BOOST_TEST(r.vector_radius > 0.0);
          BOOST_TEST(r.vector_radius < 1e-12);
          std::vector<double> eu(std::size_t(m), 0.0), ev(std::size_t(n), 0.0), e1(ev);
          eu[1] = eu[3] = ev[1] = ev[3] = std::sqrt(0.5);
          e1[0] = 1;
          const Metrics in = compute_metrics<double>(dm, r, scale, eu, ev);
          BOOST_TEST(in.u_cos_err == r.vector_radius * r.vector_radius);
          BOOST_TEST(in.v_cos_err == r.vector_radius * r.vector_radius);
          const Metrics out = compute_metrics<double>(dm, r, scale, eu, e1);
          BOOST_TEST(out.v_cos_err >= 1 - 1e-12);
        }
      }
    }
}

// Hadamard matrices: H^T H = n I, every singular value is sqrt(n) (a cluster of size n).
BOOST_AUTO_TEST_CASE(hadamard_all_singular_values_equal) {
  for (std::int64_t n : {2, 8, 32}) {
    BOOST_TEST_CONTEXT("Hadamard " << n) {
      std::vector<double> h(std::size_t(n * n));
      for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < n; ++j)
          h[std::size_t(i + j * n)] = __builtin_popcountll(std::uint64_t(i & j)) % 2 ? -1.0 : 1.0;
      const Reference r = compute_reference(h.data(), n, n);
      check_contains(r, sqrt(HP(double(n))), 30);
      BOOST_TEST(r.cluster_size == int(n));
    }
  }
}

// The family that broke the old certificate (sigma1 and sigma2 equal up to the rounding of the
// generator): every seed contained, against the independent Jacobi solver.
BOOST_AUTO_TEST_CASE(step_and_clustered_spectra_against_jacobi) {
  int checked = 0;
  for (const char* decay : {"step", "clustered"})
    for (int seed = 1; seed <= 6; ++seed) {
      const std::string text = std::string("spectrum:m=30,n=20,decay=") + decay +
                               ",count=2,rate=0.5,seed=" + std::to_string(seed);
      BOOST_TEST_CONTEXT(text) {
        check_against_jacobi(text, 30, 20);
        ++checked;
      }
    }
  BOOST_TEST(checked == 12);
}

// A random 40 x 25 matrix with sigma2 = sigma1 (1 - 1e-15) by construction: the gap is below
// what double precision resolves, and the certificate still holds.
BOOST_AUTO_TEST_CASE(random_near_cluster_against_jacobi) {
  for (int seed = 1; seed <= 3; ++seed) {
    const std::string text =
        "spectrum:m=40,n=25,decay=gap,rate=0.999999999999999,seed=" + std::to_string(seed);
    BOOST_TEST_CONTEXT(text) {
      check_against_jacobi(text, 40, 25);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace specbench

namespace specbench {

BOOST_AUTO_TEST_SUITE(extreme_scales)

// Subnormal entries, sigma1 near the bottom of the double range, the 1 x 1 [1] and a matrix
// whose sigma1 exceeds the largest double.
BOOST_AUTO_TEST_CASE(bounds_digits_and_text_at_the_ends_of_the_range) {
  // diag(4, 3) x 2^-1070: subnormal entries (exact), sigma1 = 2^-1068 exactly.
  std::vector<double> sub = {0x1p-1068, 0, 0, 0x1.8p-1069};
  const Reference s = compute_reference(sub.data(), 2, 2);
  BOOST_TEST(s.bound > 0.0);  // never 0, even below the subnormal range
  BOOST_TEST(s.digits >= 30, s.digits);
  BOOST_TEST(static_cast<double>(abs(HP(s.sigma1_text) / ldexp(HP(1), -1068) - 1)) <=
             std::pow(10.0, -s.digits));
  // A 2 x 2 with entries ~1e-300: the bound is no longer representable relative to sigma1 at 30
  // digits (it is rounded up to the subnormal grid) while `digits` keeps the exact relative bound.
  std::vector<double> tiny = {3e-300, 1e-300, 2e-300, 4e-300};
  const Reference t = compute_reference(tiny.data(), 2, 2);
  BOOST_TEST(t.bound > 0.0);
  BOOST_TEST(t.digits >= 30, t.digits);
  // [1]: exactly 1, printed as 1.000..., digits + 2 significant digits.
  const double one = 1;
  const Reference o = compute_reference(&one, 1, 1);
  BOOST_TEST(o.sigma1_text.rfind("1.000000000000000000000000000000", 0) == 0u, o.sigma1_text);
  BOOST_TEST(o.digits >= 30);
  // sigma1 = 3e308 > DBL_MAX: refused as bad input, with the reason.
  std::vector<double> big = {1.5e308, 1.5e308, 1.5e308, 1.5e308};
  BOOST_CHECK_EXCEPTION(compute_reference(big.data(), 2, 2), std::invalid_argument,
                        [](const std::invalid_argument& e) {
                          return std::string(e.what()).find("exceeds the largest double") !=
                                 std::string::npos;
                        });
}

// The closed forms at three scales: tridiag(-1, 2, -1) (n = 10: sigma1 = 2 + 2 cos(pi / 11)),
// a Hadamard matrix (n = 8: every singular value sqrt(8)), a rank-one integer x y^T (sigma1 =
// ||x|| ||y||) and [1], each also times 2^1000 and 2^-1000. The scaling is exact, so the
// certified interval holds exact * scale, with the same digits, the same value (scaled exactly)
// and the same (widened) cluster.
BOOST_AUTO_TEST_CASE(closed_forms_scaled_by_two_to_the_plus_and_minus_1000) {
  struct Case {
    std::string name;
    std::int64_t m, n;
    std::vector<double> a;
    HP exact;
  };
  std::vector<Case> cases;
  {
    const std::int64_t n = 10;
    std::vector<double> t(std::size_t(n * n), 0.0);
    for (std::int64_t i = 0; i < n; ++i) {
      t[std::size_t(i + i * n)] = 2;
      if (i + 1 < n) t[std::size_t(i + 1 + i * n)] = t[std::size_t(i + (i + 1) * n)] = -1;
    }
    cases.push_back({"tridiag 10", n, n, t, 2 + 2 * cos(boost::math::constants::pi<HP>() / 11)});
  }
  {
    const std::int64_t n = 8;
    std::vector<double> h(std::size_t(n * n));
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j)
        h[std::size_t(i + j * n)] = __builtin_popcountll(std::uint64_t(i & j)) % 2 ? -1.0 : 1.0;
    cases.push_back({"Hadamard 8", n, n, h, sqrt(HP(8))});
  }
  {
    const std::vector<double> x = {1, 2, 3, -4}, y = {2, -1, 5, 3, 1, 7};
    std::vector<double> r(x.size() * y.size());
    for (std::size_t j = 0; j < y.size(); ++j)
      for (std::size_t i = 0; i < x.size(); ++i) r[i + j * x.size()] = x[i] * y[j];
    cases.push_back({"rank one 4 x 6", 4, 6, r, sqrt(HP(30 * 89))});
  }
  cases.push_back({"[1]", 1, 1, {1.0}, HP(1)});
  for (const auto& c : cases) {
    const Reference base = compute_reference(c.a.data(), c.m, c.n);
    for (int e : {0, 1000, -1000}) {
      BOOST_TEST_CONTEXT(c.name << " x 2^" << e) {
        std::vector<double> a(c.a);
        for (auto& x : a) x = std::ldexp(x, e);
        const Reference r = compute_reference(a.data(), c.m, c.n);
        check_contains(r, ldexp(c.exact, e), 30);
        BOOST_TEST(r.digits == base.digits);
        BOOST_TEST(r.sigma1 == std::ldexp(base.sigma1, e));  // the same value, scaled exactly
        BOOST_TEST(r.cluster_size == base.cluster_size);
        BOOST_TEST(r.vector_radius < 1e-12);  // Hadamard: the widened cluster is everything
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace specbench
