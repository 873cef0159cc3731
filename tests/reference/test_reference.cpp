// Tests of the certified reference (reference/): closed forms to 30+ digits computed in the same
// multiprecision type, certified intervals that contain the truth and are not vacuous, a matrix
// on which LAPACK is off in the last digits and the reference is not, the sign convention, error
// paths, scaling, and the twelve SuiteSparse matrices of data/matrices.

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "harness/workloads/mtx.hpp"
#include "reference/certify.hpp"
#include "reference/reference.hpp"

namespace specbench {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

using HP = reference_detail::HighPrecision;

/// The Users' Guide bound of LAPACK's singular values: max(m, n) eps sigma1.
double guide_bound(std::int64_t m, std::int64_t n, double sigma1) {
  return double(std::max(m, n)) * kEps * sigma1;
}

std::vector<double> gaussian(std::int64_t m, std::int64_t n, std::uint64_t seed) {
  std::vector<double> a(static_cast<std::size_t>(m * n));
  Rng rng(seed);
  fill_gaussian<double>(rng, a);
  return a;
}

/// All singular values by LAPACKE_dgesdd (values only), decreasing.
std::vector<double> gesvd_values(std::vector<double> a, std::int64_t m, std::int64_t n) {
  std::vector<double> s(static_cast<std::size_t>(std::min(m, n))), superb(s.size());
  double dummy = 0;
  const lapack_int info =
      LAPACKE_dgesvd(LAPACK_COL_MAJOR, 'N', 'N', lapack_int(m), lapack_int(n), a.data(),
                     lapack_int(m), s.data(), &dummy, 1, &dummy, 1, superb.data());
  BOOST_REQUIRE_EQUAL(info, 0);
  return s;
}

/// max |lambda| of a symmetric n x n matrix by LAPACKE_dsyev (values only).
double max_abs_eigenvalue(std::vector<double> a, std::int64_t n) {
  std::vector<double> w(static_cast<std::size_t>(n));
  const lapack_int info =
      LAPACKE_dsyev(LAPACK_COL_MAJOR, 'N', 'L', lapack_int(n), a.data(), lapack_int(n), w.data());
  BOOST_REQUIRE_EQUAL(info, 0);
  return std::max(std::abs(w.front()), std::abs(w.back()));  // w is increasing
}

double norm(const std::vector<double>& x) {
  return cblas_dnrm2(int(x.size()), x.data(), 1);
}

/// Checks that (sigma1, u1, v1) is a singular triplet of a to within the reference's bound:
/// u1^T A v1 = sigma1, ||A v1 - sigma1 u1|| and ||A^T u1 - sigma1 v1|| small, unit vectors.
/// A backward-stable SVD gives residuals of order p(m, n) eps sigma1 (Users' Guide Sec. 4.9), so
/// the bound max(m, n) eps sigma1 is the natural tolerance.
void check_triplet(const std::vector<double>& a, std::int64_t m, std::int64_t n,
                   const Reference& r) {
  BOOST_REQUIRE_EQUAL(r.u1.size(), std::size_t(m));
  BOOST_REQUIRE_EQUAL(r.v1.size(), std::size_t(n));
  std::vector<double> av(r.u1), atu(r.v1);
  cblas_dgemv(CblasColMajor, CblasNoTrans, int(m), int(n), 1.0, a.data(), int(m), r.v1.data(), 1,
              -r.sigma1, av.data(), 1);  // A v1 - sigma1 u1
  cblas_dgemv(CblasColMajor, CblasTrans, int(m), int(n), 1.0, a.data(), int(m), r.u1.data(), 1,
              -r.sigma1, atu.data(), 1);  // A^T u1 - sigma1 v1
  const double tol = guide_bound(m, n, r.sigma1);
  BOOST_TEST(norm(av) <= tol);
  BOOST_TEST(norm(atu) <= tol);
  // u1^T A v1 = u1^T (residual + sigma1 u1) = sigma1 + u1^T residual
  std::vector<double> a_v(static_cast<std::size_t>(m));
  cblas_dgemv(CblasColMajor, CblasNoTrans, int(m), int(n), 1.0, a.data(), int(m), r.v1.data(), 1,
              0.0, a_v.data(), 1);
  BOOST_TEST(std::abs(cblas_ddot(int(m), r.u1.data(), 1, a_v.data(), 1) - r.sigma1) <= tol);
  // unit vectors: orthonormal Householder products, to a few eps per dimension
  BOOST_TEST(std::abs(norm(r.u1) - 1) <= double(m) * kEps);
  BOOST_TEST(std::abs(norm(r.v1) - 1) <= double(n) * kEps);
}

/// The sign convention: the largest-magnitude component of v1 (the first one) is positive.
void check_sign(const Reference& r) {
  const auto big = std::size_t(cblas_idamax(int(r.v1.size()), r.v1.data(), 1));
  BOOST_TEST(r.v1[big] > 0);
}

BOOST_AUTO_TEST_SUITE(reference)

/// The reference's high-precision value (its 45-digit text, parsed in HP).
HP value_of(const Reference& r) {
  return HP(r.sigma1_text);
}

/// The certified interval contains `exact`, and the bound reaches `digits` correct digits.
void check_certified(const Reference& r, const HP& exact, int digits) {
  const double err = static_cast<double>(abs(value_of(r) - exact));
  BOOST_TEST(err <= r.bound, "|sigma1 - exact| = " << err << " > bound " << r.bound);
  BOOST_TEST(r.bound <= std::pow(10.0, -digits) * static_cast<double>(exact),
             "bound " << r.bound << " for sigma1 = " << r.sigma1_text);
  BOOST_TEST(r.digits >= digits);
  // The text carries the certified digits plus two guard digits, never more: "d.ddd...e+XX"
  // with digits + 2 significant digits.
  const std::string mantissa = r.sigma1_text.substr(0, r.sigma1_text.find('e'));
  BOOST_TEST(mantissa.size() == std::size_t(r.digits + 2 + 1), r.sigma1_text);
  // sigma1 + sigma1_lo is the certified value as a double-double (106 bits): within the bound
  // of the text plus the double-double's own rounding, 2^-106 relative.
  BOOST_TEST(static_cast<double>(abs(value_of(r) - HP(r.sigma1) - HP(r.sigma1_lo))) <=
             r.bound + 0x1p-105 * r.sigma1);
}

BOOST_AUTO_TEST_CASE(diagonal_is_certified_to_30_digits) {
  // 5 x 4, diag(7, -3, 2, 0.5): sigma1 = 7, sigma2 = 3, u1 = e1, v1 = e1. Gap ratio 3/7 <= 0.9,
  // so the promise applies: relative bound <= 1e-28, and we ask for 30 digits.
  const std::int64_t m = 5, n = 4;
  std::vector<double> a(std::size_t(m * n), 0.0);
  const double d[] = {7, -3, 2, 0.5};
  for (std::int64_t j = 0; j < n; ++j) a[std::size_t(j + j * m)] = d[j];
  const Reference r = compute_reference(a.data(), m, n);
  check_certified(r, HP(7), 30);
  BOOST_TEST(std::abs(r.sigma2 - 3) <= guide_bound(m, n, 7));
  BOOST_TEST(r.method.find("kato-temple") != std::string::npos, r.method);
  BOOST_TEST(r.cluster_size == 1);
  check_triplet(a, m, n, r);
  check_sign(r);
}

BOOST_AUTO_TEST_CASE(negative_dominant_diagonal_entry_flips_u1_not_v1) {
  // diag(1, -9, 4): sigma1 = 9 with v1 = +e2 (the convention) and then u1 = A v1 / 9 = -e2.
  const std::int64_t n = 3;
  std::vector<double> a(9, 0.0);
  a[0] = 1;
  a[4] = -9;
  a[8] = 4;
  const Reference r = compute_reference(a.data(), n, n);
  check_certified(r, HP(9), 30);
  BOOST_TEST(std::abs(r.v1[1] - 1) <= 4 * kEps);
  BOOST_TEST(std::abs(r.u1[1] + 1) <= 4 * kEps);
}

BOOST_AUTO_TEST_CASE(rank_one_integer_matrix) {
  // A = x y^T with small integers: every entry is exact, sigma1 = ||x|| ||y|| = sqrt(91 * 40)
  // (in HP), sigma2 = 0: the largest possible gap.
  const std::vector<double> x = {1, 2, 3, 4, 5, -6}, y = {2, -1, 5, 3, 1};
  const std::int64_t m = 6, n = 5;
  std::vector<double> a(static_cast<std::size_t>(m * n));
  for (std::int64_t j = 0; j < n; ++j)
    for (std::int64_t i = 0; i < m; ++i) a[std::size_t(i + j * m)] = x[i] * y[j];
  const Reference r = compute_reference(a.data(), m, n);
  check_certified(r, sqrt(HP(91 * 40)), 30);
  // LAPACK's sigma2 of an exactly rank-one matrix is rounding noise.
  BOOST_TEST(r.sigma2 <= guide_bound(m, n, r.sigma1));
  // y's largest-magnitude component (5) is positive, so v1 = +y/||y|| and u1 = +x/||x||.
  for (std::int64_t j = 0; j < n; ++j)
    BOOST_TEST(std::abs(r.v1[j] - y[j] / std::sqrt(40.0)) <= 4 * kEps);
  for (std::int64_t i = 0; i < m; ++i)
    BOOST_TEST(std::abs(r.u1[i] - x[i] / std::sqrt(91.0)) <= 4 * kEps);
  check_triplet(a, m, n, r);
}

/// tridiag(-1, 2, -1), n x n: eigenvalues 2 - 2 cos(k pi / (n + 1)), so sigma1 = 2 + 2 cos(pi /
/// (n + 1)) and sigma2 = 2 + 2 cos(2 pi / (n + 1)).
std::vector<double> tridiagonal(std::int64_t n) {
  std::vector<double> a(std::size_t(n * n), 0.0);
  for (std::int64_t i = 0; i < n; ++i) {
    a[std::size_t(i + i * n)] = 2;
    if (i + 1 < n) a[std::size_t(i + 1 + i * n)] = a[std::size_t(i + (i + 1) * n)] = -1;
  }
  return a;
}
HP tridiagonal_sigma1(std::int64_t n) {
  return 2 + 2 * cos(boost::math::constants::pi<HP>() / (n + 1));
}

BOOST_AUTO_TEST_CASE(tridiagonal_closed_form) {
  // Gap ratio (1 + cos(2 pi/(n+1))) / (1 + cos(pi/(n+1))): 0.96 for n = 10, 0.9997 for n = 200.
  // 30 digits are promised for gap ratios <= 0.99 only; beyond, the bound must still contain the
  // truth.
  for (const std::int64_t n : {3, 10, 40, 200}) {
    BOOST_TEST_CONTEXT("n = " << n) {
      const auto a = tridiagonal(n);
      const Reference r = compute_reference(a.data(), n, n);
      const HP exact = tridiagonal_sigma1(n);
      const double ratio = r.sigma2 / r.sigma1;
      check_certified(r, exact, ratio <= 0.99 ? 30 : 16);
      BOOST_TEST_MESSAGE("tridiag n = " << n << ": gap ratio " << ratio << ", " << r.digits
                                        << " digits, bound " << r.bound);
    }
  }
}

BOOST_AUTO_TEST_CASE(lapack_is_off_in_the_last_digits_and_the_reference_is_not) {
  // LAPACK's sigma1 carries an error of up to p(m, n) eps sigma1; the reference's is certified
  // far below. Over several sizes of the tridiagonal matrix, LAPACK's double is not the double
  // nearest to the closed form at least once, while the reference's always is, and its
  // high-precision value is within its bound.
  int lapack_off = 0;
  for (const std::int64_t n : {50, 64, 100, 128, 150, 256}) {
    const auto a = tridiagonal(n);
    const HP exact = tridiagonal_sigma1(n);
    const double nearest = static_cast<double>(exact);
    const double lapack = gesvd_values(a, n, n)[0];
    if (lapack != nearest) ++lapack_off;
    const Reference r = compute_reference(a.data(), n, n);
    BOOST_TEST(r.sigma1 == nearest, "n = " << n);
    BOOST_TEST(static_cast<double>(abs(value_of(r) - exact)) <= r.bound);
    BOOST_TEST_MESSAGE("n = " << n << ": LAPACK off by "
                              << static_cast<double>(abs(HP(lapack) - exact) / exact)
                              << " relative, reference by "
                              << static_cast<double>(abs(value_of(r) - exact) / exact));
  }
  BOOST_TEST(lapack_off >= 1);
}

BOOST_AUTO_TEST_CASE(one_by_one_and_vectors) {
  const double minus_three = -3;
  const Reference r = compute_reference(&minus_three, 1, 1);
  check_certified(r, HP(3), 30);
  BOOST_TEST(r.sigma2 == 0.0);
  BOOST_TEST(r.v1[0] == 1.0);
  BOOST_TEST(r.u1[0] == -1.0);
  // A column and a row: sigma1 = the 2-norm, exactly sqrt(1 + 4 + 4) = 3.
  const std::vector<double> col = {1, -2, 2};
  for (const auto& [m, n] : {std::pair<std::int64_t, std::int64_t>{3, 1}, {1, 3}}) {
    const Reference c = compute_reference(col.data(), m, n);
    check_certified(c, HP(3), 30);
  }
}

BOOST_AUTO_TEST_CASE(zero_matrix_is_exact_without_nan) {
  const std::vector<double> a(12, 0.0);
  const Reference r = compute_reference(a.data(), 4, 3);
  BOOST_TEST(r.sigma1 == 0.0);
  BOOST_TEST(r.sigma2 == 0.0);
  BOOST_TEST(r.bound == 0.0);
  BOOST_TEST(r.u1 == (std::vector<double>{1, 0, 0, 0}));
  BOOST_TEST(r.v1 == (std::vector<double>{1, 0, 0}));
  BOOST_TEST(r.method == "exact-zero");
}

BOOST_AUTO_TEST_CASE(random_matrices_are_certified_and_agree_with_lapack) {
  const std::pair<std::int64_t, std::int64_t> shapes[] = {{60, 25}, {25, 60}, {40, 40},
                                                          {200, 3}, {2, 150}, {2, 2}};
  std::uint64_t seed = 11;
  for (const auto& [m, n] : shapes) {
    BOOST_TEST_CONTEXT(m << " x " << n) {
      const auto a = gaussian(m, n, seed++);
      const Reference r = compute_reference(a.data(), m, n);
      const auto s = gesvd_values(a, m, n);
      // LAPACK is within max(m, n) eps sigma1 of the truth (Users' Guide Sec. 4.9), and the
      // certified interval holds the truth.
      BOOST_TEST(std::abs(r.sigma1 - s[0]) <= guide_bound(m, n, s[0]) + r.bound);
      BOOST_TEST(std::abs(r.sigma2 - s[1]) <= guide_bound(m, n, s[0]));
      if (r.sigma2 / r.sigma1 <= 0.9) BOOST_TEST(r.bound <= 1e-28 * r.sigma1);
      BOOST_TEST(r.digits >= 20, r.digits);
      check_triplet(a, m, n, r);
      check_sign(r);
    }
  }
}

// A proven gap needs no SVD: the certificate is Lanczos, the refinement and Cholesky proofs only
// (`method` names every step), sigma1 is then simple (cluster_size 1, proven) and sigma2 is
// Lanczos' second Ritz value, within LAPACK's own error of LAPACK's. Without a gap (a Hadamard
// matrix: every singular value equal) LAPACK's values are computed and named.
BOOST_AUTO_TEST_CASE(a_proven_gap_needs_no_lapack_svd) {
  const std::pair<std::int64_t, std::int64_t> shapes[] = {{300, 200}, {12, 900}, {900, 12}};
  std::uint64_t seed = 31;
  for (const auto& [m, n] : shapes) {
    BOOST_TEST_CONTEXT(m << " x " << n) {
      const auto a = gaussian(m, n, seed++);
      const Reference r = compute_reference(a.data(), m, n);
      BOOST_TEST(r.method == "lanczos+refine+kato-temple+cholesky-gap");
      BOOST_TEST(r.cluster_size == 1);
      BOOST_TEST(r.vector_radius < 1e-12);
      const auto s = gesvd_values(a, m, n);
      BOOST_TEST(std::abs(r.sigma1 - s[0]) <= guide_bound(m, n, s[0]) + r.bound);
      BOOST_TEST(std::abs(r.sigma2 - s[1]) <= guide_bound(m, n, s[0]));
      BOOST_TEST(r.digits >= 30);
      check_triplet(a, m, n, r);
      check_sign(r);
    }
  }
  const std::int64_t n = 16;
  std::vector<double> h(std::size_t(n * n));
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      h[std::size_t(i + j * n)] = __builtin_popcountll(std::uint64_t(i & j)) % 2 ? -1.0 : 1.0;
  const Reference r = compute_reference(h.data(), n, n);
  BOOST_TEST(r.method.rfind("lapack-dgesdd+lanczos+refine+", 0) == 0, r.method);
  // LAPACK's sigma2: 4 = sqrt(16) to within its error
  BOOST_TEST(std::abs(r.sigma2 - 4.0) <= guide_bound(n, n, 4.0), r.sigma2);
  BOOST_TEST(r.cluster_size == int(n));
}

// A wide matrix is handled as its transpose and its vectors swapped back: for the rank-one
// x y^T with m < n, u1 = x / ||x|| and v1 = y / ||y|| (sign: y's largest entry is positive).
BOOST_AUTO_TEST_CASE(wide_rank_one_vectors_come_back_unswapped) {
  const std::vector<double> x = {1, -2, 3, 2}, y = {2, -1, 5, 3, 1, -4, 2, 1, 1};
  const std::int64_t m = 4, n = 9;
  std::vector<double> a(static_cast<std::size_t>(m * n));
  for (std::int64_t j = 0; j < n; ++j)
    for (std::int64_t i = 0; i < m; ++i) a[std::size_t(i + j * m)] = x[i] * y[j];
  const Reference r = compute_reference(a.data(), m, n);
  check_certified(r, sqrt(HP(18 * 62)), 30);
  BOOST_REQUIRE_EQUAL(r.u1.size(), std::size_t(m));
  BOOST_REQUIRE_EQUAL(r.v1.size(), std::size_t(n));
  for (std::int64_t j = 0; j < n; ++j)
    BOOST_TEST(std::abs(r.v1[j] - y[j] / std::sqrt(62.0)) <= 4 * kEps);
  for (std::int64_t i = 0; i < m; ++i)
    BOOST_TEST(std::abs(r.u1[i] - x[i] / std::sqrt(18.0)) <= 4 * kEps);
  check_triplet(a, m, n, r);
}

BOOST_AUTO_TEST_CASE(sign_convention_is_deterministic_under_negation) {
  // -A has the same v1 (the convention fixes its sign) and the negated u1, and the same digits.
  const std::int64_t m = 30, n = 20;
  auto a = gaussian(m, n, 5);
  const Reference r = compute_reference(a.data(), m, n);
  for (auto& x : a) x = -x;
  const Reference s = compute_reference(a.data(), m, n);
  check_sign(r);
  check_sign(s);
  BOOST_TEST(static_cast<double>(abs(value_of(r) - value_of(s))) <= r.bound + s.bound);
  for (std::int64_t j = 0; j < n; ++j) BOOST_TEST(std::abs(r.v1[j] - s.v1[j]) <= 1e3 * kEps);
  for (std::int64_t i = 0; i < m; ++i) BOOST_TEST(std::abs(r.u1[i] + s.u1[i]) <= 1e3 * kEps);
  // Repeated calls give bit-identical results.
  const Reference again = compute_reference(a.data(), m, n);
  BOOST_TEST(again.sigma1_text == s.sigma1_text);
  BOOST_TEST(again.bound == s.bound);
  BOOST_TEST(again.v1 == s.v1);
}

BOOST_AUTO_TEST_CASE(bad_input_is_rejected_before_work) {
  auto message_of = [](auto&& call) -> std::string {
    try {
      call();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "no exception";
  };
  std::vector<double> a(6, 1.0);
  a[5] = std::numeric_limits<double>::quiet_NaN();  // (2, 3) of a 2 x 3 matrix
  BOOST_TEST(message_of([&] {
               compute_reference(a.data(), 2, 3);
             }).find("NaN or Inf entry at (2, 3)") != std::string::npos);
  a[5] = 1;
  a[2] = -std::numeric_limits<double>::infinity();  // (1, 2)
  BOOST_TEST(message_of([&] {
               compute_reference(a.data(), 2, 3);
             }).find("NaN or Inf entry at (1, 2)") != std::string::npos);
  BOOST_CHECK_THROW(compute_reference(a.data(), 0, 3), std::invalid_argument);
  BOOST_CHECK_THROW(compute_reference(a.data(), 2, -1), std::invalid_argument);
  BOOST_CHECK_THROW(compute_reference(nullptr, 2, 3), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(huge_and_tiny_entries_are_scaled) {
  // The reference scales A by a power of two into a safe range; results scale back exactly.
  const std::int64_t m = 12, n = 9;
  const auto a = gaussian(m, n, 3);
  const Reference r = compute_reference(a.data(), m, n);
  for (const double scale : {0x1p+900, 0x1p-900}) {
    auto b = a;
    for (auto& x : b) x *= scale;
    const Reference s = compute_reference(b.data(), m, n);
    BOOST_TEST(std::isfinite(s.sigma1));
    // Scaling by a power of two is exact and the reference scales back exactly: same digits.
    BOOST_TEST(static_cast<double>(abs(value_of(s) / scale - value_of(r))) <= 2 * r.bound);
    // Only the decimal texts' rounding (at most half a unit in the last of digits + 2 digits)
    // differs between the two bounds.
    BOOST_TEST(std::abs(s.bound / scale - r.bound) <= std::pow(10.0, -r.digits - 1) * r.sigma1);
    BOOST_TEST(s.digits >= r.digits - 1);
  }
}

// ---- the twelve SuiteSparse matrices (README: data/matrices/README.md) ----

const std::vector<std::string> kMatrixNames = {"west0479", "olm1000",  "impcol_a", "494_bus",
                                               "LFAT5",    "bcsstk13", "ash219",   "lp_afiro",
                                               "lp_e226",  "can_24",   "jagmesh7", "n3c4-b4"};
const std::vector<std::string> kSymmetric = {"494_bus", "LFAT5", "bcsstk13", "can_24", "jagmesh7"};

/// Reference of one SuiteSparse matrix of data/matrices, cross-checked by an independent LAPACK
/// driver.
void check_suitesparse(const std::string& name) {
  const auto a = read_matrix_market(std::string(SPECBENCH_MATRICES_DIR) + "/" + name + ".mtx");
  const std::int64_t m = a.rows(), n = a.cols();
  const std::vector<double> values(a.values().begin(), a.values().end());
  const Reference r = compute_reference(a.data(), m, n);
  BOOST_TEST(std::isfinite(r.sigma1));
  BOOST_TEST(std::isfinite(r.bound));
  BOOST_TEST(r.sigma1 >= r.sigma2 - guide_bound(m, n, r.sigma1));  // equal within LAPACK's error
  BOOST_TEST(r.sigma2 >= 0.0);
  BOOST_TEST(r.sigma1 > 0.0);
  // Certified, with the bound reported (the weakest bound is the number to watch).
  BOOST_TEST(r.bound > 0.0);
  BOOST_TEST(r.bound <= 1e-16 * r.sigma1);
  BOOST_TEST_MESSAGE(name << ": sigma1 = " << r.sigma1_text << " +- " << r.bound << " (" << r.digits
                          << " digits, gap ratio " << r.sigma2 / r.sigma1 << ", " << r.method
                          << ")");
  check_triplet(values, m, n, r);
  check_sign(r);

  const double tol = guide_bound(m, n, r.sigma1);
  if (std::find(kSymmetric.begin(), kSymmetric.end(), name) != kSymmetric.end()) {
    // Symmetric: sigma1 = max |lambda| (an independent algorithm: tridiagonalization + QL/QR).
    BOOST_TEST(std::abs(r.sigma1 - max_abs_eigenvalue(values, n)) <= tol + r.bound);
  } else {
    // Nonsymmetric: agree with dgesdd (divide and conquer on the bidiagonal), sigma1 and sigma2.
    const auto s = gesvd_values(values, m, n);
    BOOST_TEST(std::abs(r.sigma1 - s[0]) <= tol + r.bound);
    BOOST_TEST(std::abs(r.sigma2 - s[1]) <= tol);
  }
  if (name == "n3c4-b4") {
    // The top singular value is repeated five times (README): sigma1 == sigma2 within LAPACK's
    // error, the cluster is seen, Kato-Temple does not apply, and the gap-free bracket (in high
    // precision: the matrix is 6 x 15) still certifies 30 digits of sqrt(6).
    BOOST_TEST(r.sigma1 - r.sigma2 <= tol);
    BOOST_TEST(r.cluster_size == 5);
    BOOST_TEST(r.method.find("cholesky-bracket") != std::string::npos, r.method);
    BOOST_TEST(r.digits >= 30);
    BOOST_TEST(static_cast<double>(abs(value_of(r) - sqrt(HP(6)))) <= r.bound);
  }
}

BOOST_AUTO_TEST_CASE(suitesparse_matrices) {
  // (A loop rather than BOOST_DATA_TEST_CASE: GCC 12 warns (-Wrestrict, a false positive) inside
  // Boost 1.74's data test case name generation.)
  for (const auto& name : kMatrixNames) BOOST_TEST_CONTEXT(name) {
      check_suitesparse(name);
    }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench
