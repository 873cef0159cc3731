#include <vector>

#include "algorithms/blas.hpp"
#include "algorithms/lapack.hpp"
#include "harness/workloads/matrices.hpp"

namespace specbench {

DenseMatrix<double> with_spectrum(Index m, Index n, std::span<const double> s, Rng& rng) {
  const auto k = Index(s.size());
  SPECBENCH_REQUIRE(m >= 1 && n >= 1, "with_spectrum: m and n must be >= 1, got ", m, " x ", n);
  SPECBENCH_REQUIRE(k <= std::min(m, n), "with_spectrum: ", k, " singular values for a ", m, " x ",
                    n, " matrix");
  // U, V: orthonormal bases of the ranges of Gaussian blocks (Householder QR).
  std::vector<double> u(std::size_t(m * k)), v(std::size_t(n * k));
  fill_gaussian<double>(rng, u);
  fill_gaussian<double>(rng, v);
  lapack::orthonormalize_columns(u.data(), m, k);
  lapack::orthonormalize_columns(v.data(), n, k);
  // U <- U diag(s); A = U V^T
  for (Index j = 0; j < k; ++j)
    for (Index i = 0; i < m; ++i) u[std::size_t(i + j * m)] *= s[std::size_t(j)];
  DenseMatrix<double> a(m, n);
  if (k > 0)
    blas::gemm(CblasColMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0, u.data(), m, v.data(), n, 0.0,
               a.data(), m);
  return a;
}

}  // namespace specbench
