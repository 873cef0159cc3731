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
  // The fused one-pass Gram product: A x as above, and A^T A x against two dense products. Each
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
