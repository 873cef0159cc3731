// Operators: the dense operator's products against naive sums in double, in both layouts and
// both scalars; block and Gram products; the free-function fallbacks for an operator with only
// apply / apply_transpose; the counting wrapper.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "algorithms/dense.hpp"
#include "algorithms/gram.hpp"
#include "algorithms/operator.hpp"
#include "test_util.hpp"

namespace specbench::test {
namespace {

/// y = op(A) x by a naive double sum over the T entries (exact products, one rounding per add).
template <class T>
std::vector<double> naive(const DenseMatrix<T>& a, const std::vector<T>& x, bool transpose) {
  const Index rows = transpose ? a.cols() : a.rows(), cols = transpose ? a.rows() : a.cols();
  std::vector<double> y(std::size_t(rows), 0.0);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j)
      y[std::size_t(i)] += double(transpose ? a(j, i) : a(i, j)) * double(x[std::size_t(j)]);
  return y;
}

/// |y - y_exact|_inf <= gamma_n sum |a||x| (Higham, 2nd ed., Sec. 3.5: a computed inner product
/// of length n has error at most gamma_n = n u / (1 - n u) times the sum of absolute products);
/// 2 n eps bounds gamma_n for the sizes here, and entries and x are O(1) Gaussians so the sum of
/// absolute products is at most n * max|a| * max|x| <= n * 5 * 5 (and much smaller in practice).
template <class T>
void check_close(std::span<const T> y, const std::vector<double>& exact, Index n) {
  BOOST_REQUIRE_EQUAL(y.size(), exact.size());
  const double tol = 2 * double(n) * kEps<T> * double(n) * 25;
  for (std::size_t i = 0; i < y.size(); ++i) BOOST_TEST(std::abs(double(y[i]) - exact[i]) <= tol);
}

template <class T>
DenseMatrix<T> random_matrix(Index m, Index n, Layout layout, std::uint64_t seed) {
  Rng rng(seed);
  DenseMatrix<double> a(m, n);
  fill_gaussian<double>(rng, a.values());
  return a.convert<T>(layout);
}

static_assert(LinearOperator<DenseOperator<float>> && LinearOperator<DenseOperator<double>>);
static_assert(HasBlock<DenseOperator<double>> && HasGram<DenseOperator<double>>);
static_assert(LinearOperator<MinimalOperator<double>> && !HasBlock<MinimalOperator<double>> &&
              !HasGram<MinimalOperator<double>>);
static_assert(LinearOperator<CountingOperator<MinimalOperator<float>>>);

BOOST_AUTO_TEST_SUITE(operators)

BOOST_AUTO_TEST_CASE_TEMPLATE(dense_products_match_naive_sums, P, DenseTypes) {
  using T = typename P::Scalar;
  for (const auto& [m, n] : {std::pair<Index, Index>{1, 1}, {17, 5}, {5, 17}, {64, 64}}) {
    BOOST_TEST_CONTEXT(m << " x " << n) {
      const auto a = random_matrix<T>(m, n, P::kLayout, 3);
      const DenseOperator<T> op(a);
      BOOST_TEST(op.rows() == m);
      BOOST_TEST(op.cols() == n);
      Rng rng(4);
      std::vector<T> x(static_cast<std::size_t>(n)), xt(static_cast<std::size_t>(m)),
          y(static_cast<std::size_t>(m)), yt(static_cast<std::size_t>(n));
      fill_gaussian<T>(rng, x);
      fill_gaussian<T>(rng, xt);
      op.apply(x, y);
      op.apply_transpose(xt, yt);
      check_close<T>(y, naive(a, x, false), n);
      check_close<T>(yt, naive(a, xt, true), m);

      // Gram: the operator's (fused) product and the free function are the same call.
      std::vector<T> g(static_cast<std::size_t>(n)), g2(static_cast<std::size_t>(n));
      op.apply_gram(x, g);
      gram(op, std::span<const T>(x), std::span<T>(g2));
      BOOST_TEST((g == g2));
    }
  }
}

// A block product (gemm) equals k single products (gemv) to rounding, and the free fallback on
// an operator without block members is exactly k applies.
BOOST_AUTO_TEST_CASE_TEMPLATE(block_products_equal_columnwise_products, P, DenseTypes) {
  using T = typename P::Scalar;
  const Index m = 23, n = 11, k = 4;
  const auto a = random_matrix<T>(m, n, P::kLayout, 8);
  const DenseOperator<T> op(a);
  const MinimalOperator<T> minimal{op};
  Rng rng(9);
  std::vector<T> x(static_cast<std::size_t>(n * k)), xt(static_cast<std::size_t>(m * k));
  fill_gaussian<T>(rng, x);
  fill_gaussian<T>(rng, xt);
  std::vector<T> y(static_cast<std::size_t>(m * k)), yt(static_cast<std::size_t>(n * k)), y2(y),
      yt2(yt);
  apply_block(op, k, x.data(), y.data());
  apply_transpose_block(op, k, xt.data(), yt.data());
  apply_block(minimal, k, x.data(), y2.data());
  apply_transpose_block(minimal, k, xt.data(), yt2.data());
  for (Index j = 0; j < k; ++j) {
    std::vector<T> col(x.begin() + j * n, x.begin() + (j + 1) * n);
    std::vector<T> colt(xt.begin() + j * m, xt.begin() + (j + 1) * m);
    check_close<T>(std::span<const T>(y.data() + j * m, std::size_t(m)), naive(a, col, false), n);
    check_close<T>(std::span<const T>(yt.data() + j * n, std::size_t(n)), naive(a, colt, true), m);
    std::vector<T> single(static_cast<std::size_t>(m)), singlet(static_cast<std::size_t>(n));
    op.apply(col, single);
    op.apply_transpose(colt, singlet);
    BOOST_TEST((std::vector<T>(y2.begin() + j * m, y2.begin() + (j + 1) * m) == single));
    BOOST_TEST((std::vector<T>(yt2.begin() + j * n, yt2.begin() + (j + 1) * n) == singlet));
  }
}

BOOST_AUTO_TEST_CASE(counting_operator_counts_matrix_vector_products) {
  const auto a = random_matrix<double>(6, 4, Layout::ColMajor, 1);
  const DenseOperator<double> op(a);
  const CountingOperator<DenseOperator<double>> counted(op);
  std::vector<double> x(4, 1.0), y(6), block_in(4 * 3, 1.0), block_out(6 * 3);
  BOOST_TEST(counted.products() == 0);
  counted.apply(x, y);
  BOOST_TEST(counted.products() == 1);
  counted.apply_transpose(std::span<const double>(y), std::span<double>(x));
  BOOST_TEST(counted.products() == 2);
  counted.apply_gram(std::span<const double>(x), std::span<double>(x));
  BOOST_TEST(counted.products() == 4);  // A^T A x is two products
  counted.apply_block(3, block_in.data(), block_out.data());
  BOOST_TEST(counted.products() == 7);  // a block of k columns counts k
  counted.apply_transpose_block(3, block_out.data(), block_in.data());
  BOOST_TEST(counted.products() == 10);

  // Counting wraps any operator, including one with no optional members.
  const MinimalOperator<double> minimal{op};
  const CountingOperator<MinimalOperator<double>> counted_minimal(minimal);
  apply_block(counted_minimal, 3, block_in.data(), block_out.data());
  gram(counted_minimal, std::span<const double>(x), std::span<double>(x));
  BOOST_TEST(counted_minimal.products() == 5);
}

BOOST_AUTO_TEST_CASE(empty_dimensions_give_zero_outputs) {
  // A 3 x 0 matrix: A x = 0 (a sum over nothing) whatever BLAS does with n = 0.
  const DenseMatrix<double> a(3, 0);
  const DenseOperator<double> op(a);
  std::vector<double> x, y(3, 7.0);
  op.apply(x, y);
  BOOST_TEST((y == std::vector<double>(3, 0.0)));
}

BOOST_AUTO_TEST_CASE(layout_conversion_is_exact) {
  const auto a = random_matrix<double>(7, 3, Layout::ColMajor, 2);
  const auto r = a.convert<double>(Layout::RowMajor);
  const auto f = a.convert<float>(Layout::RowMajor);
  BOOST_TEST((r.layout() == Layout::RowMajor));
  for (Index i = 0; i < 7; ++i)
    for (Index j = 0; j < 3; ++j) {
      BOOST_TEST(r(i, j) == a(i, j));
      BOOST_TEST(f(i, j) == float(a(i, j)));  // rounded once, to nearest
    }
}

// The fused one-read Gram products (algorithms/gram.hpp) against two BLAS products: equal to
// rounding for every shape (odd sizes; sizes below, at and above the 256-row chunk, the 4-row group
// and the 8/16-lane pack; tall and wide), both storage orders (row-major: A x and A^T A x;
// column-major: A^T z and A A^T z), float and double; bit-identical for 1, 2, 3 and 8 threads;
// the AVX2 and AVX-512 kernels bit-identical to each other (both FMA, same lanes), the SSE2 one
// within the same bound. Tolerance, with B = A (row-major) or A^T (column-major): each entry of
// B^T (B x) is a sum of products whose inner sums carry gamma relative error, so
// |g - g_two| <= 2 (gamma_r + gamma_c) |B|^T |B| |x| ~ 4 (r + c) eps |B|^T |B| |x| (Higham 3.5).
BOOST_AUTO_TEST_CASE_TEMPLATE(fused_gram_equals_two_products, P, DenseTypes) {
  using T = typename P::Scalar;
  constexpr bool kRow = P::kLayout == Layout::RowMajor;
  const std::pair<Index, Index> shapes[] = {{1, 1},    {3, 5},    {17, 9},    {16, 33},
                                            {255, 7},  {256, 40}, {257, 41},  {600, 130},
                                            {31, 700}, {9, 4},    {130, 600}, {1029, 67}};
  for (const auto& [m, n] : shapes) {
    BOOST_TEST_CONTEXT(m << " x " << n) {
      const auto a = random_matrix<T>(m, n, P::kLayout, std::uint64_t(m * 1000 + n));
      const DenseOperator<T> op(a);
      // B = A or A^T: r x c, one read gives h = B x and g = B^T B x.
      const Index r = kRow ? m : n, c = kRow ? n : m;
      auto b = [&](Index i, Index j) { return double(kRow ? a(i, j) : a(j, i)); };
      Rng rng(6);
      std::vector<T> x(static_cast<std::size_t>(c));
      fill_gaussian<T>(rng, x);
      auto fused = [&](std::vector<T>& g, std::vector<T>& h, int threads) {
        g.assign(std::size_t(c), T(0)), h.assign(std::size_t(r), T(0));
        if constexpr (kRow)
          fused_gram(a, std::span<const T>(x), std::span<T>(g), std::span<T>(h), threads);
        else
          fused_cogram(a, std::span<const T>(x), std::span<T>(g), std::span<T>(h), threads);
      };
      std::vector<T> g, h, h2(static_cast<std::size_t>(r)), g2(static_cast<std::size_t>(c));
      fused(g, h, 1);
      if constexpr (kRow) {
        op.apply(x, h2), op.apply_transpose(std::span<const T>(h2), g2);
      } else {
        op.apply_transpose(x, h2), op.apply(std::span<const T>(h2), g2);
      }
      // |B| |x| and |B|^T |B| |x| in double: the scales of the rounding bounds.
      std::vector<double> abs_h(std::size_t(r), 0.0), scale(std::size_t(c), 0.0);
      for (Index i = 0; i < r; ++i)
        for (Index j = 0; j < c; ++j)
          abs_h[std::size_t(i)] += std::abs(b(i, j)) * std::abs(double(x[std::size_t(j)]));
      for (Index j = 0; j < c; ++j)
        for (Index i = 0; i < r; ++i)
          scale[std::size_t(j)] += std::abs(b(i, j)) * abs_h[std::size_t(i)];
      const double k = 4 * double(r + c) * kEps<T>;
      auto check = [&](const std::vector<T>& gg, const std::vector<T>& hh) {
        for (std::size_t j = 0; j < gg.size(); ++j)
          BOOST_TEST(std::abs(double(gg[j]) - double(g2[j])) <= k * scale[j]);
        for (std::size_t i = 0; i < hh.size(); ++i)
          BOOST_TEST(std::abs(double(hh[i]) - double(h2[i])) <= 4 * double(c) * kEps<T> * abs_h[i]);
      };
      check(g, h);
      // The operator's one-read product is the same call.
      std::vector<T> go(static_cast<std::size_t>(c)), ho(static_cast<std::size_t>(r));
      if constexpr (kRow)
        op.apply_gram_with(x, go, ho);
      else
        op.apply_cogram_with(x, go, ho);
      BOOST_TEST((go == g));
      BOOST_TEST((ho == h));
      // The half-product alone (empty g) is bit-identical to the h of the full call.
      std::vector<T> h_only(static_cast<std::size_t>(r));
      gram_rows(a.data(), r, c, a.ld(), std::span<const T>(x), std::span<T>(h_only), {}, 2);
      BOOST_TEST((h_only == h));
      // Bit-identical for any thread count.
      for (int threads : {2, 3, 8}) {
        std::vector<T> gt, ht;
        fused(gt, ht, threads);
        BOOST_TEST((gt == g), threads << " threads");
        BOOST_TEST((ht == h), threads << " threads");
      }
      // Every kernel this CPU runs: within the bound; AVX2 and AVX-512 bit-identical.
      std::vector<T> g_avx2, g_avx512;
      for (const std::string& isa : gram_detail::available_isas()) {
        std::vector<T> gi(static_cast<std::size_t>(c)), hi(static_cast<std::size_t>(r));
        gram_rows(a.data(), r, c, a.ld(), std::span<const T>(x), std::span<T>(hi), std::span<T>(gi),
                  2, isa);
        BOOST_TEST_CONTEXT(isa) {
          check(gi, hi);
        }
        if (isa == "avx2") g_avx2 = gi;
        if (isa == "avx512") g_avx512 = gi;
      }
      if (!g_avx2.empty() && !g_avx512.empty()) BOOST_TEST((g_avx2 == g_avx512));
    }
  }
}

// The streaming-read baseline of the benchmarks sums correctly (odd lengths, any thread count).
BOOST_AUTO_TEST_CASE(stream_sum_adds_every_entry) {
  for (std::size_t count : {0, 1, 7, 64, 1000, 100003}) {
    std::vector<double> v(count);
    for (std::size_t i = 0; i < count; ++i) v[i] = double(i % 17);  // exact integer sums
    double exact = 0;
    for (double e : v) exact += e;
    for (int threads : {1, 2, 3}) BOOST_TEST(stream_sum(v.data(), count, threads) == exact);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench::test
