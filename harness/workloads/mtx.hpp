#pragma once
/// \file
/// Matrix Market files (NIST format, https://math.nist.gov/MatrixMarket/formats.html), read into
/// dense column-major double matrices. Hand-written, because every error must name the file and the
/// line: `PATH:LINE: message`, thrown as InvalidArgument (bad input, exit code 2).

#include <ostream>
#include <string>

#include "algorithms/blas.hpp"
#include "algorithms/dense.hpp"

namespace specbench {

/// Largest number of entries (m * n) of a dense matrix that the harness will build: 2^28 doubles
/// (2 GiB). A dense reference SVD of anything larger is out of reach of a benchmark run; the limit
/// turns a typo (or a huge sparse file) into a clear error instead of an allocation failure.
inline constexpr Index kMaxDenseEntries = Index(1) << 28;

/// Reads a Matrix Market file into a dense column-major m x n matrix.
///
/// Accepted: `%%MatrixMarket matrix coordinate|array real|integer|pattern
/// general|symmetric|skew-symmetric` (keywords case-insensitive). Comment lines (`%...`) and blank
/// lines are skipped anywhere after the banner. Coordinate entries are `i j value` (1-based;
/// `i j` for pattern, value 1); duplicates are summed (the convention of SciPy's mmread) and
/// explicit zeros are kept. Array entries are one value per line in column-major order; symmetric
/// array files list the lower triangle column by column (skew-symmetric: the strict lower
/// triangle). Symmetric files store the lower triangle and are mirrored; skew-symmetric files are
/// mirrored with negation and their diagonal must be zero.
///
/// Throws InvalidArgument "PATH:LINE: message" for: a file that cannot be opened ("PATH: cannot
/// open", no line), a missing or bad banner, complex or hermitian files, a bad size line, sizes
/// below 1 x 1 or above kMaxDenseEntries, an index out of range, an entry above the diagonal of a
/// symmetric file, too few or too many entries, a non-numeric value, a NaN or Inf value, a
/// non-integer in an integer file, and trailing text after an entry.
DenseMatrix<double> read_matrix_market(const std::string& path);

/// Writes `a` as `%%MatrixMarket matrix array real general` with 17 significant digits (exact round
/// trip through read_matrix_market). The caller checks the stream state.
void write_matrix_market(std::ostream& out, const DenseMatrix<double>& a);

}  // namespace specbench
