/// \file
/// Sparse matrix families, generated as CSR and never densified: the finite-difference
/// Laplacians the solver papers benchmark (PRIMME, SLEPc), whose spectra are known in closed
/// form. Their reference is the sparse certified one (reference/sparse_reference.hpp).

#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "core/memory.hpp"
#include "harness/workloads/matrices.hpp"

namespace specbench {
namespace {

/// Largest number of rows of a generated sparse matrix: 2^27 (a 3-D Laplacian of 512^3 has
/// 9.4 x 10^8 entries, 11 GB as CSR; sweeps refuse what memory cannot hold).
constexpr long long kMaxSparseRows = 1LL << 27;

/// The d-dimensional 2d+1-point Laplacian on an N^d grid with Dirichlet boundaries, in
/// lexicographic order: 2 d on the diagonal, -1 for each grid neighbour. Its eigenvalues are
/// sum_k (2 - 2 cos(pi j_k / (N + 1))), so sigma1 = 2 d (1 + cos(pi / (N + 1))).
CsrMatrix<double> laplacian(long long n_grid, int dims) {
  long long rows = 1;
  for (int d = 0; d < dims; ++d) rows *= n_grid;
  const std::int64_t nn = n_grid;
  const auto nd = static_cast<std::size_t>(dims);
  std::vector<std::int64_t> stride(nd);
  std::int64_t s = 1;
  for (int d = dims - 1; d >= 0; --d) {
    stride[std::size_t(d)] = s;
    s *= nn;
  }
  // CSR holds a value and a column per entry and a pointer per row; Eigen's insertion needs
  // about as much again while it fills. A size the machine cannot hold is refused up front.
  const double bytes = 2.0 * (double(2 * dims + 1) * double(rows) * 16 + double(rows) * 8);
  require_workspace("laplace" + std::to_string(dims) + "d:n=" + std::to_string(n_grid), bytes);
  CsrMatrix<double> a(rows, rows);
  a.reserve(Eigen::VectorXi::Constant(Eigen::Index(rows), 2 * dims + 1));
  std::vector<std::int64_t> at(nd);
  for (std::int64_t r = 0; r < rows; ++r) {
    std::int64_t rest = r;
    for (int d = 0; d < dims; ++d) {  // the grid coordinates of row r
      at[std::size_t(d)] = rest / stride[std::size_t(d)];
      rest %= stride[std::size_t(d)];
    }
    // columns in increasing order: the neighbours below, the diagonal, the neighbours above
    for (int d = 0; d < dims; ++d)
      if (at[std::size_t(d)] > 0) a.insert(r, r - stride[std::size_t(d)]) = -1;
    a.insert(r, r) = 2.0 * dims;
    for (int d = dims - 1; d >= 0; --d)
      if (at[std::size_t(d)] < nn - 1) a.insert(r, r + stride[std::size_t(d)]) = -1;
  }
  a.makeCompressed();
  return a;
}

MatrixFamilyInfo laplace_family(const char* name, int dims, const char* summary) {
  return {
      .name = name,
      .summary = summary,
      .schema = {{{.name = "n",
                   .type = ParamType::Int,
                   .help = "grid points per dimension (N^d rows)",
                   .min = 1,
                   .required = true}}},
      .generate_sparse = [dims](const ParamSet& p) { return laplacian(p.get_int("n"), dims); },
      .validate =
          [dims](const ParamSet& p, std::string_view spec) {
            long long rows = 1;
            for (int d = 0; d < dims; ++d) {
              SPECBENCH_REQUIRE(rows <= kMaxSparseRows / p.get_int("n"), "matrix spec '", spec,
                                "': ", p.get_int("n"), "^", dims, " rows exceed the limit of ",
                                kMaxSparseRows, " rows of a generated sparse matrix");
              rows *= p.get_int("n");
            }
          },
  };
}

const MatrixFamilyRegistrar kRegisterLaplace2d{
    laplace_family("laplace2d", 2,
                   "5-point Laplacian on an N x N grid, Dirichlet (sparse, N^2 rows; sigma1 = 4 + "
                   "4 cos(pi/(N+1)))")};
const MatrixFamilyRegistrar kRegisterLaplace3d{
    laplace_family("laplace3d", 3,
                   "7-point Laplacian on an N^3 grid, Dirichlet (sparse, N^3 rows; sigma1 = 6 + 6 "
                   "cos(pi/(N+1)))")};

}  // namespace
}  // namespace specbench
