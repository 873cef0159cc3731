// The sparse operator (CSR on Eigen): products against dense BLAS, every registered estimator on
// sparse and dense storage of the same matrix, and the known answers through sparse storage.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "algorithms/registry.hpp"
#include "algorithms/sparse.hpp"
#include "test_util.hpp"

namespace specbench::test {
namespace {

/// A generic matrix (singular values 1, 0.8, 0.64, ...) with about half of its entries zeroed.
DenseMatrix<double> half_sparse(Index m, Index n, std::uint64_t seed) {
  auto a = generic_matrix(m, n, seed);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < m; ++i)
      if ((i * 7 + j * 3) % 2 == 0) a(i, j) = 0;
  return a;
}

BOOST_AUTO_TEST_SUITE(sparse)

BOOST_AUTO_TEST_CASE_TEMPLATE(products_match_dense, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto a = half_sparse(37, 23, 4).convert<T>(P::kLayout);
  const auto csr = to_csr<T>(a);
  BOOST_TEST(csr.nonZeros() < a.rows() * a.cols());
  const DenseOperator<T> dense(a);
  const SparseOperator<T> sparse(csr);
  Rng rng(5);
  std::vector<T> x(23), xt(37), y1(37), y2(37), z1(23), z2(23);
  fill_gaussian<T>(rng, x);
  fill_gaussian<T>(rng, xt);
  dense.apply(x, y1);
  sparse.apply(x, y2);
  dense.apply_transpose(xt, z1);
  sparse.apply_transpose(xt, z2);
  // Two summation orders of the same n products: each within gamma_n sum |a x| of the exact
  // value (Higham Sec. 3.5), so within 2 n eps sum |a x| of each other; |a| <= ~3, |x| <= ~5.
  for (std::size_t i = 0; i < 37; ++i)
    BOOST_TEST(std::abs(double(y1[i]) - double(y2[i])) <= 2 * 23 * kEps<T> * 23 * 15);
  for (std::size_t j = 0; j < 23; ++j)
    BOOST_TEST(std::abs(double(z1[j]) - double(z2[j])) <= 2 * 37 * kEps<T> * 37 * 15);
  // The Gram product: A x as above, and A^T A x against two dense products. Each
  // entry of A^T (A x) sums m products whose factors carry gamma_n relative error, so the two
  // differ by at most 4 (m + n) eps |A|^T |A| |x| (Higham 3.5), with |A|^T |A| |x| <= 37 * 3 *
  // (23 * 15).
  std::vector<T> g(23), h(37), g2(23);
  sparse.apply_gram_with(x, g, h);
  dense.apply_transpose(std::span<const T>(y1), g2);
  for (std::size_t i = 0; i < 37; ++i)
    BOOST_TEST(std::abs(double(h[i]) - double(y1[i])) <= 2 * 23 * kEps<T> * 23 * 15);
  for (std::size_t j = 0; j < 23; ++j)
    BOOST_TEST(std::abs(double(g[j]) - double(g2[j])) <=
               4 * (37 + 23) * kEps<T> * 37 * 3 * 23 * 15);
  std::vector<T> g3(23);
  sparse.apply_gram(x, g3);
  BOOST_TEST((g3 == g));
}

// Every registered estimator, sparse vs dense storage of the same matrix, at a budget where each
// has converged (the gap ratio is 0.8): both estimates are within rounding of sigma1, so within
// 2 x 8 max(m, n) eps of each other (the known-answer tolerance of each estimator's tests).
BOOST_AUTO_TEST_CASE_TEMPLATE(every_estimator_agrees_on_sparse_and_dense, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto a64 = half_sparse(60, 40, 9);
  const auto a = a64.convert<T>(P::kLayout);
  const auto csr = to_csr<T>(a);
  const DenseOperator<T> dense(a);
  const SparseOperator<T> sparse(csr);
  const double tol = 2 * 8 * 60 * kEps<T>;
  for (const auto* info : EstimatorRegistry::instance().all()) {
    BOOST_TEST_CONTEXT(info->name) {
      std::vector<std::pair<std::string, std::string>> given;
      if (!info->iteration_param.empty())
        given.emplace_back(info->iteration_param, info->name == "rsvd" ? "20" : "300");
      if (info->name == "lanczos") given = {{"steps", "60"}};
      const auto params = info->schema.resolve(given, info->name);
      Rng r1(2), r2(2);
      const auto d = info->run<T>()(dense, params, r1, {});
      const auto s = info->run<T>()(sparse, params, r2, {});
      BOOST_TEST(std::abs(double(d.sigma) - double(s.sigma)) <= tol * double(d.sigma),
                 "dense " << d.sigma << ", sparse " << s.sigma);
      BOOST_TEST(d.products == s.products);
    }
  }
}

// Threads split the rows into ranges of equal nonzeros, but each row's sum runs in stored order
// on one thread: every product is bit-identical for 1, 2 and 3 threads. The matrix has empty
// rows and rows 30x denser than the rest, and enough nonzeros (>= 3 x 2^16) for 3 workers. Its
// y (2000 entries) fits in cache, so on one thread the Gram product takes the one-pass route and
// on 2 and 3 the two gathers: the same operations in the same order, hence the same bits.
BOOST_AUTO_TEST_CASE_TEMPLATE(products_bit_identical_across_threads, T, ScalarTypes) {
  const Index m = 3001, n = 2000;
  Rng rng(5);
  std::vector<Eigen::Triplet<T, std::int64_t>> entries;
  std::vector<double> g(600);
  for (Index i = 0; i < m; ++i) {
    const Index count = i % 5 == 0 ? 0 : i % 7 == 0 ? 600 : 20;
    fill_gaussian<double>(rng, g);
    for (Index k = 0; k < count; ++k)
      entries.emplace_back(i, (i * 31 + k * 97) % n, T(g[std::size_t(k)]));
  }
  CsrMatrix<T> a(m, n);
  a.setFromTriplets(entries.begin(), entries.end());
  BOOST_REQUIRE(a.nonZeros() >= 3 * (Index(1) << 16));
  const auto ms = static_cast<std::size_t>(m), ns = static_cast<std::size_t>(n);
  std::vector<T> x(ns), z(ms);
  fill_gaussian<T>(rng, x);
  fill_gaussian<T>(rng, z);
  const SparseOperator<T> one(a, 1);
  BOOST_TEST(one.one_pass_gram());
  std::vector<T> y1(ms), w1(ns), g1(ns);
  one.apply(x, y1);
  one.apply_transpose(z, w1);
  one.apply_gram(x, g1);
  for (int threads : {2, 3}) {
    const SparseOperator<T> op(a, threads);
    std::vector<T> y(y1.size()), w(w1.size()), gg(g1.size());
    op.apply(x, y);
    op.apply_transpose(z, w);
    op.apply_gram(x, gg);
    BOOST_TEST((y == y1));
    BOOST_TEST((w == w1));
    BOOST_TEST((gg == g1));
  }
  BOOST_CHECK_THROW(SparseOperator<T>(a, 0), InvalidArgument);
}

// The route choice: a band around the diagonal keeps the scatter local however wide the matrix;
// random columns over a y beyond 512 KiB do not; and either route gives the same bits.
BOOST_AUTO_TEST_CASE(gram_route_follows_locality) {
  const Index m = 300, n = 200000;  // y: 1.6 MB of doubles
  for (const bool banded : {true, false}) {
    std::vector<Eigen::Triplet<double, std::int64_t>> entries;
    for (Index i = 0; i < m; ++i)
      for (Index k = 0; k < 8; ++k) {
        const Index diag = i * n / m;
        const Index j = banded ? std::min(n - 1, diag + k) : (i * 7919 + k * 104729) % n;
        entries.emplace_back(i, j, 1.0 / double(1 + i + k));
      }
    CsrMatrix<double> a(m, n);
    a.setFromTriplets(entries.begin(), entries.end());
    const SparseOperator<double> op(a);
    BOOST_TEST(op.one_pass_gram() == banded);
    std::vector<double> x(static_cast<std::size_t>(n)), g(x.size()), g2(x.size()), t(300);
    for (std::size_t j = 0; j < x.size(); ++j) x[j] = std::sin(double(j));
    op.apply_gram(x, g);
    op.apply(x, t);
    op.apply_transpose(std::span<const double>(t), g2);
    BOOST_TEST((g == g2));
  }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(known_answers_through_sparse_storage, P, DenseTypes) {
  using T = typename P::Scalar;
  for (const auto& c : known_cases()) {
    if (c.exact.sigma == 0) continue;  // no nonzeros: covered by the dense tests
    const auto at = c.a.convert<T>(P::kLayout);
    const auto csr = to_csr<T>(at);
    const SparseOperator<T> op(csr);
    const auto& info = EstimatorRegistry::instance().get("lanczos", "estimator");
    Rng rng(7);
    const auto r = info.run<T>()(op, info.schema.resolve({}, "lanczos"), rng, {});
    const double size = double(std::max(c.a.rows(), c.a.cols()));
    check_known_case(r, c, at, 8 * size * kEps<T>, 4 * size * kEps<T>);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench::test
