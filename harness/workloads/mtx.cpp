#include "harness/workloads/mtx.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/error.hpp"
#include "harness/workloads/mtx_entries.hpp"
#include "harness/workloads/mtx_lines.hpp"
#include "harness/workloads/mtx_tokens.hpp"

namespace specbench {
namespace {

using namespace detail::mtx;
using detail::EntryStore;
using detail::LineSource;
using detail::TripletStore;

enum class Format { Coordinate, Array };
enum class Field { Real, Integer, Pattern };
enum class Symmetry { General, Symmetric, SkewSymmetric };

class MatrixMarketReader {
 public:
  /// `sparse`: read a coordinate file of any size into CSR (no dense limit, no proportion rule).
  MatrixMarketReader(const std::string& path, bool sparse)
      : path_(path), sparse_(sparse), gz_(path.ends_with(".gz")), in_(path, gz_) {}

  /// Banner and size line only.
  MtxSize size() {
    open();
    read_banner();
    read_size();
    return {m_, n_, expected_, format_ == Format::Coordinate};
  }

  DenseMatrix<double> read() {
    open();
    read_banner();
    read_size();
    check_proportion();
    check_file_length();
    EntryStore a(m_, n_, format_ == Format::Array);
    if (format_ == Format::Coordinate)
      read_coordinate(a);
    else
      read_array(a);
    // Anything after the last entry other than comments and blank lines is an extra entry.
    if (next_data_line())
      fail("too many entries: the size line declares ", expected_, " (extra entry '", line_, "')");
    if (bad_) fail("read error");
    return a.take();
  }

  CsrMatrix<double> read_sparse() {
    open();
    read_banner();
    read_size();
    if (format_ != Format::Coordinate)
      fail("an array file is dense: ", m_, " x ", n_, " exceeds the dense storage limit of ",
           kMaxDenseEntries, " entries");
    check_file_length();
    TripletStore a;
    read_coordinate(a);
    if (next_data_line())
      fail("too many entries: the size line declares ", expected_, " (extra entry '", line_, "')");
    if (bad_) fail("read error");
    CsrMatrix<double> out(m_, n_);
    out.setFromTriplets(a.entries.begin(), a.entries.end());  // duplicates summed
    out.makeCompressed();
    return out;
  }

 private:
  template <class... Parts>
  [[noreturn]] void fail(const Parts&... parts) const {
    throw InvalidArgument(
        detail::concat(path_, ":", std::max<long long>(line_no_, 1), ": ", parts...));
  }

  void open() {
    std::error_code ec;
    if (std::filesystem::is_directory(path_, ec))
      throw InvalidArgument(detail::concat(path_, ": cannot open: is a directory"));
    if (!in_.open())
      throw InvalidArgument(detail::concat(path_, ": cannot open: ", std::strerror(errno)));
  }

  bool next_line() {
    if (!in_.getline(line_, bad_)) {
      if (bad_) fail(gz_ ? "read error (damaged gzip stream)" : "read error");
      return false;
    }
    ++line_no_;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();  // CRLF files
    return true;
  }

  /// Advances to the next line that is neither blank nor a comment; false at the end of the file.
  bool next_data_line() {
    while (next_line()) {
      std::string_view rest = line_;
      const std::string_view first = next_token(rest);
      if (!first.empty() && first[0] != '%') return true;
    }
    return false;
  }

  void read_banner() {
    static constexpr const char* kExpected =
        "expected '%%MatrixMarket matrix coordinate|array real|integer|pattern "
        "general|symmetric|skew-symmetric'";
    if (!next_line()) fail("empty file: missing banner; ", kExpected);
    std::string_view rest = line_;
    if (lower(next_token(rest)) != "%%matrixmarket")
      fail("missing or bad banner '", line_, "'; ", kExpected);
    const std::string object = lower(next_token(rest));
    const std::string format = lower(next_token(rest));
    const std::string field = lower(next_token(rest));
    const std::string symmetry = lower(next_token(rest));
    if (symmetry.empty()) fail("incomplete banner '", line_, "'; ", kExpected);
    if (object != "matrix")
      fail("bad banner: object '", object, "' is not supported (only 'matrix'); ", kExpected);

    if (format == "coordinate")
      format_ = Format::Coordinate;
    else if (format == "array")
      format_ = Format::Array;
    else
      fail("bad banner: unknown format '", format, "' (accepted: coordinate, array)");

    if (field == "real")
      field_ = Field::Real;
    else if (field == "integer")
      field_ = Field::Integer;
    else if (field == "pattern")
      field_ = Field::Pattern;
    else if (field == "complex")
      fail(
          "complex matrices are not supported (field 'complex'); specbench estimates the norm "
          "of real matrices only");
    else
      fail("bad banner: unknown field '", field, "' (accepted: real, integer, pattern)");

    if (symmetry == "general")
      symmetry_ = Symmetry::General;
    else if (symmetry == "symmetric")
      symmetry_ = Symmetry::Symmetric;
    else if (symmetry == "skew-symmetric")
      symmetry_ = Symmetry::SkewSymmetric;
    else if (symmetry == "hermitian")
      fail(
          "hermitian matrices are not supported (they are complex); specbench estimates the "
          "norm of real matrices only");
    else
      fail("bad banner: unknown symmetry '", symmetry,
           "' (accepted: general, symmetric, skew-symmetric)");

    if (const auto extra = next_token(rest); !extra.empty())
      fail("trailing garbage '", extra, "' after the banner");
    if (field_ == Field::Pattern && format_ == Format::Array)
      fail("bad banner: a pattern matrix must use the coordinate format");
    if (field_ == Field::Pattern && symmetry_ == Symmetry::SkewSymmetric)
      fail("bad banner: a pattern matrix cannot be skew-symmetric");
  }

  void read_size() {
    const bool coordinate = format_ == Format::Coordinate;
    const char* expected =
        coordinate ? "expected 'rows columns entries'" : "expected 'rows columns'";
    if (!next_data_line()) fail("missing size line (", expected, ")");
    std::string_view rest = line_;
    long long size[3] = {0, 0, 0};
    const int count = coordinate ? 3 : 2;
    for (int k = 0; k < count; ++k) {
      const std::string_view token = next_token(rest);
      if (token.empty()) fail("bad size line '", line_, "': ", expected);
      const Parsed p = parse_int(token, size[k]);
      if (p == Parsed::OutOfRange) fail("bad size line '", line_, "': '", token, "' is too large");
      if (p != Parsed::Ok)
        fail("bad size line '", line_, "': '", token, "' is not an integer; ", expected);
    }
    if (const auto extra = next_token(rest); !extra.empty())
      fail("bad size line '", line_, "': trailing garbage '", extra, "'; ", expected);
    m_ = size[0];
    n_ = size[1];
    if (m_ < 0 || n_ < 0 || size[2] < 0) fail("bad size line '", line_, "': negative size");
    if (m_ < 1 || n_ < 1)
      fail("bad size line '", line_, "': the matrix must have at least one row and one column");
    if (sparse_) {
      if (m_ > kMaxSparseDimension || n_ > kMaxSparseDimension)
        fail("matrix size ", m_, " x ", n_, " exceeds the sparse limit of ", kMaxSparseDimension,
             " rows or columns");
      // CSR and its transpose hold a pointer per row and per column (8 bytes each): in
      // proportion to the entries beyond 2^20, as the dense form must be (check_proportion).
      const long long side = std::max(m_, n_);
      if (format_ == Format::Coordinate && side > kFreeSparseSide &&
          side / kMaxSidePerEntry > size[2])
        fail("a ", m_, " x ", n_, " matrix from ", size[2], " entries: beyond ", kFreeSparseSide,
             " rows or columns, specbench needs at least one entry per ", kMaxSidePerEntry,
             " of them (each costs 8 bytes of row or column pointers)");
    } else if (m_ > kMaxDenseEntries / n_) {
      fail("matrix size ", m_, " x ", n_, " exceeds the dense storage limit of ", kMaxDenseEntries,
           " entries (2 GiB of doubles)",
           format_ == Format::Coordinate ? "" : " (coordinate files that large are read sparse)");
    }
    if (symmetry_ != Symmetry::General && m_ != n_)
      fail("a ", symmetry_ == Symmetry::Symmetric ? "symmetric" : "skew-symmetric",
           " matrix must be square, the size line gives ", m_, " x ", n_);
    if (coordinate) {
      expected_ = size[2];
    } else if (symmetry_ == Symmetry::General) {
      expected_ = m_ * n_;
    } else if (symmetry_ == Symmetry::Symmetric) {
      expected_ = n_ * (n_ + 1) / 2;  // lower triangle with the diagonal
    } else {
      expected_ = n_ * (n_ - 1) / 2;  // strict lower triangle
    }
  }

  /// A coordinate file's dense form must be in proportion to its entries (kMaxPositionsPerEntry).
  void check_proportion() const {
    if (format_ != Format::Coordinate || m_ * n_ <= kFreeDenseEntries) return;
    const long long needed = (m_ * n_ + kMaxPositionsPerEntry - 1) / kMaxPositionsPerEntry;
    // A mirrored file's entries count twice (compared without forming 2 * expected_).
    if (expected_ >= (symmetry_ == Symmetry::General ? needed : (needed + 1) / 2)) return;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path_, ec);
    const std::string bytes = ec ? "" : " in a file of " + std::to_string(size) + " bytes";
    fail("a ", m_, " x ", n_, " matrix (", m_ * n_, " dense entries, ", m_ * n_ / (1 << 17),
         " MiB) from ", expected_, " entries", bytes, ": beyond ", kFreeDenseEntries,
         " dense entries, specbench needs at least one entry per ", kMaxPositionsPerEntry,
         " positions (it stores matrices densely); write a matrix meant to be this sparse in "
         "the array format");
  }

  /// The declared entries must fit in the file before anything is allocated for them. The
  /// shortest entry line of each format: an array value is at least one character and its line
  /// end ("0\n", 2 bytes); a coordinate entry is two indices and a value, each at least one
  /// character, with two separators and the line end ("1 1 0\n", 6 bytes; pattern "1 1\n", 4).
  /// The last line may lack its line end, hence the - 1. Comments and blank lines only add
  /// bytes. Not for files whose length is unknown (a pipe): the store still grows only with the
  /// entries read.
  static constexpr long long kLengthCheckFrom = 1 << 16;
  void check_file_length() {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path_, ec);
    const auto pos = in_.tell();
    if (ec || !std::filesystem::is_regular_file(path_, ec) || pos < 0) return;
    const long long remaining = (long long)size - (long long)pos;
    const long long shortest = format_ == Format::Array ? 2 : field_ == Field::Pattern ? 4 : 6;
    // Below 2^16 entries the store is at most 1 MiB: reading on names the line where the
    // entries run out ("too few entries"), which says more than a byte count.
    if (expected_ >= kLengthCheckFrom && expected_ > (remaining + 1) / shortest)
      fail("the size line declares ", expected_, " entries (", m_, " x ", n_,
           "), which need at least ", shortest, " bytes each, but the file is ", size,
           " bytes long (", std::max(0LL, remaining),
           " after the size line): truncated, or a size line that does not describe the file");
  }

  /// The value token of entry (i, j) (1-based, for messages), per the field.
  double parse_value(std::string_view token, long long i, long long j) const {
    if (token.empty()) fail("missing value at (", i, ", ", j, ")");
    if (field_ == Field::Integer) {
      long long x = 0;
      const Parsed p = parse_int(token, x);
      if (p == Parsed::OutOfRange)
        fail("integer value '", token, "' at (", i, ", ", j, ") is out of range");
      if (p != Parsed::Ok) {
        double d = 0;
        if (parse_real(token, d) == Parsed::Ok && !std::isfinite(d))
          fail("NaN or Inf entry at (", i, ", ", j, ")");
        fail("value '", token, "' at (", i, ", ", j, ") is not an integer (field 'integer')");
      }
      return double(x);
    }
    double x = 0;
    const Parsed p = parse_real(token, x);
    if (p == Parsed::NotANumber) fail("non-numeric value '", token, "' at (", i, ", ", j, ")");
    if (p == Parsed::OutOfRange || !std::isfinite(x))
      fail("NaN or Inf entry at (", i, ", ", j, "): '", token, "'");
    return x;
  }

  void check_no_garbage(std::string_view rest) const {
    if (const auto extra = next_token(rest); !extra.empty())
      fail("trailing garbage '", extra, "' after the entry");
  }

  /// Stores the entry (i, j) = x (0-based) and its mirror image.
  template <class Store>
  void add(Store& a, long long i, long long j, double x) const {
    a.put(i, j, x);
    if (i == j) return;
    if (symmetry_ == Symmetry::Symmetric) a.put(j, i, x);
    if (symmetry_ == Symmetry::SkewSymmetric) a.put(j, i, -x);
  }

  template <class Store>
  void read_coordinate(Store& a) {
    const char* form = field_ == Field::Pattern ? "'row column'" : "'row column value'";
    for (long long k = 0; k < expected_; ++k) {
      if (!next_data_line())
        fail("too few entries: the size line declares ", expected_, ", the file ends after ", k);
      std::string_view rest = line_;
      long long ij[2] = {0, 0};
      for (auto& x : ij) {
        const std::string_view token = next_token(rest);
        if (token.empty()) fail("incomplete entry '", line_, "': expected ", form);
        if (parse_int(token, x) != Parsed::Ok)
          fail("bad index '", token, "' in entry '", line_, "': expected ", form);
      }
      const long long i = ij[0], j = ij[1];
      if (i < 1 || i > m_ || j < 1 || j > n_)
        fail("index (", i, ", ", j, ") is out of range for a ", m_, " x ", n_, " matrix");
      const double x = field_ == Field::Pattern ? 1.0 : parse_value(next_token(rest), i, j);
      check_no_garbage(rest);
      if (symmetry_ != Symmetry::General && i < j)
        fail("entry (", i, ", ", j, ") is above the diagonal; a ",
             symmetry_ == Symmetry::Symmetric ? "symmetric" : "skew-symmetric",
             " file stores only the lower triangle");
      if (symmetry_ == Symmetry::SkewSymmetric && i == j && x != 0)
        fail("nonzero diagonal entry (", i, ", ", j, ") in a skew-symmetric file");
      add(a, i - 1, j - 1, x);
    }
  }

  void read_array(EntryStore& a) {
    long long k = 0;
    for (long long j = 0; j < n_; ++j) {
      // general: the whole column; symmetric: rows j..n-1; skew-symmetric: rows j+1..n-1
      const long long first = symmetry_ == Symmetry::General     ? 0
                              : symmetry_ == Symmetry::Symmetric ? j
                                                                 : j + 1;
      for (long long i = first; i < m_; ++i, ++k) {
        if (!next_data_line())
          fail("too few entries: the size line implies ", expected_, ", the file ends after ", k);
        std::string_view rest = line_;
        const double x = parse_value(next_token(rest), i + 1, j + 1);
        check_no_garbage(rest);
        // Each array position appears once: the store assigns (keeps the sign of a zero).
        add(a, i, j, x);
      }
    }
  }

  std::string path_;
  bool sparse_;
  bool gz_;
  LineSource in_;
  bool bad_ = false;
  std::string line_;
  long long line_no_ = 0;
  Format format_ = Format::Coordinate;
  Field field_ = Field::Real;
  Symmetry symmetry_ = Symmetry::General;
  long long m_ = 0, n_ = 0, expected_ = 0;
};

}  // namespace

DenseMatrix<double> read_matrix_market(const std::string& path) {
  return MatrixMarketReader(path, false).read();
}

MtxSize read_matrix_market_size(const std::string& path) {
  return MatrixMarketReader(path, true).size();
}

CsrMatrix<double> read_matrix_market_sparse(const std::string& path) {
  return MatrixMarketReader(path, true).read_sparse();
}

void write_matrix_market(std::ostream& out, const DenseMatrix<double>& a) {
  out << "%%MatrixMarket matrix array real general\n" << a.rows() << ' ' << a.cols() << '\n';
  char buf[64];
  for (Index j = 0; j < a.cols(); ++j) {
    for (Index i = 0; i < a.rows(); ++i) {
      // %.17g, but locale-independent: 17 significant digits round-trip every double.
      const auto r = std::to_chars(buf, buf + sizeof buf, a(i, j), std::chars_format::general, 17);
      out.write(buf, r.ptr - buf);
      out.put('\n');
    }
  }
}

}  // namespace specbench
