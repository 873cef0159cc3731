// Kernels and estimators at several sizes, float and double. Uses the library exactly as a user
// would: operators from algorithms/, estimators through their headers, the reference from
// reference/. Counters: bytes/s is the matrix bytes streamed per second (one pass per product),
// matvecs the products per iteration.
#include <benchmark/benchmark.h>
#include <lapacke.h>

#include "algorithms/dense.hpp"
#include "algorithms/lanczos.hpp"
#include "algorithms/power.hpp"
#include "algorithms/rsvd.hpp"
#include "harness/matrices.hpp"
#include "harness/provenance.hpp"
#include "reference/reference.hpp"

namespace {

using namespace specbench;

template <class T>
DenseMatrix<T> gaussian(Index m, Index n) {
  Rng rng(42);
  DenseMatrix<T> a(m, n);
  fill_gaussian<T>(rng, a.values());
  return a;
}

template <class T>
void set_matrix_counters(benchmark::State& state, Index m, Index n, double passes) {
  state.counters["bytes/s"] =
      benchmark::Counter(passes * double(m) * double(n) * sizeof(T) * double(state.iterations()),
                         benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
}

enum class Product { Apply, Transpose, Gram };

/// One product with an n x n matrix per iteration: y = A x, y = A^T x, or y = A^T A x (two
/// passes over A).
template <class T, Product P>
void BM_product(benchmark::State& state) {
  const Index n = state.range(0);
  const auto a = gaussian<T>(n, n);
  const DenseOperator<T> op(a);
  std::vector<T> x(static_cast<std::size_t>(n), T(1)), y(static_cast<std::size_t>(n));
  for (auto _ : state) {
    if constexpr (P == Product::Apply) op.apply(x, y);
    if constexpr (P == Product::Transpose) op.apply_transpose(x, y);
    if constexpr (P == Product::Gram) op.apply_gram(x, y);
    benchmark::DoNotOptimize(y.data());
  }
  set_matrix_counters<T>(state, n, n, P == Product::Gram ? 2 : 1);
}

// One power iteration per benchmark iteration (amortized over 10).
template <class T>
void BM_power_iteration(benchmark::State& state) {
  const Index n = state.range(0);
  const auto a = gaussian<T>(n, n);
  const DenseOperator<T> op(a);
  for (auto _ : state) {
    Rng rng(1);
    auto r = power_iteration(op, PowerOptions{.iters = 10, .tol = 0}, rng);
    benchmark::DoNotOptimize(r.sigma);
  }
  state.counters["matvecs"] = 2;
  set_matrix_counters<T>(state, n, n, 20);
}

template <class T>
void BM_lanczos(benchmark::State& state) {
  const Index n = state.range(0);
  const auto a = gaussian<T>(n, n);
  const DenseOperator<T> op(a);
  for (auto _ : state) {
    Rng rng(1);
    auto r = lanczos_bidiagonalization(op, LanczosOptions{.steps = 10}, rng);
    benchmark::DoNotOptimize(r.sigma);
  }
  set_matrix_counters<T>(state, n, n, 20);
}

template <class T>
void BM_rsvd(benchmark::State& state) {
  const Index n = state.range(0);
  const auto a = gaussian<T>(n, n);
  const DenseOperator<T> op(a);
  for (auto _ : state) {
    Rng rng(1);
    auto r = randomized_svd(op, RsvdOptions{}, rng);
    benchmark::DoNotOptimize(r.sigma);
  }
}

// The certified reference against LAPACK's singular values alone (the issue 3 target: at most
// 1.5x), on an n x n matrix with sigma2 / sigma1 = 0.99 (the gap family). Compare the two in
// one run: `--benchmark_filter='BM_(singular_values|reference)'`.
DenseMatrix<double> gap_matrix(Index n) {
  return make_matrix(parse_matrix_spec("spectrum:m=" + std::to_string(n) +
                                       ",n=" + std::to_string(n) + ",decay=gap,rate=0.99"));
}

void BM_singular_values(benchmark::State& state) {
  const Index n = state.range(0);
  const auto a = gap_matrix(n);
  std::vector<double> s(static_cast<std::size_t>(n));
  for (auto _ : state) {
    std::vector<double> work(a.values().begin(), a.values().end());
    double dummy = 0;
    benchmark::DoNotOptimize(LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', int(n), int(n), work.data(),
                                            int(n), s.data(), &dummy, 1, &dummy, 1));
  }
}

void BM_reference(benchmark::State& state) {
  const Index n = state.range(0);
  const auto a = gap_matrix(n);
  for (auto _ : state) {
    auto r = compute_reference(a.data(), n, n);
    state.counters["digits"] = r.digits;
    benchmark::DoNotOptimize(r.sigma1);
  }
}

#define SIZES ->RangeMultiplier(2)->Range(256, 4096)->Unit(benchmark::kMicrosecond)
BENCHMARK(BM_product<float, Product::Apply>) SIZES;
BENCHMARK(BM_product<double, Product::Apply>) SIZES;
BENCHMARK(BM_product<float, Product::Transpose>) SIZES;
BENCHMARK(BM_product<double, Product::Transpose>) SIZES;
BENCHMARK(BM_product<float, Product::Gram>) SIZES;
BENCHMARK(BM_product<double, Product::Gram>) SIZES;
BENCHMARK(BM_power_iteration<float>) SIZES;
BENCHMARK(BM_power_iteration<double>) SIZES;
BENCHMARK(BM_lanczos<float>) SIZES;
BENCHMARK(BM_lanczos<double>) SIZES;
BENCHMARK(BM_rsvd<float>) SIZES;
BENCHMARK(BM_rsvd<double>) SIZES;
BENCHMARK(BM_singular_values)->Arg(512)->Arg(2048)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_reference)->Arg(512)->Arg(2048)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  specbench::set_blas_threads(1);  // as the harness runs: single-threaded, deterministic BLAS
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("specbench_git_commit",
                              specbench::provenance()["git_commit"].get<std::string>());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
