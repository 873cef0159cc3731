#pragma once
/// \file
/// Fused one-read Gram products on dense storage.
///
/// A step of power iteration or Lanczos on a Gram matrix is bound by memory bandwidth: two BLAS
/// gemv calls read A twice, and the second read is the whole cost of the second product. The one
/// kernel here, `gram_rows`, reads a row-major r x c matrix B ONCE and returns both
///
///     t = B x   (length r)   and   y = B^T t = B^T B x   (length c).
///
/// Rows are taken in groups of four, software-pipelined: while the dot products of group g + 1
/// stream from memory, the rows of group g (just read, still in L1/L2) are added into y scaled by
/// their dot products. Each entry of B is read from memory once and once more from cache.
///
/// Which Gram matrix one read of a dense A gives depends on its storage:
///   row-major A (B = A):                 fused_gram:   A x and A^T A x;
///   column-major A (B = A^T, row-major): fused_cogram: A^T z and A A^T z.
/// The estimators ask the operator for its side (Operator::gram_side) and iterate on that Gram
/// matrix (algorithms/power.hpp, algorithms/lanczos.hpp).
///
/// Determinism: rows are grouped in fixed chunks of kChunkRows (independent of the thread count);
/// each chunk accumulates its own partial y, and the partials are summed in chunk order, so the
/// result is bit-identical for any number of threads. Within a chunk the arithmetic is a fixed
/// sequence: every dot product keeps 64 bytes of lanes (8 doubles or 16 floats; lane l takes the
/// columns j = l mod lanes) reduced by a fixed halving tree. The same lanes are computed as one
/// AVX-512 register, two AVX2 registers or four SSE2 registers, chosen at run time by the CPU;
/// the AVX2 and AVX-512 kernels contract a*b+c into FMA and give identical bits (tested), the
/// SSE2 fallback (CPUs without FMA) rounds the products separately.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "algorithms/dense.hpp"
#include "core/error.hpp"

namespace specbench {

namespace gram_detail {

inline constexpr Index kChunkRows = 256;  ///< rows per deterministic partial sum

/// One chunk: rows [r0, r1) of the row-major B (leading dimension ld, c columns): t[r0..r1) and
/// `part` (length c, overwritten) = B(r0:r1, :)^T t(r0:r1); t alone when part is null.
template <class T>
using ChunkKernel = void (*)(const T* b, Index ld, Index c, Index r0, Index r1, const T* x, T* t,
                             T* part);

/// The instruction sets this build has kernels for, best first, limited to what this CPU runs:
/// "avx512", "avx2", "sse2" (or "generic" off x86-64).
std::vector<std::string> available_isas();
/// The kernel for `isa` (one of available_isas()); the best one when `isa` is empty.
ChunkKernel<float> chunk_kernel_f32(const std::string& isa = {});
ChunkKernel<double> chunk_kernel_f64(const std::string& isa = {});

template <class T>
ChunkKernel<T> chunk_kernel(const std::string& isa = {}) {
  if constexpr (sizeof(T) == 4)
    return chunk_kernel_f32(isa);
  else
    return chunk_kernel_f64(isa);
}

}  // namespace gram_detail

/// The one-read kernel on a row-major r x c matrix B with leading dimension ld >= c:
/// t = B x (length r) and y = B^T B x (length c). `threads` workers (>= 1) share the row chunks;
/// the result does not depend on `threads`. An empty y computes t alone, bit-identical to the t of
/// the full call. `isa` selects a kernel for tests (empty: the best).
template <class T>
void gram_rows(const T* b, Index r, Index c, Index ld, std::span<const T> x, std::span<T> t,
               std::span<T> y, int threads = 1, const std::string& isa = {});

/// y = A^T (A x) and ax = A x (may be empty) in one read of a ROW-MAJOR A.
template <class T>
void fused_gram(const DenseMatrix<T>& a, std::span<const T> x, std::span<T> y, std::span<T> ax,
                int threads = 1) {
  SPECBENCH_REQUIRE(a.layout() == Layout::RowMajor,
                    "fused_gram: needs row-major storage (column-major: fused_cogram)");
  std::vector<T> own;
  if (ax.empty()) own.resize(std::size_t(a.rows())), ax = own;
  gram_rows(a.data(), a.rows(), a.cols(), a.ld(), x, ax, y, threads);
}

/// w = A (A^T z) and atz = A^T z (may be empty) in one read of a COLUMN-MAJOR A (whose storage is
/// the row-major A^T). An empty w computes atz alone, bit-identical to the atz of the full call.
template <class T>
void fused_cogram(const DenseMatrix<T>& a, std::span<const T> z, std::span<T> w, std::span<T> atz,
                  int threads = 1) {
  SPECBENCH_REQUIRE(a.layout() == Layout::ColMajor,
                    "fused_cogram: needs column-major storage (row-major: fused_gram)");
  std::vector<T> own;
  if (atz.empty()) own.resize(std::size_t(a.cols())), atz = own;
  gram_rows(a.data(), a.cols(), a.rows(), a.ld(), z, atz, w, threads);
}

/// The sum of count entries read once, with the widest vectors this CPU has: the physical limit of
/// one streaming read that the benchmarks compare the fused kernels with. `threads` workers read
/// equal contiguous parts.
template <class T>
T stream_sum(const T* p, std::size_t count, int threads = 1);

}  // namespace specbench
