#pragma once
/// \file
/// Sparse test matrices for the reference's sparse tests, built as CSR directly (reference/
/// knows no harness matrix family): the 2-D Laplacian and random sparse matrices.

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "reference/sparse_bound.hpp"

namespace specbench::test {

struct Csr {
  std::int64_t m = 0, n = 0;
  std::vector<std::int64_t> row_ptr{0}, col;
  std::vector<double> val;
  reference_detail::CsrView view() const { return {m, n, row_ptr.data(), col.data(), val.data()}; }
  void add(std::int64_t j, double v) {
    col.push_back(j);
    val.push_back(v);
  }
  void end_row() { row_ptr.push_back(std::int64_t(col.size())); }
};

/// The 5-point Laplacian on a g x g grid with Dirichlet boundaries, times `sign`.
inline Csr laplace2d(int g, double sign = 1) {
  Csr a;
  a.m = a.n = std::int64_t(g) * g;
  for (int i = 0; i < g; ++i)
    for (int j = 0; j < g; ++j) {
      const std::int64_t r = std::int64_t(i) * g + j;
      if (i > 0) a.add(r - g, -sign);
      if (j > 0) a.add(r - 1, -sign);
      a.add(r, 4 * sign);
      if (j < g - 1) a.add(r + 1, -sign);
      if (i < g - 1) a.add(r + g, -sign);
      a.end_row();
    }
  return a;
}

/// m x n with each entry present with probability `density`, Gaussian values.
inline Csr random_sparse(std::int64_t m, std::int64_t n, double density, std::uint64_t seed) {
  Rng rng(seed);
  boost::random::uniform_real_distribution<double> coin(0, 1);
  boost::random::normal_distribution<double> normal;
  Csr a;
  a.m = m;
  a.n = n;
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j)
      if (coin(rng) < density) a.add(j, normal(rng));
    a.end_row();
  }
  return a;
}

/// The matrix as a dense column-major array (for the dense reference).
inline std::vector<double> dense(const Csr& a) {
  std::vector<double> d(std::size_t(a.m * a.n), 0.0);
  for (std::int64_t i = 0; i < a.m; ++i)
    for (std::int64_t p = a.row_ptr[std::size_t(i)]; p < a.row_ptr[std::size_t(i) + 1]; ++p)
      d[std::size_t(i + a.col[std::size_t(p)] * a.m)] = a.val[std::size_t(p)];
  return d;
}

}  // namespace specbench::test
