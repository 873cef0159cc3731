/// \file
/// Sparse matrix families, generated as CSR and never densified: the finite-difference
/// Laplacians the solver papers benchmark (PRIMME, SLEPc), whose spectra are known in closed
/// form. Their reference is the sparse certified one (reference/sparse_reference.hpp).

#include <algorithm>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/random.hpp"
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

// ---- random sparse matrices ----

/// Largest expected number of entries of a generated random sparse matrix.
constexpr double kMaxSparseEntries = double(1LL << 31);

const ParamSpec kSparseSeed{.name = "seed",
                            .type = ParamType::Int,
                            .default_value = "0",
                            .help = "seed of the generator (Boost mt19937_64)",
                            .min = 0};

/// m x n, each position present with probability `density` (per row: a Binomial(n, density)
/// count, then that many distinct columns uniformly, Floyd's algorithm), standard normal values;
/// rows drawn in order from one generator: deterministic.
CsrMatrix<double> sprand(long long m, long long n, double density, std::uint64_t seed) {
  require_workspace("sprand", 2.0 * double(m) * double(n) * density * 16 + double(m) * 8);
  Rng rng(seed);
  boost::random::binomial_distribution<long long> count(n, density);
  boost::random::normal_distribution<double> normal;
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  std::vector<long long> cols;
  std::unordered_set<long long> chosen;
  for (long long i = 0; i < m; ++i) {
    const long long k = count(rng);
    chosen.clear();
    cols.clear();
    for (long long j = n - k; j < n; ++j) {  // Floyd: k distinct values of [0, n)
      const long long t = boost::random::uniform_int_distribution<long long>(0, j)(rng);
      const long long c = chosen.count(t) ? j : t;
      chosen.insert(c);
      cols.push_back(c);
    }
    std::sort(cols.begin(), cols.end());
    for (long long c : cols) entries.emplace_back(i, c, normal(rng));
  }
  CsrMatrix<double> a(m, n);
  a.setFromTriplets(entries.begin(), entries.end());
  a.makeCompressed();
  return a;
}

/// n x n with the positions |i - j| <= bandwidth present, standard normal values in row order.
CsrMatrix<double> banded(long long n, long long bandwidth, std::uint64_t seed) {
  require_workspace("banded", 2.0 * double(n) * double(2 * bandwidth + 1) * 16);
  Rng rng(seed);
  boost::random::normal_distribution<double> normal;
  CsrMatrix<double> a(n, n);
  a.reserve(Eigen::VectorXi::Constant(Eigen::Index(n), int(2 * bandwidth + 1)));
  for (long long i = 0; i < n; ++i)
    for (long long j = std::max(0LL, i - bandwidth); j <= std::min(n - 1, i + bandwidth); ++j)
      a.insert(i, j) = normal(rng);
  a.makeCompressed();
  return a;
}

const MatrixFamilyRegistrar kRegisterSprand{{
    .name = "sprand",
    .summary = "random sparse m x n: each entry present with probability density, standard "
               "normal values (sparse, never densified)",
    .schema = {{
        {.name = "m", .type = ParamType::Int, .help = "rows", .min = 1, .required = true},
        {.name = "n", .type = ParamType::Int, .help = "columns", .min = 1, .required = true},
        {.name = "density",
         .type = ParamType::Real,
         .default_value = "0.001",
         .help = "probability of each entry",
         .min = 0,
         .max = 1},
        kSparseSeed,
    }},
    .generate_sparse =
        [](const ParamSet& p) {
          return sprand(p.get_int("m"), p.get_int("n"), p.get_real("density"),
                        std::uint64_t(p.get_int("seed")));
        },
    .validate =
        [](const ParamSet& p, std::string_view spec) {
          const double m = double(p.get_int("m")), n = double(p.get_int("n"));
          SPECBENCH_REQUIRE(m <= double(kMaxSparseRows) && n <= double(kMaxSparseRows),
                            "matrix spec '", spec, "': at most ", kMaxSparseRows,
                            " rows and columns");
          SPECBENCH_REQUIRE(m * n * p.get_real("density") <= kMaxSparseEntries, "matrix spec '",
                            spec, "': m n density = ", m * n * p.get_real("density"),
                            " expected entries exceed the limit of ", kMaxSparseEntries);
        },
}};

const MatrixFamilyRegistrar kRegisterBanded{{
    .name = "banded",
    .summary = "n x n banded, |i - j| <= bandwidth present, standard normal values (sparse)",
    .schema = {{
        {.name = "n", .type = ParamType::Int, .help = "order", .min = 1, .required = true},
        {.name = "bandwidth",
         .type = ParamType::Int,
         .default_value = "2",
         .help = "entries on each side of the diagonal",
         .min = 0},
        kSparseSeed,
    }},
    .generate_sparse =
        [](const ParamSet& p) {
          return banded(p.get_int("n"), p.get_int("bandwidth"), std::uint64_t(p.get_int("seed")));
        },
    .validate =
        [](const ParamSet& p, std::string_view spec) {
          const long long n = p.get_int("n"), b = p.get_int("bandwidth");
          SPECBENCH_REQUIRE(n <= kMaxSparseRows, "matrix spec '", spec, "': at most ",
                            kMaxSparseRows, " rows");
          SPECBENCH_REQUIRE(b < n, "matrix spec '", spec, "': bandwidth ", b,
                            " must be below n = ", n);
          SPECBENCH_REQUIRE(double(n) * double(2 * b + 1) <= kMaxSparseEntries, "matrix spec '",
                            spec, "': n (2 bandwidth + 1) exceeds the limit of ", kMaxSparseEntries,
                            " entries");
        },
}};

}  // namespace
}  // namespace specbench
