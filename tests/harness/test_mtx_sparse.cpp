// Matrix Market files read as CSR (harness/workloads/mtx.hpp): coordinate files whose dense form
// exceeds the dense limit are read sparse with the same checks (entries, duplicates summed,
// symmetric mirrored), gzip-compressed files read as they inflate give the same matrix, a
// damaged or truncated .gz is a clear error, and a dense-only reader or an array file that large
// is refused naming the limit.

#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "core/error.hpp"
#include "harness/workloads/matrices.hpp"
#include "harness/workloads/mtx.hpp"
#include "support/temp_dir.hpp"

namespace specbench {
namespace {

namespace fs = std::filesystem;

struct TempDir : test::TempDir {
  TempDir() : test::TempDir("specbench-test-mtxs") {}
  /// Writes `text` gzip-compressed to DIR/name.
  std::string write_gz(const std::string& name, const std::string& text) const {
    const fs::path p = dir / name;
    gzFile f = gzopen(p.c_str(), "wb");
    BOOST_REQUIRE(f != nullptr);
    BOOST_REQUIRE(gzwrite(f, text.data(), unsigned(text.size())) == int(text.size()));
    BOOST_REQUIRE(gzclose(f) == Z_OK);
    return p.string();
  }
};

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  BOOST_ERROR("no InvalidArgument");
  return "";
}

// 30000 x 20000 = 6e8 dense entries (beyond 2^28): a symmetric and a general file.
const std::string kGeneral =
    "%%MatrixMarket matrix coordinate real general\n"
    "% a comment\n"
    "30000 20000 4\n"
    "1 1 2.5\n"
    "30000 20000 -1\n"
    "7 9 1\n"
    "7 9 0.5\n";  // a duplicate: summed to 1.5

BOOST_AUTO_TEST_CASE(a_coordinate_file_beyond_the_dense_limit_is_read_as_csr) {
  TempDir tmp;
  const std::string path = tmp.write("big.mtx", kGeneral);
  const MtxSize size = read_matrix_market_size(path);
  BOOST_TEST(size.m == 30000);
  BOOST_TEST(size.n == 20000);
  BOOST_TEST(size.coordinate);
  const CsrMatrix<double> a = read_matrix_market_sparse(path);
  BOOST_TEST(a.rows() == 30000);
  BOOST_TEST(a.cols() == 20000);
  BOOST_TEST(a.nonZeros() == 3);
  BOOST_TEST(a.coeff(0, 0) == 2.5);
  BOOST_TEST(a.coeff(29999, 19999) == -1.0);
  BOOST_TEST(a.coeff(6, 8) == 1.5);
  // the spec says so, and the dense reader refuses it naming the limit
  const MatrixSpec spec = parse_matrix_spec(path);
  BOOST_TEST(is_sparse_only(spec));
  BOOST_TEST(message_of([&] {
               (void)read_matrix_market(path);
             }).find("exceeds the dense storage limit") != std::string::npos);
  BOOST_TEST(message_of([&] { (void)make_matrix(spec, "export"); }).find("is read as CSR") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(symmetric_files_are_mirrored_and_checked_as_in_the_dense_reader) {
  TempDir tmp;
  const std::string sym = tmp.write("sym.mtx",
                                    "%%MatrixMarket matrix coordinate real symmetric\n"
                                    "20000 20000 2\n"
                                    "3 1 4\n"
                                    "2 2 1\n");
  const CsrMatrix<double> a = read_matrix_market_sparse(sym);
  BOOST_TEST(a.nonZeros() == 3);
  BOOST_TEST(a.coeff(2, 0) == 4.0);
  BOOST_TEST(a.coeff(0, 2) == 4.0);
  const std::string above = tmp.write("above.mtx",
                                      "%%MatrixMarket matrix coordinate real symmetric\n"
                                      "20000 20000 1\n"
                                      "1 3 4\n");
  BOOST_TEST(message_of([&] {
               (void)read_matrix_market_sparse(above);
             }).find("above.mtx:3: entry (1, 3) is above the diagonal") != std::string::npos);
  const std::string range = tmp.write("range.mtx",
                                      "%%MatrixMarket matrix coordinate real general\n"
                                      "20000 20000 1\n"
                                      "20001 1 4\n");
  BOOST_TEST(message_of([&] { (void)read_matrix_market_sparse(range); }).find("out of range") !=
             std::string::npos);
  const std::string huge = tmp.write("huge.mtx",
                                     "%%MatrixMarket matrix coordinate real general\n"
                                     "9000000000 2 1\n"
                                     "1 1 4\n");
  BOOST_TEST(message_of([&] { (void)read_matrix_market_sparse(huge); }).find("sparse limit") !=
             std::string::npos);
  // 3e6 rows for one entry: 48 MB of row pointers that no entry pays for
  const std::string thin = tmp.write("thin.mtx",
                                     "%%MatrixMarket matrix coordinate real general\n"
                                     "3000000 3000000 1\n"
                                     "1 1 4\n");
  BOOST_TEST(message_of([&] {
               (void)read_matrix_market_sparse(thin);
             }).find("at least one entry per 16") != std::string::npos);
  const std::string array = tmp.write("array.mtx",
                                      "%%MatrixMarket matrix array real general\n"
                                      "20000 20000\n"
                                      "1\n");
  BOOST_TEST(message_of([&] { (void)read_matrix_market_sparse(array); }).find("array file") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(gzip_files_read_as_they_inflate_give_the_same_matrix) {
  TempDir tmp;
  const std::string plain = tmp.write("big.mtx", kGeneral);
  const std::string gz = tmp.write_gz("big.mtx.gz", kGeneral);
  const CsrMatrix<double> a = read_matrix_market_sparse(plain), b = read_matrix_market_sparse(gz);
  BOOST_TEST(a.nonZeros() == b.nonZeros());
  BOOST_TEST((CsrMatrix<double>(a - b)).norm() == 0.0);
  // a small .mtx.gz through the dense reader and the shorthand spec
  const std::string small = tmp.write_gz("small.mtx.gz",
                                         "%%MatrixMarket matrix coordinate real general\n"
                                         "2 3 2\n1 1 5\n2 3 -2\n");
  const MatrixSpec spec = parse_matrix_spec(small);
  BOOST_TEST(spec.family == "mtx");
  BOOST_TEST(!is_sparse_only(spec));
  const DenseMatrix<double> d = make_matrix(spec);
  BOOST_TEST(d(0, 0) == 5.0);
  BOOST_TEST(d(1, 2) == -2.0);
  // a damaged stream: the compressed bytes cut in half
  std::ifstream in(gz, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  const std::string cut = tmp.write("cut.mtx.gz", bytes.substr(0, bytes.size() / 2));
  const std::string why = message_of([&] { (void)read_matrix_market_sparse(cut); });
  BOOST_TEST((why.find("cut.mtx.gz") != std::string::npos &&
              (why.find("read error") != std::string::npos ||
               why.find("too few entries") != std::string::npos)),
             why);
}

}  // namespace
}  // namespace specbench
