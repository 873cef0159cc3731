// Tests of the matrix families and spec parsing (harness/workloads/matrices.cpp).

#include <lapacke.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "harness/workloads/matrices.hpp"
#include "harness/workloads/mtx.hpp"

namespace specbench {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

/// The InvalidArgument message of parse_matrix_spec(text), or "" (and a failure) if it parses.
std::string parse_error(const std::string& text) {
  try {
    parse_matrix_spec(text);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  BOOST_ERROR("spec '" << text << "' was accepted");
  return "";
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// All singular values by LAPACKE_dgesdd (values only), decreasing.
std::vector<double> singular_values(const DenseMatrix<double>& a) {
  std::vector<double> copy(a.values().begin(), a.values().end());
  std::vector<double> s(std::size_t(std::min(a.rows(), a.cols())));
  double dummy = 0;
  const lapack_int info =
      LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', lapack_int(a.rows()), lapack_int(a.cols()), copy.data(),
                     lapack_int(a.rows()), s.data(), &dummy, 1, &dummy, 1);
  BOOST_REQUIRE_EQUAL(info, 0);
  return s;
}

BOOST_AUTO_TEST_SUITE(matrices)

BOOST_AUTO_TEST_CASE(families_are_registered) {
  const auto& registry = MatrixFamilyRegistry::instance();
  for (const char* name : {"gaussian", "spectrum", "mtx", "linear", "conv", "dlatms", "kahan"}) {
    BOOST_TEST_CONTEXT(name) {
      const MatrixFamilyInfo* info = registry.find(name);
      BOOST_REQUIRE(info != nullptr);
      BOOST_TEST(!info->summary.empty());
      BOOST_TEST(bool(info->generate));
    }
  }
}

BOOST_AUTO_TEST_CASE(canonical_text_fills_defaults_in_schema_order) {
  const MatrixSpec g = parse_matrix_spec("gaussian:n=4,m=3");
  BOOST_TEST(g.family == "gaussian");
  BOOST_TEST(g.text == "gaussian:m=3,n=4,seed=0");
  BOOST_TEST(g.params.get_int("m") == 3);
  BOOST_TEST(g.params.get_int("n") == 4);
  BOOST_TEST(g.params.get_int("seed") == 0);

  const MatrixSpec s = parse_matrix_spec("spectrum:m=10,n=5");
  BOOST_TEST(s.text == "spectrum:m=10,n=5,decay=geometric,rate=0.9,count=1,seed=0");
  BOOST_TEST(parse_matrix_spec("spectrum:seed=2,decay=gap,rate=0.5,n=7,m=8").text ==
             "spectrum:m=8,n=7,decay=gap,rate=0.5,count=1,seed=2");

  // The canonical text parses to itself.
  for (const auto& spec : {g, s}) BOOST_TEST(parse_matrix_spec(spec.text).text == spec.text);
}

BOOST_AUTO_TEST_CASE(bad_specs_are_rejected_naming_the_problem) {
  std::string e = parse_error("gauss:m=3,n=3");
  BOOST_TEST(contains(e, "unknown matrix family 'gauss'"));
  BOOST_TEST(contains(e,
                      "banded, conv, dlatms, gaussian, kahan, laplace2d, laplace3d, linear, mtx, "
                      "spectrum, sprand"));  // accepted

  e = parse_error("gaussian:m=3,n=3,size=4");
  BOOST_TEST(contains(e, "unknown parameter 'size'"));
  BOOST_TEST(contains(e, "seed (int >= 0, default 0)"));  // the accepted parameters

  e = parse_error("gaussian:m=3.5,n=3");
  BOOST_TEST(contains(e, "'m' = '3.5' is not an integer"));

  e = parse_error("gaussian:m=0,n=3");
  BOOST_TEST(contains(e, "matrix spec 'gaussian:m=0,n=3'"));
  BOOST_TEST(contains(e, "'m' = '0' is out of range"));

  e = parse_error("gaussian:m=3");
  BOOST_TEST(contains(e, "'n' is required"));

  e = parse_error("gaussian:m=100000,n=100000");
  BOOST_TEST(contains(e, "matrix spec 'gaussian:m=100000,n=100000'"));
  BOOST_TEST(contains(e, "dense storage limit"));

  e = parse_error("gaussian:m=3,n");
  BOOST_TEST(contains(e, "not of the form key=value"));

  e = parse_error("spectrum:m=3,n=3,decay=linear");
  BOOST_TEST(contains(
      e, "is not one of: geometric, polynomial, exponential, gap, step, clustered, spiked"));
  BOOST_TEST(contains(parse_error("spectrum:m=3,n=3,rate=0"), "rate must be > 0"));
  BOOST_TEST(contains(parse_error("spectrum:m=3,n=3,rate=1.5"), "decay=geometric needs"));
  BOOST_TEST(contains(parse_error("spectrum:m=3,n=3,decay=gap,rate=1"), "decay=gap needs"));
  BOOST_TEST(contains(parse_error("spectrum:m=3,n=3,rate=-1"), "out of range"));
  BOOST_TEST(contains(parse_error("mtx:"), "'path' = '' is empty"));
  BOOST_TEST(contains(parse_error("mtx"), "'path' is required"));
  BOOST_TEST(contains(parse_error("C:/data/a.mtx"), "write mtx:PATH"));
  // Accepted edge values.
  BOOST_CHECK_NO_THROW(parse_matrix_spec("spectrum:m=3,n=3,rate=1"));
  BOOST_CHECK_NO_THROW(parse_matrix_spec("spectrum:m=3,n=3,decay=polynomial,rate=4"));
}

BOOST_AUTO_TEST_CASE(gaussian_is_deterministic_per_seed_and_column_major) {
  const auto a = make_matrix(parse_matrix_spec("gaussian:m=7,n=4,seed=5"));
  const auto b = make_matrix(parse_matrix_spec("gaussian:m=7,n=4,seed=5"));
  const auto c = make_matrix(parse_matrix_spec("gaussian:m=7,n=4,seed=6"));
  BOOST_REQUIRE_EQUAL(a.rows(), 7);
  BOOST_REQUIRE_EQUAL(a.cols(), 4);
  BOOST_TEST((a.layout() == Layout::ColMajor));
  BOOST_TEST(std::equal(a.values().begin(), a.values().end(), b.values().begin()));
  BOOST_TEST(!std::equal(a.values().begin(), a.values().end(), c.values().begin()));
  // Entry (i, j) is draw number i + j m of Rng(seed) through fill_gaussian.
  std::vector<double> draws(28);
  Rng rng(5);
  fill_gaussian<double>(rng, draws);
  for (Index j = 0; j < 4; ++j)
    for (Index i = 0; i < 7; ++i) BOOST_TEST(a(i, j) == draws[std::size_t(i + j * 7)]);
}

BOOST_AUTO_TEST_CASE(spectrum_has_the_prescribed_singular_values) {
  struct Case {
    std::string decay;
    double rate;
    int count = 1;
  };
  const Case cases[] = {{"geometric", 0.9},    {"geometric", 0.5},   {"geometric", 1.0},
                        {"polynomial", 0.9},   {"polynomial", 2.0},  {"gap", 0.7},
                        {"gap", 0.99},         {"exponential", 0.3}, {"step", 0.4, 3},
                        {"clustered", 0.5, 4}, {"spiked", 0.2, 3},   {"spiked", 0.2, 1}};
  const std::pair<Index, Index> shapes[] = {{40, 25}, {20, 30}, {1, 6}};
  for (const auto& c : cases) {
    for (const auto& [m, n] : shapes) {
      const std::string text = "spectrum:m=" + std::to_string(m) + ",n=" + std::to_string(n) +
                               ",decay=" + c.decay + ",rate=" + format_value(c.rate) +
                               ",count=" + std::to_string(c.count) + ",seed=3";
      BOOST_TEST_CONTEXT(text) {
        const auto a = make_matrix(parse_matrix_spec(text));
        BOOST_REQUIRE_EQUAL(a.rows(), m);
        BOOST_REQUIRE_EQUAL(a.cols(), n);
        const auto s = singular_values(a);
        const Index k = std::min(m, n);
        // A = U diag(s) V^T is formed in floating point: U and V are orthonormal to O(k eps)
        // (Householder QR) and the gemm rounds each entry of a length-k sum, so the computed A
        // is within about k eps (times a small constant) of a matrix with singular values
        // exactly s (Weyl); dgesdd adds its own O(eps) error. Hence 10 min(m, n) eps, sigma1 = 1.
        const double tol = 10 * double(k) * kEps;
        for (Index j = 1; j <= k; ++j) {
          double expected = 0;
          if (c.decay == "geometric") expected = std::pow(c.rate, double(j - 1));
          if (c.decay == "polynomial") expected = std::pow(double(j), -c.rate);
          if (c.decay == "gap") expected = j == 1 ? 1.0 : c.rate / double(j - 1);
          if (c.decay == "exponential") expected = std::exp(-c.rate * double(j - 1));
          const bool top = j <= c.count;
          if (c.decay == "step") expected = top ? 1.0 : c.rate;
          if (c.decay == "clustered") expected = top ? 1.0 : std::pow(c.rate, double(j - c.count));
          if (c.decay == "spiked")
            expected =
                top ? 1.0 - (1.0 - c.rate) / 2 * double(j - 1) / std::max(c.count - 1, 1) : c.rate;
          BOOST_TEST_INFO("s_" << j);
          BOOST_TEST(std::abs(s[std::size_t(j - 1)] - expected) <= tol);
        }
        BOOST_TEST(std::abs(s[0] - 1) <= tol);  // sigma1 = 1 by construction
        if (c.decay == "gap" && k >= 2) BOOST_TEST(std::abs(s[1] / s[0] - c.rate) <= 2 * tol);
      }
    }
  }
  // The seed changes U and V, not the spectrum.
  const auto a = make_matrix(parse_matrix_spec("spectrum:m=9,n=6,seed=1"));
  const auto b = make_matrix(parse_matrix_spec("spectrum:m=9,n=6,seed=2"));
  BOOST_TEST(!std::equal(a.values().begin(), a.values().end(), b.values().begin()));
}

struct TempDir {
  std::filesystem::path dir;
  TempDir() {
    dir = std::filesystem::temp_directory_path() /
          ("specbench-test-matrices-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

BOOST_AUTO_TEST_CASE(mtx_spec_and_shorthand_load_the_same_matrix) {
  const std::string path = std::string(SPECBENCH_MATRICES_DIR) + "/lp_afiro.mtx";
  const MatrixSpec prefixed = parse_matrix_spec("mtx:" + path);
  const MatrixSpec shorthand = parse_matrix_spec(path);
  const MatrixSpec keyed = parse_matrix_spec("mtx:path=" + path);
  for (const auto* spec : {&prefixed, &shorthand, &keyed}) {
    BOOST_TEST(spec->family == "mtx");
    BOOST_TEST(spec->text == "mtx:" + path);
    BOOST_TEST(spec->params.get_string("path") == path);
  }
  const auto a = make_matrix(prefixed);
  const auto b = make_matrix(shorthand);
  BOOST_TEST(a.rows() == 27);
  BOOST_TEST(a.cols() == 51);
  BOOST_TEST(
      std::equal(a.values().begin(), a.values().end(), b.values().begin(), b.values().end()));
}

BOOST_AUTO_TEST_CASE(mtx_path_is_verbatim) {
  // Commas and '=' in a path are not parameter syntax after "mtx:".
  TempDir tmp;
  const std::string path = (tmp.dir / "a,b=c.mtx").string();
  {
    std::ofstream out(path);
    out << "%%MatrixMarket matrix coordinate real general\n2 2 1\n2 1 -3.5\n";
  }
  const MatrixSpec spec = parse_matrix_spec("mtx:" + path);
  BOOST_TEST(spec.text == "mtx:" + path);
  const auto a = make_matrix(spec);
  BOOST_TEST(a(1, 0) == -3.5);
  BOOST_TEST(parse_matrix_spec(path).text == spec.text);  // no ':' in the path: shorthand works
  // A missing file parses (the spec is well formed) but fails to load, naming the path.
  const MatrixSpec missing = parse_matrix_spec("mtx:" + path + ".gone");
  BOOST_CHECK_EXCEPTION(make_matrix(missing), InvalidArgument, [&](const InvalidArgument& e) {
    return contains(e.what(), path + ".gone: cannot open");
  });
}

// dlatms: for modes 1..5 the largest singular value is |dmax| by construction (DLATMS scales D
// to max |D_i| = |dmax|), and the smallest is |dmax| / cond for a square matrix.
BOOST_AUTO_TEST_CASE(dlatms_has_norm_dmax) {
  for (int mode = 1; mode <= 5; ++mode) {
    for (const double dmax : {7.0, -2.5}) {
      const std::string text = "dlatms:m=40,n=40,mode=" + std::to_string(mode) +
                               ",cond=1000,dmax=" + format_value(dmax) + ",seed=5";
      BOOST_TEST_CONTEXT(text) {
        const auto s = singular_values(make_matrix(parse_matrix_spec(text)));
        // U D V formed by Householder products: within ~n eps |dmax| of the construction.
        const double tol = 10 * 40 * kEps * std::abs(dmax);
        BOOST_TEST(std::abs(s.front() - std::abs(dmax)) <= tol);
        if (mode != 5) BOOST_TEST(std::abs(s.back() - std::abs(dmax) / 1000) <= tol);
      }
    }
  }
  // Seeds change the matrix; the same seed does not.
  const auto a = make_matrix(parse_matrix_spec("dlatms:m=5,n=4,seed=1"));
  const auto b = make_matrix(parse_matrix_spec("dlatms:m=5,n=4,seed=1"));
  const auto c = make_matrix(parse_matrix_spec("dlatms:m=5,n=4,seed=2"));
  BOOST_TEST((std::vector<double>(a.values().begin(), a.values().end()) ==
              std::vector<double>(b.values().begin(), b.values().end())));
  BOOST_TEST(a(0, 0) != c(0, 0));
}

// linear and conv: shapes as torch's weights (conv reshaped to out x in*kh*kw), every entry in
// (-1/sqrt(fan_in), 1/sqrt(fan_in)), and the uniform's variance bound^2 / 3 to sampling error
// (4 standard errors of the mean of x^2: the variance of x^2 for U(-b, b) is 4 b^4 / 45).
BOOST_AUTO_TEST_CASE(linear_and_conv_follow_torch_initialization) {
  struct Case {
    std::string text;
    Index rows, fan_in;
  };
  for (const auto& c : {Case{"linear:in=300,out=200,seed=1", 200, 300},
                        Case{"conv:out=64,in=16,kh=3,kw=5", 64, 240}}) {
    BOOST_TEST_CONTEXT(c.text) {
      const auto a = make_matrix(parse_matrix_spec(c.text));
      BOOST_REQUIRE_EQUAL(a.rows(), c.rows);
      BOOST_REQUIRE_EQUAL(a.cols(), c.fan_in);
      const double bound = 1 / std::sqrt(double(c.fan_in));
      double sum2 = 0;
      for (double x : a.values()) {
        BOOST_TEST(std::abs(x) < bound);
        sum2 += x * x;
      }
      const double count = double(a.values().size());
      const double sd = std::sqrt(4 * std::pow(bound, 4) / 45 / count);
      BOOST_TEST(std::abs(sum2 / count - bound * bound / 3) <= 4 * sd);
    }
  }
}

// kahan: upper triangular, diagonal s^(i-1), above it -c s^(i-1).
BOOST_AUTO_TEST_CASE(kahan_structure) {
  const auto a = make_matrix(parse_matrix_spec("kahan:n=6,theta=1.2"));
  const double c = std::cos(1.2), s = std::sin(1.2);
  for (Index i = 0; i < 6; ++i)
    for (Index j = 0; j < 6; ++j) {
      const double scale = std::pow(s, double(i));
      const double expected = j < i ? 0.0 : j == i ? scale : -c * scale;
      BOOST_TEST(std::abs(a(i, j) - expected) <= 4 * kEps * std::abs(expected));
    }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench
