#pragma once
/// \file
/// Matrix Market files (NIST format, https://math.nist.gov/MatrixMarket/formats.html), read into
/// dense column-major double matrices. Hand-written, because every error must name the file and the
/// line: `PATH:LINE: message`, thrown as InvalidArgument (bad input, exit code 2).

#include <ostream>
#include <string>

#include "algorithms/blas.hpp"
#include "algorithms/dense.hpp"
#include "algorithms/sparse.hpp"

namespace specbench {

/// Largest number of entries (m * n) of a dense matrix that the harness will build: 2^28 doubles
/// (2 GiB). A dense reference SVD of anything larger is out of reach of a benchmark run; the limit
/// turns a typo (or a huge sparse file) into a clear error instead of an allocation failure.
inline constexpr Index kMaxDenseEntries = Index(1) << 28;

/// A coordinate file is stored densely (8 m n bytes) whatever its number of entries, so its
/// dense form must be in proportion to them: beyond kFreeDenseEntries (2^24 entries, 128 MiB)
/// a file must declare at least one entry (two for a mirrored off-diagonal one) per
/// kMaxPositionsPerEntry positions (a density of 1/4096: 4 entries per row of a 16384 x 16384
/// matrix). Otherwise a 60-byte file declaring 16384 x 16384 with 0 entries costs 2 GiB of zeros
/// (4.2 GB and 54 s with the reference, issue 16). A matrix meant to be that sparse and that
/// large can be written in the array format, whose length then pays for its size.
inline constexpr Index kFreeDenseEntries = Index(1) << 24;
inline constexpr Index kMaxPositionsPerEntry = 4096;

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
/// below 1 x 1 or above kMaxDenseEntries, a size line declaring more entries than the file's
/// length can hold (at least 2 bytes per array entry, 6 per coordinate entry, 4 for pattern:
/// "PATH:LINE: the size line declares N entries ... the file is B bytes long"), an index out of
/// range, an entry above the diagonal of a symmetric file, too few or too many entries, a
/// non-numeric value, a NaN or Inf value, a non-integer in an integer file, and trailing text after
/// an entry.
///
/// Memory grows with the entries read, not with the declared size (mtx_entries.hpp: at most ~80
/// bytes per entry read); the m x n result of a coordinate file is allocated once every entry
/// has been read and checked.
DenseMatrix<double> read_matrix_market(const std::string& path);

/// Largest number of rows or columns of a file read sparse (2^31 - 1: an index of CHOLMOD's and
/// Eigen's int64 storage is far larger; this keeps a typo from declaring 10^18 rows).
inline constexpr Index kMaxSparseDimension = (Index(1) << 31) - 1;
/// Beyond kFreeSparseSide rows or columns (2^20), a file read sparse must declare at least one
/// entry per kMaxSidePerEntry of them: its pointers then cost at most 128 bytes per entry.
inline constexpr Index kFreeSparseSide = Index(1) << 20;
inline constexpr Index kMaxSidePerEntry = 16;

/// The banner's format and the size line of a Matrix Market file (read no further).
struct MtxSize {
  long long m = 0, n = 0, entries = 0;
  bool coordinate = false;
};
MtxSize read_matrix_market_size(const std::string& path);

/// A coordinate file of any size (up to kMaxSparseDimension rows and columns) as CSR, never
/// dense: memory grows with the entries read (24 bytes each while reading, then CSR), the same
/// checks and messages as read_matrix_market otherwise (the proportion rule does not apply: no
/// dense form is built). Duplicates are summed; symmetric files mirrored.
CsrMatrix<double> read_matrix_market_sparse(const std::string& path);

/// Writes `a` as `%%MatrixMarket matrix array real general` with 17 significant digits (exact round
/// trip through read_matrix_market). The caller checks the stream state.
void write_matrix_market(std::ostream& out, const DenseMatrix<double>& a);

}  // namespace specbench
