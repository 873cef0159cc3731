#pragma once
/// \file
/// Shared helpers for the estimator tests: the typed-test list {float, double} x {column-major,
/// row-major}, known-answer matrices built in double, reference SVDs, and checks of a result
/// against a known singular triplet. Everything is computed in double, whatever the scalar of
/// the run, so that the checks themselves add no rounding worth mentioning.

#include <algorithm>
#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "algorithms/dense.hpp"
#include "algorithms/estimator.hpp"
#include "algorithms/lapack.hpp"
#include "algorithms/registry.hpp"
#include "core/random.hpp"
#include "harness/workloads/matrices.hpp"

namespace specbench::test {

/// One typed-test parameter: a scalar and a storage layout of the dense operator.
template <class T, Layout L>
struct Dense {
  using Scalar = T;
  static constexpr Layout kLayout = L;
};

using DenseTypes =
    boost::mpl::list<Dense<float, Layout::ColMajor>, Dense<float, Layout::RowMajor>,
                     Dense<double, Layout::ColMajor>, Dense<double, Layout::RowMajor>>;
using ScalarTypes = boost::mpl::list<float, double>;
using DoubleTypes =
    boost::mpl::list<Dense<double, Layout::ColMajor>, Dense<double, Layout::RowMajor>>;

/// An operator with only the required members: exercises the free-function fallbacks
/// (products one by one, no block or fused Gram product).
template <class T>
struct MinimalOperator {
  using Scalar = T;
  const DenseOperator<T>& inner;
  Index rows() const { return inner.rows(); }
  Index cols() const { return inner.cols(); }
  void apply(std::span<const T> x, std::span<T> y) const { inner.apply(x, y); }
  void apply_transpose(std::span<const T> x, std::span<T> y) const { inner.apply_transpose(x, y); }
};

/// Unit roundoff-sized constant of the scalar type (machine epsilon, 2^-23 or 2^-52).
template <class T>
constexpr double kEps = std::numeric_limits<T>::epsilon();

template <class T>
double norm2(std::span<const T> x) {
  double s = 0;
  for (T xi : x) s += double(xi) * double(xi);
  return std::sqrt(s);
}

template <class T, class U>
double dot(std::span<const T> x, std::span<const U> y) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) s += double(x[i]) * double(y[i]);
  return s;
}

/// u^T A v in double, for A of any scalar (its entries are exact in double).
template <class A, class T>
double bilinear(const DenseMatrix<A>& a, std::span<const T> u, std::span<const T> v) {
  double s = 0;
  for (Index j = 0; j < a.cols(); ++j)
    for (Index i = 0; i < a.rows(); ++i)
      s += double(u[std::size_t(i)]) * double(a(i, j)) * double(v[std::size_t(j)]);
  return s;
}

template <class T>
bool all_finite(const EstimateResult<T>& r) {
  auto finite = [](T x) { return std::isfinite(x); };
  return std::isfinite(r.sigma) && std::all_of(r.u.begin(), r.u.end(), finite) &&
         std::all_of(r.v.begin(), r.v.end(), finite);
}

/// x y^T (sigma = ||x|| ||y||, u = x/||x||, v = y/||y||).
inline DenseMatrix<double> rank_one(const std::vector<double>& x, const std::vector<double>& y) {
  DenseMatrix<double> a(Index(x.size()), Index(y.size()));
  for (Index j = 0; j < a.cols(); ++j)
    for (Index i = 0; i < a.rows(); ++i) a(i, j) = x[std::size_t(i)] * y[std::size_t(j)];
  return a;
}

/// The m x n matrix with s on its diagonal.
inline DenseMatrix<double> diagonal(Index m, Index n, const std::vector<double>& s) {
  DenseMatrix<double> a(m, n);
  for (std::size_t i = 0; i < s.size(); ++i) a(Index(i), Index(i)) = s[i];
  return a;
}

/// s_j = first * ratio^j, j = 0..count-1.
inline std::vector<double> geometric(double first, double ratio, Index count) {
  std::vector<double> s(static_cast<std::size_t>(count));
  for (std::size_t j = 0; j < s.size(); ++j) s[j] = first * std::pow(ratio, double(j));
  return s;
}

/// The dominant singular triplet of a double matrix by LAPACK dgesvd (the reference).
struct Triplet {
  double sigma = 0, sigma2 = 0;  ///< sigma_1, sigma_2 (0 if min(m, n) = 1)
  std::vector<double> u, v;
};

inline Triplet reference_triplet(const DenseMatrix<double>& a) {
  const Index m = a.rows(), n = a.cols(), k = std::min(m, n);
  DenseMatrix<double> work = a.convert<double>(Layout::ColMajor);
  std::vector<double> s(static_cast<std::size_t>(k)), u(std::size_t(m * k)), vt(std::size_t(k * n));
  lapack::check(lapack::gesvd(m, n, work.data(), m, s.data(), u.data(), m, vt.data(), k), "gesvd");
  Triplet t;
  t.sigma = s[0];
  t.sigma2 = k > 1 ? s[1] : 0.0;
  t.u.assign(u.begin(), u.begin() + m);
  t.v.resize(std::size_t(n));
  for (Index j = 0; j < n; ++j) t.v[std::size_t(j)] = vt[std::size_t(j * k)];
  return t;
}

/// A known-answer matrix: A (double), its dominant triplet, and sigma_2 / sigma_1 (the power
/// iteration rate; 0 for rank one).
struct KnownCase {
  std::string name;
  DenseMatrix<double> a;
  Triplet exact;
  double ratio = 0;
};

/// Rank one, diagonal, 1x1, zero, tall 40x7 and wide 7x40 with a known spectrum.
inline std::vector<KnownCase> known_cases() {
  std::vector<KnownCase> cases;
  {
    // x y^T: sigma = ||x|| ||y|| = sqrt(30) sqrt(14), u = x/||x||, v = y/||y||
    const std::vector<double> x{1, -2, 3, 4, 0, 0.5}, y{2, 1, -3, 0.25};
    KnownCase c{"rank one 6x4", rank_one(x, y), {}, 0.0};
    c.exact.sigma = std::sqrt(dot<double, double>(x, x) * dot<double, double>(y, y));
    c.exact.u = x;
    c.exact.v = y;
    for (auto& e : c.exact.u) e /= std::sqrt(dot<double, double>(x, x));
    for (auto& e : c.exact.v) e /= std::sqrt(dot<double, double>(y, y));
    cases.push_back(std::move(c));
  }
  {
    // diag(5, 3, 1, 0.5, 0.25, 0.125, 0.0625): sigma = 5, u = v = e_1
    KnownCase c{"diagonal 7x7", diagonal(7, 7, {5, 3, 1, 0.5, 0.25, 0.125, 0.0625}), {}, 0.6};
    c.exact.sigma = 5;
    c.exact.sigma2 = 3;
    c.exact.u.assign(7, 0.0);
    c.exact.v.assign(7, 0.0);
    c.exact.u[0] = c.exact.v[0] = 1;
    cases.push_back(std::move(c));
  }
  {
    // [-3]: sigma = 3, u v = -1
    KnownCase c{"1x1", diagonal(1, 1, {-3}), {3, 0, {1}, {-1}}, 0.0};
    cases.push_back(std::move(c));
  }
  {
    // The zero matrix: sigma = 0, any unit u, v (exact.u, exact.v empty: not checked).
    KnownCase c{"zero 6x4", DenseMatrix<double>(6, 4), {0, 0, {}, {}}, 0.0};
    cases.push_back(std::move(c));
  }
  // U diag(s) V^T with s = 2, 1, 0.5, ...: sigma_1 = 2, sigma_2/sigma_1 = 1/2. The singular
  // vectors come from dgesvd of the double matrix; sigma from the construction.
  for (auto [m, n] : {std::pair<Index, Index>{40, 7}, {7, 40}}) {
    Rng rng(20240601 + std::uint64_t(m));
    const auto s = geometric(2.0, 0.5, 7);
    KnownCase c{std::to_string(m) + "x" + std::to_string(n) + " known spectrum",
                with_spectrum(m, n, s, rng),
                {},
                0.5};
    c.exact = reference_triplet(c.a);
    c.exact.sigma = s[0];
    c.exact.sigma2 = s[1];
    cases.push_back(std::move(c));
  }
  return cases;
}

/// Checks a result against a known case run on `at` (A rounded to the run's scalar):
/// |sigma - sigma_1| <= tol sigma_1; u, v unit to `unit_tol`; 1 - |<u, u_1>| <= tol and
/// 1 - |<v, v_1>| <= tol (1 - cos = sin^2 / 2 + ..., the same order as the error of sigma^2);
/// u^T A v = sigma to `unit_tol` ||A||.
template <class T, class A>
void check_known_case(const EstimateResult<T>& r, const KnownCase& c, const DenseMatrix<A>& at,
                      double tol, double unit_tol) {
  BOOST_TEST_CONTEXT(c.name) {
    BOOST_TEST(all_finite(r));
    BOOST_TEST(r.u.size() == std::size_t(c.a.rows()));
    BOOST_TEST(r.v.size() == std::size_t(c.a.cols()));
    if (c.exact.sigma == 0) {
      BOOST_TEST(r.sigma == T(0));  // exactly
    } else {
      BOOST_TEST(std::abs(double(r.sigma) - c.exact.sigma) <= tol * c.exact.sigma,
                 "sigma = " << r.sigma << ", exact " << c.exact.sigma);
    }
    BOOST_TEST(std::abs(norm2<T>(r.u) - 1) <= unit_tol, "||u|| = " << norm2<T>(r.u));
    BOOST_TEST(std::abs(norm2<T>(r.v) - 1) <= unit_tol, "||v|| = " << norm2<T>(r.v));
    if (!c.exact.u.empty()) {
      const double cu = std::abs(dot<T, double>(r.u, c.exact.u));
      const double cv = std::abs(dot<T, double>(r.v, c.exact.v));
      BOOST_TEST(1 - cu <= tol, "|<u, u_1>| = " << cu);
      BOOST_TEST(1 - cv <= tol, "|<v, v_1>| = " << cv);
    }
    const double uav = bilinear<A, T>(at, r.u, r.v);
    BOOST_TEST_MESSAGE(c.name << ": |sigma err| / tol = "
                              << std::abs(double(r.sigma) - c.exact.sigma) /
                                     (tol * std::max(c.exact.sigma, 1e-300))
                              << ", |u^T A v - sigma| / unit_tol = "
                              << std::abs(uav - double(r.sigma)) /
                                     (unit_tol * std::max(c.exact.sigma, 1e-300))
                              << ", iterations " << r.iterations);
    BOOST_TEST(std::abs(uav - double(r.sigma)) <= unit_tol * std::max(c.exact.sigma, 1e-300),
               "u^T A v = " << uav << ", sigma = " << r.sigma);
  }
}

/// A snapshot with its vectors copied (the observer's spans die with the call).
template <class T>
struct SavedSnapshot {
  int checkpoint = 0, iteration = 0;
  T sigma = T(0);
  std::vector<T> u, v;
  long long products = 0;
  Status status = Status::MaxIterations;
};

/// A RunControl whose observer appends copies of every snapshot to `out`.
template <class T>
RunControl<T> recording(std::vector<int> checkpoints, std::vector<SavedSnapshot<T>>& out) {
  RunControl<T> control;
  control.checkpoints = std::move(checkpoints);
  control.observer = [&out](const Snapshot<T>& s) {
    out.push_back({s.checkpoint, s.iteration, s.sigma, std::vector<T>(s.u.begin(), s.u.end()),
                   std::vector<T>(s.v.begin(), s.v.end()), s.products, s.status});
  };
  return control;
}

/// Bit-identical comparison of a snapshot with a separate run's final result.
template <class T>
void check_same_state(const SavedSnapshot<T>& s, const EstimateResult<T>& r) {
  BOOST_TEST(s.iteration == r.iterations);
  BOOST_TEST(s.sigma == r.sigma);  // exact equality on purpose: same arithmetic, same bits
  BOOST_TEST((s.u == r.u));
  BOOST_TEST((s.v == r.v));
  BOOST_TEST(s.products == r.products);
  BOOST_TEST((s.status == r.status));
}

/// Bit-identical comparison of two results (same seed, same arithmetic).
template <class T>
void check_same_result(const EstimateResult<T>& a, const EstimateResult<T>& b) {
  BOOST_TEST(a.sigma == b.sigma);
  BOOST_TEST((a.u == b.u));
  BOOST_TEST((a.v == b.v));
  BOOST_TEST(a.iterations == b.iterations);
  BOOST_TEST(a.products == b.products);
  BOOST_TEST((a.status == b.status));
  BOOST_TEST(a.history.size() == b.history.size());
}

/// The InvalidArgument message thrown by f, or "" (and a test failure) if it does not throw one.
template <class F>
std::string invalid_argument_message(F&& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  } catch (...) {
    BOOST_ERROR("threw something other than InvalidArgument");
    return "";
  }
  BOOST_ERROR("did not throw");
  return "";
}

/// resolve() rejects an unknown parameter and a mistyped value of `int_param`, and both messages
/// name every accepted parameter.
inline void check_rejects_bad_parameters(const EstimatorInfo& info,
                                         const std::vector<std::string>& accepted,
                                         const std::string& int_param) {
  const std::string unknown = invalid_argument_message([&] {
    return info.schema.resolve({{"no_such_parameter", "1"}}, info.name);
  });
  const std::string mistyped = invalid_argument_message([&] {
    return info.schema.resolve({{int_param, "abc"}}, info.name);
  });
  BOOST_TEST(unknown.find("no_such_parameter") != std::string::npos, unknown);
  BOOST_TEST(mistyped.find("abc") != std::string::npos, mistyped);
  for (const auto& name : accepted) {
    BOOST_TEST(unknown.find(name) != std::string::npos, unknown);
    BOOST_TEST(mistyped.find(name) != std::string::npos, mistyped);
  }
  // A real where an integer is expected is a wrong type too.
  BOOST_CHECK_THROW(info.schema.resolve({{int_param, "1.5"}}, info.name), InvalidArgument);
}

/// A generic well-conditioned test matrix with singular values 1, 0.8, 0.64, ... (no gap issues).
inline DenseMatrix<double> generic_matrix(Index m, Index n, std::uint64_t seed) {
  Rng rng(seed);
  return with_spectrum(m, n, geometric(1.0, 0.8, std::min(m, n)), rng);
}

}  // namespace specbench::test
