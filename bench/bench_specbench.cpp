// Kernels and estimators at several sizes, float and double. Uses the library exactly as a user
// would: operators from algorithms/, estimators through their headers, the reference from
// reference/. Counters: bytes/s is the matrix bytes streamed per second (one pass per product),
// matvecs the products per iteration.
#include <benchmark/benchmark.h>
#include <lapacke.h>

#include "algorithms/dense.hpp"
#include "algorithms/gram.hpp"
#include "algorithms/lanczos.hpp"
#include "algorithms/power.hpp"
#include "algorithms/registry.hpp"
#include "algorithms/rsvd.hpp"
#include "algorithms/sparse.hpp"
#include "algorithms/torch_power.hpp"
#include "harness/provenance.hpp"
#include "harness/workloads/matrices.hpp"
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

enum class Product { Apply, Transpose, Gram, TwoPass };

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

// The issue-8 target, in one process, at n x n with `threads` workers (second argument):
//   BM_stream_sum   one streaming read of A: a plain sum with the widest vectors the CPU has (the
//                   same instruction set as the fused kernel), `threads` equal parts;
//   BM_gram_step    the product of one power-iteration step: A x and A^T A x in one read
//                   (row-major A, fused_gram) or A^T z and A A^T z (column-major, fused_cogram);
//   BM_two_gemv     the same two products as two BLAS gemv (two reads), BLAS on `threads` threads.
// scripts/bench_gram.sh runs the three together and prints the ratios.
template <class T>
void BM_stream_sum(benchmark::State& state) {
  const Index n = state.range(0);
  const int threads = int(state.range(1));
  const auto a = gaussian<T>(n, n);
  for (auto _ : state) benchmark::DoNotOptimize(stream_sum(a.data(), a.values().size(), threads));
  set_matrix_counters<T>(state, n, n, 1);
}

template <class T, Layout L>
void BM_gram_step(benchmark::State& state) {
  const Index n = state.range(0);
  const int threads = int(state.range(1));
  const auto a = gaussian<T>(n, n).template convert<T>(L);
  const DenseOperator<T> op(a, threads);
  std::vector<T> x(static_cast<std::size_t>(n), T(1)), t(x.size()), y(x.size());
  for (auto _ : state) {
    if constexpr (L == Layout::RowMajor)
      op.apply_gram_with(x, y, t);
    else
      op.apply_cogram_with(x, y, t);
    benchmark::DoNotOptimize(y.data());
  }
  set_matrix_counters<T>(state, n, n, 1);
}

template <class T>
void BM_two_gemv(benchmark::State& state) {
  const Index n = state.range(0);
  set_blas_threads(int(state.range(1)));
  const auto a = gaussian<T>(n, n);
  const DenseOperator<T> op(a);
  std::vector<T> x(static_cast<std::size_t>(n), T(1)), t(x.size()), y(x.size());
  for (auto _ : state) {
    op.apply(x, t);
    op.apply_transpose(std::span<const T>(t), std::span<T>(y));
    benchmark::DoNotOptimize(y.data());
  }
  set_blas_threads(1);
  set_matrix_counters<T>(state, n, n, 2);
}

/// A sparse n x n matrix with about 10 nonzeros per row (the operator streams nnz, not n^2).
template <class T>
CsrMatrix<T> sparse_matrix(Index n) {
  Rng rng(7);
  std::vector<Eigen::Triplet<T, std::int64_t>> entries;
  std::vector<double> x(10);
  for (Index i = 0; i < n; ++i) {
    fill_gaussian<double>(rng, x);
    for (int k = 0; k < 10; ++k)
      entries.emplace_back(i, (i * 7919 + Index(k) * 104729) % n, T(x[std::size_t(k)]));
  }
  CsrMatrix<T> a(n, n);
  a.setFromTriplets(entries.begin(), entries.end());
  return a;
}

// CSR products on `threads` threads: y = A x, y = A^T x (the transpose stored), the Gram product
// A x and A^T A x (Gram: the operator's choice, one pass on one thread when y stays in cache;
// TwoPass: always A x, then A^T (A x)); bytes/s counts values + indices per product.
template <class T, Product P>
void BM_csr_product(benchmark::State& state) {
  const Index n = state.range(0);
  const auto a = sparse_matrix<T>(n);
  const SparseOperator<T> op(a, int(state.range(1)));
  std::vector<T> x(static_cast<std::size_t>(n), T(1)), y(x.size()), t(x.size());
  for (auto _ : state) {
    if constexpr (P == Product::Transpose) {
      op.apply_transpose(x, y);
    } else if constexpr (P == Product::Gram) {
      op.apply_gram_with(x, y, t);
    } else if constexpr (P == Product::TwoPass) {  // what Gram does when the scatter is not local
      op.apply(x, t);
      op.apply_transpose(std::span<const T>(t), y);
    } else {
      op.apply(x, y);
    }
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["bytes/s"] = benchmark::Counter(
      double(a.nonZeros()) * double(sizeof(T) + sizeof(std::int64_t)) * double(state.iterations()) *
          (P == Product::Gram || P == Product::TwoPass ? 2 : 1),
      benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
  state.counters["nnz"] = double(a.nonZeros());
}

// Ten iterations (or steps) of each estimator through the registry, as sweeps run them: ten, so
// that the one-time work (start vector, the extra first product of power iteration's left side,
// the final Ritz or SVD step) is amortized as in real runs. Counters: step_time (seconds per
// iteration), matvecs (products per iteration; a fused one-read Gram product counts 2).
template <class T>
void run_steps(benchmark::State& state, const std::string& spec, int steps) {
  const Index n = state.range(0);
  const auto a = gaussian<T>(n, n);
  const DenseOperator<T> op(a);
  const NamedSpec named = parse_named_spec(spec, "bench");
  const auto& info = EstimatorRegistry::instance().get(named.name, "estimator");
  const ParamSet params = info.schema.resolve(named.params, "bench");
  long long products = 0;
  for (auto _ : state) {
    Rng rng(1);
    const auto r = info.run<T>()(op, params, rng, {});
    products = r.products;
    benchmark::DoNotOptimize(r.sigma);
  }
  state.counters["matvecs"] = double(products) / steps;
  state.counters["step_time"] =
      benchmark::Counter(double(state.iterations()) * steps,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
template <class T>
void BM_power_10(benchmark::State& s) {
  run_steps<T>(s, "power:iters=10", 10);
}
template <class T>
void BM_lanczos_10(benchmark::State& s) {
  run_steps<T>(s, "lanczos:steps=10", 10);
}
template <class T>
void BM_lanczos_gram_10(benchmark::State& s) {
  run_steps<T>(s, "lanczos:steps=10,process=gram", 10);
}
template <class T>
void BM_torch_power_10(benchmark::State& s) {
  run_steps<T>(s, "torch_power:iters=10", 10);
}
template <class T>
void BM_rsvd_q0(benchmark::State& s) {
  run_steps<T>(s, "rsvd:power_iters=0", 1);
}

// The certified reference against LAPACK's singular values alone (issue 14 target: at most 0.4
// at 2048^2 and 4096^2), on an m x n matrix with sigma2 / sigma1 = 0.99 (the gap family). Compare
// the two in one run: `bash scripts/bench_reference.sh` (or `--benchmark_filter=
// 'BM_(singular_values|reference)/'`).
DenseMatrix<double> gap_matrix(Index m, Index n) {
  return make_matrix(parse_matrix_spec("spectrum:m=" + std::to_string(m) +
                                       ",n=" + std::to_string(n) + ",decay=gap,rate=0.99"));
}

void BM_singular_values(benchmark::State& state) {
  const Index m = state.range(0), n = state.range(1);
  const auto a = gap_matrix(m, n);
  std::vector<double> s(static_cast<std::size_t>(std::min(m, n)));
  for (auto _ : state) {
    std::vector<double> work(a.values().begin(), a.values().end());
    double dummy = 0;
    benchmark::DoNotOptimize(LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', int(m), int(n), work.data(),
                                            int(m), s.data(), &dummy, 1, &dummy, 1));
  }
}

void BM_reference(benchmark::State& state) {
  const Index m = state.range(0), n = state.range(1);
  const auto a = gap_matrix(m, n);
  for (auto _ : state) {
    auto r = compute_reference(a.data(), m, n);
    state.counters["digits"] = r.digits;
    state.SetLabel(r.method);
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
#define TARGET_SIZES                                            \
  ->ArgsProduct({benchmark::CreateRange(256, 4096, 4), {1, 2}}) \
      ->ArgNames({"n", "threads"})                              \
      ->Unit(benchmark::kMicrosecond)
BENCHMARK(BM_stream_sum<float>) TARGET_SIZES;
BENCHMARK(BM_stream_sum<double>) TARGET_SIZES;
BENCHMARK(BM_gram_step<float, Layout::RowMajor>) TARGET_SIZES;
BENCHMARK(BM_gram_step<double, Layout::RowMajor>) TARGET_SIZES;
BENCHMARK(BM_gram_step<float, Layout::ColMajor>) TARGET_SIZES;
BENCHMARK(BM_gram_step<double, Layout::ColMajor>) TARGET_SIZES;
BENCHMARK(BM_two_gemv<float>) TARGET_SIZES;
BENCHMARK(BM_two_gemv<double>) TARGET_SIZES;
// CSR up to 2^20 rows (10.5 M nonzeros, 168 MB in double with 64-bit indices): beyond the caches.
#define CSR_SIZES                                                   \
  ->ArgsProduct({benchmark::CreateRange(256, 1 << 20, 16), {1, 2}}) \
      ->ArgNames({"n", "threads"})                                  \
      ->Unit(benchmark::kMicrosecond)
BENCHMARK(BM_csr_product<float, Product::Apply>) CSR_SIZES;
BENCHMARK(BM_csr_product<double, Product::Apply>) CSR_SIZES;
BENCHMARK(BM_csr_product<float, Product::Transpose>) CSR_SIZES;
BENCHMARK(BM_csr_product<double, Product::Transpose>) CSR_SIZES;
BENCHMARK(BM_csr_product<float, Product::Gram>) CSR_SIZES;
BENCHMARK(BM_csr_product<double, Product::Gram>) CSR_SIZES;
BENCHMARK(BM_csr_product<float, Product::TwoPass>) CSR_SIZES;
BENCHMARK(BM_csr_product<double, Product::TwoPass>) CSR_SIZES;
BENCHMARK(BM_power_10<float>) SIZES;
BENCHMARK(BM_power_10<double>) SIZES;
BENCHMARK(BM_lanczos_10<float>) SIZES;
BENCHMARK(BM_lanczos_10<double>) SIZES;
BENCHMARK(BM_lanczos_gram_10<float>) SIZES;
BENCHMARK(BM_lanczos_gram_10<double>) SIZES;
BENCHMARK(BM_torch_power_10<float>) SIZES;
BENCHMARK(BM_torch_power_10<double>) SIZES;
BENCHMARK(BM_rsvd_q0<float>) SIZES;
BENCHMARK(BM_rsvd_q0<double>) SIZES;
#define REFERENCE_SIZES      \
  ->Args({256, 256})         \
      ->Args({512, 512})     \
      ->Args({1024, 1024})   \
      ->Args({2048, 2048})   \
      ->Args({4096, 4096})   \
      ->Args({8192, 2048})   \
      ->Args({10, 20000})    \
      ->Args({20000, 10})    \
      ->ArgNames({"m", "n"}) \
      ->Unit(benchmark::kMillisecond)
BENCHMARK(BM_singular_values) REFERENCE_SIZES;
BENCHMARK(BM_reference) REFERENCE_SIZES;

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
