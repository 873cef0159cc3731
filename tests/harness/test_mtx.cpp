// Tests of the Matrix Market reader and writer (harness/workloads/mtx.cpp): every supported format,
// the error messages (path, line, key word), the exact round trip and the SuiteSparse files of
// data/matrices.

#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/random.hpp"
#include "harness/workloads/mtx.hpp"
#include "harness/workloads/mtx_entries.hpp"
#include "support/temp_dir.hpp"

namespace specbench {
namespace {

namespace fs = std::filesystem;

/// A fresh directory for the test's files (tests/support/temp_dir.hpp).
struct TempDir : test::TempDir {
  TempDir() : test::TempDir("specbench-test-mtx") {}
};

/// The message of the InvalidArgument thrown by reading `text` as a file, or "" (and a failure).
std::string read_error(const TempDir& tmp, const std::string& text,
                       std::string* path_out = nullptr) {
  static int count = 0;
  const std::string path = tmp.write("bad" + std::to_string(count++) + ".mtx", text);
  if (path_out) *path_out = path;
  try {
    read_matrix_market(path);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  BOOST_ERROR("no InvalidArgument for:\n" << text);
  return "";
}

/// Reading `text` fails with "PATH:LINE: ..." containing `keyword`.
void check_error(const std::string& text, int line, const std::string& keyword) {
  TempDir tmp;
  std::string path;
  const std::string message = read_error(tmp, text, &path);
  BOOST_TEST_CONTEXT("message: " << message) {
    BOOST_TEST(message.starts_with(path + ":" + std::to_string(line) + ": "));
    BOOST_TEST(message.find(keyword) != std::string::npos);
  }
}

DenseMatrix<double> read_text(const std::string& text) {
  TempDir tmp;
  return read_matrix_market(tmp.write("a.mtx", text));
}

/// Dense matrix from row-major rows, for expected values.
DenseMatrix<double> from_rows(std::initializer_list<std::initializer_list<double>> rows) {
  const Index m = Index(rows.size()), n = Index(rows.begin()->size());
  DenseMatrix<double> a(m, n);
  Index i = 0;
  for (const auto& row : rows) {
    Index j = 0;
    for (double x : row) a(i, j++) = x;
    ++i;
  }
  return a;
}

void check_equal(const DenseMatrix<double>& a, const DenseMatrix<double>& b) {
  BOOST_REQUIRE_EQUAL(a.rows(), b.rows());
  BOOST_REQUIRE_EQUAL(a.cols(), b.cols());
  for (Index j = 0; j < a.cols(); ++j) {
    for (Index i = 0; i < a.rows(); ++i) {
      if (a(i, j) != b(i, j))
        BOOST_ERROR("entry (" << i + 1 << ", " << j + 1 << "): " << a(i, j) << " != " << b(i, j));
    }
  }
}

BOOST_AUTO_TEST_SUITE(matrix_market)

BOOST_AUTO_TEST_CASE(coordinate_real_general) {
  check_equal(read_text("%%MatrixMarket matrix coordinate real general\n"
                        "% a comment\n"
                        "3 2 4\n"
                        "1 1 1.5\n"
                        "3 1 -2e3\n"
                        "2 2 +0.25\n"
                        "3 2 0\n"),  // an explicit zero is fine
              from_rows({{1.5, 0}, {0, 0.25}, {-2000, 0}}));
}

BOOST_AUTO_TEST_CASE(keywords_are_case_insensitive_and_crlf_is_accepted) {
  check_equal(read_text("%%MatrixMarket MATRIX Coordinate REAL General\r\n2 2 1\r\n2 1 7\r\n"),
              from_rows({{0, 0}, {7, 0}}));
}

BOOST_AUTO_TEST_CASE(coordinate_integer) {
  check_equal(read_text("%%MatrixMarket matrix coordinate integer general\n"
                        "2 3 3\n1 3 -4\n2 1 12\n2 2 +5\n"),
              from_rows({{0, 0, -4}, {12, 5, 0}}));
}

BOOST_AUTO_TEST_CASE(coordinate_pattern_values_are_one) {
  check_equal(read_text("%%MatrixMarket matrix coordinate pattern general\n"
                        "2 3 3\n1 1\n2 3\n1 2\n"),
              from_rows({{1, 1, 0}, {0, 0, 1}}));
}

BOOST_AUTO_TEST_CASE(symmetric_is_mirrored_except_the_diagonal) {
  check_equal(read_text("%%MatrixMarket matrix coordinate real symmetric\n"
                        "3 3 4\n1 1 2\n2 1 -1\n3 2 4\n3 3 5\n"),
              from_rows({{2, -1, 0}, {-1, 0, 4}, {0, 4, 5}}));
  check_equal(read_text("%%MatrixMarket matrix coordinate pattern symmetric\n"
                        "3 3 2\n2 2\n3 1\n"),
              from_rows({{0, 0, 1}, {0, 1, 0}, {1, 0, 0}}));
}

BOOST_AUTO_TEST_CASE(skew_symmetric_is_mirrored_with_negation) {
  check_equal(read_text("%%MatrixMarket matrix coordinate real skew-symmetric\n"
                        "3 3 3\n2 1 3\n3 2 -1.5\n2 2 0\n"),
              from_rows({{0, -3, 0}, {3, 0, 1.5}, {0, -1.5, 0}}));
}

BOOST_AUTO_TEST_CASE(array_general_is_column_major) {
  check_equal(read_text("%%MatrixMarket matrix array real general\n"
                        "% comment\n"
                        "2 3\n1\n2\n3\n4\n\n5\n6\n"),
              from_rows({{1, 3, 5}, {2, 4, 6}}));
  check_equal(read_text("%%MatrixMarket matrix array integer general\n1 2\n-7\n8\n"),
              from_rows({{-7, 8}}));
}

BOOST_AUTO_TEST_CASE(array_symmetric_lists_the_lower_triangle_by_columns) {
  // columns: (1,1) (2,1) (3,1) | (2,2) (3,2) | (3,3)
  check_equal(read_text("%%MatrixMarket matrix array real symmetric\n"
                        "3 3\n1\n2\n3\n4\n5\n6\n"),
              from_rows({{1, 2, 3}, {2, 4, 5}, {3, 5, 6}}));
  check_equal(read_text("%%MatrixMarket matrix array real skew-symmetric\n"
                        "3 3\n1\n2\n3\n"),
              from_rows({{0, -1, -2}, {1, 0, -3}, {2, 3, 0}}));
}

BOOST_AUTO_TEST_CASE(duplicates_are_summed) {
  // SciPy's convention (coo -> dense sums duplicates); in a symmetric file the mirror sums too.
  check_equal(read_text("%%MatrixMarket matrix coordinate real general\n"
                        "2 2 3\n1 2 1.5\n1 2 2.5\n2 1 1\n"),
              from_rows({{0, 4}, {1, 0}}));
  check_equal(read_text("%%MatrixMarket matrix coordinate real symmetric\n"
                        "2 2 3\n2 1 1\n2 1 2\n1 1 3\n"),
              from_rows({{3, 3}, {3, 0}}));
}

BOOST_AUTO_TEST_CASE(comments_and_blank_lines_anywhere_after_the_banner) {
  check_equal(read_text("%%MatrixMarket matrix coordinate real general\n"
                        "%%comment that looks like a banner\n"
                        "\n"
                        "   \t\n"
                        "% another\n"
                        "  2   2   2  \n"
                        "\n"
                        "1\t1\t3\n"
                        "% in the middle\n"
                        "  2 2 4  \n"
                        "\n% trailing comment\n\n"),
              from_rows({{3, 0}, {0, 4}}));
}

BOOST_AUTO_TEST_CASE(tiny_values_underflow_to_zero_denormals_are_kept) {
  const auto a = read_text(
      "%%MatrixMarket matrix array real general\n3 1\n1e-400\n-1e-400\n"
      "4.9406564584124654e-324\n");
  BOOST_TEST(a(0, 0) == 0.0);
  BOOST_TEST(std::signbit(a(1, 0)));
  BOOST_TEST(a(2, 0) == std::numeric_limits<double>::denorm_min());
}

// ---- errors: each names the path and the line, and says what is wrong ----

BOOST_AUTO_TEST_CASE(missing_file) {
  TempDir tmp;
  const std::string path = (tmp.dir / "does-not-exist.mtx").string();
  try {
    read_matrix_market(path);
    BOOST_ERROR("no exception");
  } catch (const InvalidArgument& e) {
    const std::string message = e.what();
    BOOST_TEST(message.starts_with(path + ": cannot open"));
  }
  try {
    read_matrix_market(tmp.dir.string());
    BOOST_ERROR("no exception");
  } catch (const InvalidArgument& e) {
    BOOST_TEST(std::string(e.what()).find("cannot open") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(bad_banner) {
  check_error("", 1, "missing banner");
  check_error("3 3 1\n1 1 1\n", 1, "banner");
  check_error("%MatrixMarket matrix coordinate real general\n1 1 0\n", 1, "banner");
  check_error("%%MatrixMarket matrix coordinate real\n1 1 0\n", 1, "incomplete banner");
  check_error("%%MatrixMarket vector coordinate real general\n1 1 0\n", 1, "object 'vector'");
  check_error("%%MatrixMarket matrix sparse real general\n1 1 0\n", 1, "unknown format");
  check_error("%%MatrixMarket matrix coordinate double general\n1 1 0\n", 1, "unknown field");
  check_error("%%MatrixMarket matrix coordinate real upper\n1 1 0\n", 1, "unknown symmetry");
  check_error("%%MatrixMarket matrix coordinate real general extra\n1 1 0\n", 1, "trailing");
  check_error("%%MatrixMarket matrix array pattern general\n1 1\n", 1, "coordinate format");
}

BOOST_AUTO_TEST_CASE(complex_and_hermitian_are_rejected_clearly) {
  check_error("%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n", 1,
              "complex matrices are not supported");
  check_error("%%MatrixMarket matrix coordinate real hermitian\n1 1 1\n1 1 1\n", 1,
              "hermitian matrices are not supported");
}

BOOST_AUTO_TEST_CASE(bad_size_line) {
  const std::string banner = "%%MatrixMarket matrix coordinate real general\n";
  check_error(banner, 1, "missing size line");
  check_error(banner + "% only comments\n", 2, "missing size line");
  check_error(banner + "3 3\n", 2, "bad size line");
  check_error(banner + "3 x 3\n", 2, "not an integer");
  check_error(banner + "3 3 1 4\n1 1 1\n", 2, "trailing garbage");
  check_error(banner + "-3 3 1\n1 1 1\n", 2, "negative");
  check_error(banner + "0 3 0\n", 2, "at least one row");
  check_error(banner + "99999999999999999999 3 0\n", 2, "too large");
  check_error(banner + "100000 100000 1\n1 1 1\n", 2, "dense storage limit");
  check_error("%%MatrixMarket matrix array real general\n3 3 9\n", 2, "bad size line");
  check_error("%%MatrixMarket matrix coordinate real symmetric\n3 2 1\n1 1 1\n", 2,
              "must be square");
}

BOOST_AUTO_TEST_CASE(bad_entries) {
  const std::string banner = "%%MatrixMarket matrix coordinate real general\n2 2 2\n";
  check_error(banner + "1 1 1\n3 1 1\n", 4, "index (3, 1) is out of range for a 2 x 2 matrix");
  check_error(banner + "1 1 1\n1 0 1\n", 4, "out of range");
  check_error(banner + "1 1 1\n", 3, "too few entries");
  check_error(banner + "1 1 1\n\n% comment\n", 5, "too few entries");
  check_error(banner + "1 1 1\n2 2 1\n1 2 1\n", 5, "too many entries");
  check_error(banner + "1 1 1\n2 2 nan\n", 4, "NaN or Inf entry at (2, 2)");
  check_error(banner + "1 1 -inf\n2 2 1\n", 3, "NaN or Inf entry at (1, 1)");
  check_error(banner + "1 1 1e400\n2 2 1\n", 3, "NaN or Inf entry at (1, 1)");
  check_error(banner + "1 1 1\n2 2 abc\n", 4, "non-numeric value 'abc' at (2, 2)");
  check_error(banner + "1 1 1\n2 2 1.0D+00\n", 4, "non-numeric");
  check_error(banner + "1 1 1\n2 2 1 7\n", 4, "trailing garbage '7'");
  check_error(banner + "1 1 1\n2 2\n", 4, "missing value at (2, 2)");
  check_error(banner + "1 1 1\n2 x 1\n", 4, "bad index 'x'");
  check_error(banner + "1 1 1\n2\n", 4, "incomplete entry");
  check_error("%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 1 1\n", 3,
              "trailing garbage");
  check_error("%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n", 3,
              "not an integer");
  check_error("%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 nan\n", 3,
              "NaN or Inf");
  check_error("%%MatrixMarket matrix array real general\n2 1\n1\n", 3, "too few entries");
  check_error("%%MatrixMarket matrix array real general\n1 1\n1\n2\n", 4, "too many entries");
  check_error("%%MatrixMarket matrix array real general\n2 1\n1 2\n3\n", 3, "trailing garbage");
  check_error("%%MatrixMarket matrix array real general\n2 1\n1\ninf\n", 4,
              "NaN or Inf entry at (2, 1)");
}

BOOST_AUTO_TEST_CASE(symmetric_files_store_the_lower_triangle) {
  check_error("%%MatrixMarket matrix coordinate real symmetric\n2 2 2\n1 1 1\n1 2 3\n", 4,
              "above the diagonal");
  check_error("%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n1 2 3\n", 3,
              "above the diagonal");
  check_error("%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n2 2 3\n", 3,
              "nonzero diagonal entry (2, 2)");
}

// ---- writer ----

BOOST_AUTO_TEST_CASE(round_trip_is_exact) {
  TempDir tmp;
  DenseMatrix<double> a(7, 5);
  Rng rng(42);
  fill_gaussian<double>(rng, a.values());
  a(0, 0) = -0.0;
  a(1, 0) = std::numeric_limits<double>::denorm_min();
  a(2, 0) = std::numeric_limits<double>::max();
  a(3, 0) = -std::numeric_limits<double>::min();
  a(4, 0) = 1.0 / 3.0;
  a(5, 0) = 1e300;
  std::ostringstream text;
  write_matrix_market(text, a);
  BOOST_TEST(text.str().starts_with("%%MatrixMarket matrix array real general\n7 5\n"));
  const auto b = read_matrix_market(tmp.write("round.mtx", text.str()));
  BOOST_REQUIRE_EQUAL(b.rows(), 7);
  BOOST_REQUIRE_EQUAL(b.cols(), 5);
  // bit-for-bit, including the sign of zero
  BOOST_TEST(std::memcmp(a.data(), b.data(), sizeof(double) * 35) == 0);

  // A row-major matrix is written in column-major order all the same.
  const DenseMatrix<double> r = a.convert<double>(Layout::RowMajor);
  std::ostringstream text_r;
  write_matrix_market(text_r, r);
  BOOST_TEST(text_r.str() == text.str());
}

// ---- the SuiteSparse files of data/matrices (sizes and counts from data/matrices/README.md) ----

struct FileFacts {
  const char* name;
  Index m, n;
  Index nonzeros;  ///< nnz (expanded) from the README, minus the explicit zeros stored in the file
  bool symmetric;
};

BOOST_AUTO_TEST_CASE(suitesparse_files_have_the_documented_sizes) {
  const FileFacts facts[] = {
      {"west0479", 479, 479, 1910 - 22, false},  // README: 22 explicit zeros
      {"olm1000", 1000, 1000, 3996, false},
      {"impcol_a", 207, 207, 572, false},
      {"494_bus", 494, 494, 1666, true},
      {"LFAT5", 14, 14, 46, true},
      {"bcsstk13", 2003, 2003, 83883, true},
      {"ash219", 219, 85, 438, false},
      {"lp_afiro", 27, 51, 102, false},
      {"lp_e226", 223, 472, 2768, false},
      {"can_24", 24, 24, 160, true},
      {"jagmesh7", 1138, 1138, 7450, true},
      {"n3c4-b4", 6, 15, 30, false},
  };
  for (const auto& f : facts) {
    BOOST_TEST_CONTEXT(f.name) {
      const auto a =
          read_matrix_market(std::string(SPECBENCH_MATRICES_DIR) + "/" + f.name + ".mtx");
      BOOST_TEST(a.rows() == f.m);
      BOOST_TEST(a.cols() == f.n);
      Index nonzeros = 0;
      for (double x : a.values()) nonzeros += x != 0;
      BOOST_TEST(nonzeros == f.nonzeros);
      if (f.symmetric) {
        bool symmetric = true;
        for (Index j = 0; j < a.cols(); ++j)
          for (Index i = 0; i < j; ++i) symmetric = symmetric && a(i, j) == a(j, i);
        BOOST_TEST(symmetric);
      }
    }
  }
  // Pattern files hold ones; the integer file holds integers.
  const auto ash = read_matrix_market(std::string(SPECBENCH_MATRICES_DIR) + "/ash219.mtx");
  for (double x : ash.values()) BOOST_TEST_REQUIRE((x == 0 || x == 1));
  const auto homology = read_matrix_market(std::string(SPECBENCH_MATRICES_DIR) + "/n3c4-b4.mtx");
  for (double x : homology.values()) BOOST_TEST_REQUIRE(x == std::round(x));
}

// ---- hostile sizes (issue 16): nothing is allocated that the file's entries do not pay for ----

// A size line declaring more entries than the file can hold is refused before anything is
// allocated, naming the file, the declared size and the file's length. 16384 x 16384 is 2^28
// entries, within the dense limit: only the file's length tells it is a lie.
BOOST_AUTO_TEST_CASE(a_declared_size_the_file_cannot_hold_is_refused) {
  TempDir tmp;
  std::string path;
  const std::string array = "%%MatrixMarket matrix array real general\n16384 16384\n";
  std::string message = read_error(tmp, array, &path);
  BOOST_TEST_CONTEXT("message: " << message) {
    BOOST_TEST(message.starts_with(path + ":2: "));
    BOOST_TEST(message.find("declares 268435456 entries (16384 x 16384)") != std::string::npos);
    BOOST_TEST(message.find("at least 2 bytes each, but the file is 53 bytes long") !=
               std::string::npos);
  }
  const std::string coordinate =
      "%%MatrixMarket matrix coordinate real general\n16384 16384 268435456\n";
  message = read_error(tmp, coordinate, &path);
  BOOST_TEST(message.find("declares 268435456 entries") != std::string::npos, message);
  BOOST_TEST(
      message.find("at least 6 bytes each, but the file is 68 bytes long") != std::string::npos,
      message);
  message = read_error(tmp, "%%MatrixMarket matrix coordinate pattern general\n4 4 100000\n");
  BOOST_TEST(message.find("at least 4 bytes each") != std::string::npos, message);
  // A symmetric array declares its lower triangle: n (n + 1) / 2 entries.
  message = read_error(tmp, "%%MatrixMarket matrix array real symmetric\n16384 16384\n");
  BOOST_TEST(message.find("declares 134225920 entries") != std::string::npos, message);
}

// The minimum lengths are exact: N shortest entries ("0\n", "1 1 0\n"), the last without its
// line end, are accepted; one byte less is refused by the length check (65536 entries: the
// smallest count that is checked).
BOOST_AUTO_TEST_CASE(the_length_bound_is_exact) {
  TempDir tmp;
  std::string array = "%%MatrixMarket matrix array real general\n256 256\n";
  for (int k = 0; k < 65536; ++k) array += "0\n";
  array.pop_back();  // no final line end
  BOOST_TEST(read_matrix_market(tmp.write("a.mtx", array)).rows() == 256);
  array.pop_back();  // the last value gone: 65535 lines "0\n", one byte short of the bound
  std::string message = read_error(tmp, array);
  BOOST_TEST(message.find("need at least 2 bytes each") != std::string::npos, message);

  std::string coo = "%%MatrixMarket matrix coordinate real general\n1 1 65536\n";
  for (int k = 0; k < 65536; ++k) coo += "1 1 0\n";
  coo.pop_back();
  const auto a = read_matrix_market(tmp.write("c.mtx", coo));
  BOOST_TEST(a(0, 0) == 0.0);
  coo.pop_back();
  message = read_error(tmp, coo);
  BOOST_TEST(message.find("need at least 6 bytes each") != std::string::npos, message);
}

// A coordinate file whose dense form is out of proportion to its entries (a 60-byte file asking
// for 2 GiB of zeros) is refused before allocating; at kFreeDenseEntries or with one entry per
// kMaxPositionsPerEntry positions it is read (mirrored entries count twice).
BOOST_AUTO_TEST_CASE(a_coordinate_file_out_of_proportion_to_its_entries_is_refused) {
  TempDir tmp;
  std::string path;
  const std::string zeros = "%%MatrixMarket matrix coordinate real general\n16384 16384 0\n";
  BOOST_TEST(zeros.size() == 60u);
  const std::string message = read_error(tmp, zeros, &path);
  BOOST_TEST_CONTEXT("message: " << message) {
    BOOST_TEST(message.starts_with(path + ":2: a 16384 x 16384 matrix (268435456 dense entries, "
                                          "2048 MiB) from 0 entries in a file of 60 bytes"));
    BOOST_TEST(message.find("one entry per 4096 positions") != std::string::npos);
  }
  // 2^24 dense entries are free: one declared entry passes (and the file, without it, fails later).
  BOOST_TEST(read_error(tmp, "%%MatrixMarket matrix coordinate real general\n4096 4096 1\n")
                 .find("too few entries") != std::string::npos);
  // 8192 x 8192 = 2^26 positions need 2^14 entries; a symmetric file's entries count twice.
  // At the bound the check passes and the (entry-less) file fails later, allocating nothing.
  const std::string general = "%%MatrixMarket matrix coordinate real general\n8192 8192 ";
  const std::string symmetric = "%%MatrixMarket matrix coordinate real symmetric\n8192 8192 ";
  BOOST_TEST(read_error(tmp, general + "16383\n").find("one entry per 4096") != std::string::npos);
  BOOST_TEST(read_error(tmp, general + "16384\n").find("too few entries") != std::string::npos);
  BOOST_TEST(read_error(tmp, symmetric + "8191\n").find("one entry per 4096") != std::string::npos);
  BOOST_TEST(read_error(tmp, symmetric + "8192\n").find("too few entries") != std::string::npos);
}

// The store's memory grows with the entries put, not with m x n: below m n / 8 entries it holds
// 16-byte triplets (capacity never above the threshold), then the dense matrix; the result is
// the same either way (sums for coordinate files, assignment keeping -0 for arrays).
BOOST_AUTO_TEST_CASE(memory_grows_with_the_entries_read) {
  detail::EntryStore big(16384, 16384, false);
  for (int k = 0; k < 1000; ++k) big.put(k, k, 1.0);
  BOOST_TEST(big.bytes() <= 2 * 1000 * 16u);  // not the 2 GiB of the dense form
  detail::EntryStore sum(64, 64, false);      // threshold 512 entries
  for (int k = 0; k < 600; ++k) sum.put(k % 64, k % 7, 0.5);
  BOOST_TEST(sum.bytes() == 64 * 64 * 8u);  // densified at 512
  const auto a = sum.take();
  double total = 0;
  for (double x : a.values()) total += x;
  BOOST_TEST(total == 300.0);
  detail::EntryStore assign(2, 1, true);
  assign.put(0, 0, -0.0);
  assign.put(1, 0, 3.0);
  const auto b = assign.take();
  BOOST_TEST((std::signbit(b(0, 0)) && b(1, 0) == 3.0));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench
