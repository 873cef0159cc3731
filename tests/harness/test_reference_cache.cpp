// The reference cache (harness/reference_cache.hpp): keyed by contents, hits return identical
// references, damaged or foreign entries are recomputed, and `off` disables it.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "harness/hash.hpp"
#include "harness/reference_cache.hpp"
#include "harness/reference_check.hpp"

using namespace specbench;

namespace {

/// Points SPECBENCH_CACHE_DIR at a fresh directory for the test's lifetime.
struct TempCache {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("specbench_cache_" + std::to_string(::getpid()));
  std::string saved;
  bool had = false;
  TempCache() {
    std::filesystem::remove_all(dir);
    if (const char* s = std::getenv("SPECBENCH_CACHE_DIR")) had = true, saved = s;
    ::setenv("SPECBENCH_CACHE_DIR", dir.c_str(), 1);
  }
  ~TempCache() {
    std::filesystem::remove_all(dir);
    if (had)
      ::setenv("SPECBENCH_CACHE_DIR", saved.c_str(), 1);
    else
      ::unsetenv("SPECBENCH_CACHE_DIR");
  }
  std::filesystem::path entry(const std::vector<double>& a, int m, int n) const {
    return dir / (reference_cache_key(a.data(), m, n) + ".json");
  }
};

std::vector<double> matrix() {
  // 4 x 3 with a clear gap: sigma1 is certified to 30+ digits.
  return {4, 1, 0, 2, 1, 3, 1, 0, 0, 1, 2, 1};
}

void check_same(const Reference& a, const Reference& b) {
  BOOST_TEST(a.sigma1_text == b.sigma1_text);
  BOOST_TEST(a.sigma1 == b.sigma1);
  BOOST_TEST(a.sigma1_lo == b.sigma1_lo);
  BOOST_TEST(a.bound == b.bound);
  BOOST_TEST(a.digits == b.digits);
  BOOST_TEST(a.u1 == b.u1);
  BOOST_TEST(a.v1 == b.v1);
  BOOST_TEST(a.method == b.method);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reference_cache)

BOOST_AUTO_TEST_CASE(second_call_is_a_hit_with_identical_digits) {
  TempCache cache;
  const auto a = matrix();
  const auto first = cached_reference(a.data(), 4, 3);
  BOOST_TEST(!first.hit);
  BOOST_TEST(std::filesystem::exists(cache.entry(a, 4, 3)));
  const auto second = cached_reference(a.data(), 4, 3);
  BOOST_TEST(second.hit);
  check_same(first.ref, second.ref);
  check_same(first.ref, compute_reference(a.data(), 4, 3));
}

BOOST_AUTO_TEST_CASE(key_is_the_contents_not_the_shape_alone) {
  auto a = matrix();
  const std::string k1 = reference_cache_key(a.data(), 4, 3);
  BOOST_TEST(k1.size() == 64u);                           // SHA-256
  BOOST_TEST(reference_cache_key(a.data(), 3, 4) != k1);  // same bytes, other shape
  a[5] = std::nextafter(a[5], 10.0);                      // one ulp in one entry
  BOOST_TEST(reference_cache_key(a.data(), 4, 3) != k1);
}

BOOST_AUTO_TEST_CASE(damaged_entries_are_recomputed) {
  TempCache cache;
  const auto a = matrix();
  const auto good = cached_reference(a.data(), 4, 3).ref;
  const auto path = cache.entry(a, 4, 3);
  std::string text;
  {
    std::ifstream in(path);
    std::getline(in, text);
  }
  auto damage = [&](const std::string& content) {
    std::ofstream(path, std::ios::trunc) << content;
    const auto again = cached_reference(a.data(), 4, 3);
    BOOST_TEST(!again.hit);  // detected: recomputed
    check_same(again.ref, good);
    BOOST_TEST(cached_reference(a.data(), 4, 3).hit);  // and the entry is repaired
  };
  damage(text.substr(0, text.size() / 2));  // truncated
  damage("");                               // empty
  // A changed digit inside the reference: still valid JSON, caught by the checksum.
  std::string tampered = text;
  const auto pos = tampered.find("\"sigma1_text\":\"") + 16;
  tampered[pos] = tampered[pos] == '1' ? '2' : '1';
  damage(tampered);
  // Another version of the algorithm.
  std::string other = text;
  other.replace(other.find(kReferenceVersion), std::string(kReferenceVersion).size(),
                "specbench-reference-0");
  damage(other);
}

BOOST_AUTO_TEST_CASE(off_disables_the_cache) {
  TempCache cache;
  ::setenv("SPECBENCH_CACHE_DIR", "off", 1);
  BOOST_TEST(reference_cache_dir().empty());
  const auto a = matrix();
  BOOST_TEST(!cached_reference(a.data(), 4, 3).hit);
  BOOST_TEST(!cached_reference(a.data(), 4, 3).hit);
  BOOST_TEST(!std::filesystem::exists(cache.dir));
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// std::cerr captured for the object's lifetime.
struct CaptureCerr {
  std::ostringstream text;
  std::streambuf* old = std::cerr.rdbuf(text.rdbuf());
  ~CaptureCerr() { std::cerr.rdbuf(old); }
};

nlohmann::json read_entry(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

/// Edits the entry's reference and recomputes its checksum, as someone who read the format
/// would: only the field checks and the invariants against the matrix can catch it.
void forge(const std::filesystem::path& path, const std::function<void(nlohmann::json&)>& edit) {
  auto j = read_entry(path);
  edit(j["reference"]);
  j["checksum"] = sha256_hex(j["reference"].dump());
  std::ofstream(path, std::ios::trunc) << j.dump() << "\n";
}

/// A forged entry is not used: a miss with one warning naming the file, the reference
/// recomputed (identical to the true one), and the entry repaired (the next call hits).
void expect_refused(const std::vector<double>& a, int m, int n, const TempCache& cache,
                    const std::function<void(nlohmann::json&)>& edit, const std::string& reason) {
  const auto path = cache.entry(a, m, n);
  const auto good = cached_reference(a.data(), m, n).ref;
  forge(path, edit);
  CaptureCerr err;
  const auto again = cached_reference(a.data(), m, n);
  BOOST_TEST(!again.hit, reason);
  check_same(again.ref, good);
  const std::string warning = err.text.str();
  BOOST_TEST(warning.find(path.string()) != std::string::npos, reason << ": " << warning);
  BOOST_TEST(warning.find(reason) != std::string::npos, reason << ": " << warning);
  BOOST_TEST(std::count(warning.begin(), warning.end(), '\n') == 1, warning);
  BOOST_TEST(cached_reference(a.data(), m, n).hit, reason);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reference_cache_hostile)

BOOST_AUTO_TEST_CASE(a_forged_sigma1_with_a_recomputed_checksum_is_refused) {
  TempCache cache;
  const auto a = matrix();
  const auto good = compute_reference(a.data(), 4, 3);
  // 2% high (the 9.5 for 9.3215), the text and sigma1_lo edited to match: only the
  // invariant against the matrix, ||A v1|| >= (sigma1 - bound) cos(radius), can see it.
  expect_refused(
      a, 4, 3, cache,
      [&](nlohmann::json& r) {
        r["sigma1"] = good.sigma1 * 1.02;
        r["sigma1_lo"] = 0.0;
        std::ostringstream text;
        text << std::scientific << std::setprecision(40) << good.sigma1 * 1.02;
        r["sigma1_text"] = text.str();
      },
      "too large for this matrix");
  // 2% low: ||A v1|| <= sigma1 + bound fails.
  expect_refused(
      a, 4, 3, cache,
      [&](nlohmann::json& r) {
        r["sigma1"] = good.sigma1 * 0.98;
        r["sigma1_lo"] = 0.0;
        std::ostringstream text;
        text << std::scientific << std::setprecision(40) << good.sigma1 * 0.98;
        r["sigma1_text"] = text.str();
      },
      "too small for this matrix");
  // High, with the vector radius claimed undetermined (1) to dodge the lower check: still
  // sigma1 <= ||A||_F when forged far enough (the cheap checks cannot pin sigma1 in between;
  // the README says so).
  expect_refused(
      a, 4, 3, cache,
      [&](nlohmann::json& r) {
        r["sigma1"] = good.sigma1 * 10;
        r["sigma1_lo"] = 0.0;
        std::ostringstream text;
        text << std::scientific << std::setprecision(40) << good.sigma1 * 10;
        r["sigma1_text"] = text.str();
        r["vector_radius"] = 1.0;
      },
      "too large for this matrix");
  // sigma1 alone edited (the text keeps the true value): more than the bound apart.
  expect_refused(
      a, 4, 3, cache, [&](nlohmann::json& r) { r["sigma1"] = good.sigma1 * 1.02; },
      "is not sigma1_text");
}

BOOST_AUTO_TEST_CASE(every_field_is_checked) {
  TempCache cache;
  const auto a = matrix();
  using J = nlohmann::json;
  const std::vector<std::pair<std::function<void(J&)>, std::string>> cases = {
      {[](J& r) { r["bound"] = -1.0; }, "bound is not positive"},
      {[](J& r) { r["bound"] = 0.0; }, "bound is not positive"},
      {[](J& r) { r["method"] = "trust-me"; }, "unknown method 'trust-me'"},
      {[](J& r) { r["sigma1_text"] = "hello"; }, "sigma1_text 'hello' is no number"},
      {[](J& r) { r["sigma1_text"] = "inf"; }, "is no number"},
      {[](J& r) { r["cluster_size"] = 1000000; }, "cluster_size 1000000 is not in [1, 3]"},
      {[](J& r) { r["cluster_size"] = 0; }, "cluster_size 0"},
      {[](J& r) { r["cluster_size"] = 1e6; }, "field 'cluster_size' has the wrong type"},
      {[](J& r) { r["digits"] = 40; }, "digits = 40 does not match"},
      {[](J& r) { r["sigma1"] = "9.5"; }, "field 'sigma1' has the wrong type"},
      {[](J& r) { r["sigma1"] = true; }, "field 'sigma1' has the wrong type"},
      {[](J& r) { r["sigma1"] = nullptr; }, "field 'sigma1' has the wrong type"},
      {[](J& r) { r["sigma1_lo"] = 1e-3; }, "sigma1_lo"},
      {[](J& r) { r["sigma2"] = -1.0; }, "sigma2"},
      {[](J& r) { r["sigma2"] = 100.0; }, "sigma2"},
      {[](J& r) { r["vector_radius"] = 2.0; }, "vector_radius"},
      {[](J& r) { r["lanczos_steps"] = -1; }, "field 'lanczos_steps'"},
      {[](J& r) { r["u1"].push_back(0.0); }, "u1 or v1 has the wrong length"},
      {[](J& r) { r["v1"][0] = 2.0; }, "not a unit vector"},
      {[](J& r) { r["u1"][0] = "x"; }, "field 'u1'"},
      {[](J& r) { r["u_cluster"] = J::array({1.0}); }, "cluster_size"},
      {[](J& r) { r.erase("method"); }, "a field is missing"},
      {[](J& r) { r["trusted"] = true; }, "unknown field 'trusted'"},
      {[](J& r) { r = J::array(); }, "not a JSON object"},
  };
  for (const auto& [edit, reason] : cases) expect_refused(a, 4, 3, cache, edit, reason);
}

BOOST_AUTO_TEST_CASE(a_fifo_or_a_link_at_the_entry_is_not_opened_and_is_replaced) {
  TempCache cache;
  const auto a = matrix();
  const auto path = cache.entry(a, 4, 3);
  std::filesystem::create_directories(cache.dir);
  // A FIFO: opening it for reading would block until a writer came; it is skipped at once.
  BOOST_REQUIRE(::mkfifo(path.c_str(), 0644) == 0);
  {
    CaptureCerr err;
    BOOST_TEST(!cached_reference(a.data(), 4, 3).hit);
    BOOST_TEST(err.text.str().find("not a regular file") != std::string::npos, err.text.str());
  }
  BOOST_TEST(std::filesystem::is_regular_file(std::filesystem::symlink_status(path)));
  BOOST_TEST(cached_reference(a.data(), 4, 3).hit);
  // A link to a valid entry elsewhere is not followed, and the rename replaces the link (the
  // file it pointed to is left as it was).
  const auto elsewhere = cache.dir / "elsewhere.json";
  std::filesystem::rename(path, elsewhere);
  const std::string before = [&] {
    std::ifstream in(elsewhere);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  std::filesystem::create_symlink(elsewhere, path);
  {
    CaptureCerr err;
    BOOST_TEST(!cached_reference(a.data(), 4, 3).hit);
    BOOST_TEST(err.text.str().find("symbolic link") != std::string::npos, err.text.str());
  }
  BOOST_TEST(!std::filesystem::is_symlink(std::filesystem::symlink_status(path)));
  std::ifstream in(elsewhere);
  BOOST_TEST(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()) ==
             before);
}

BOOST_AUTO_TEST_CASE(an_entry_larger_than_its_matrix_allows_is_not_read) {
  TempCache cache;
  const auto a = matrix();
  const auto path = cache.entry(a, 4, 3);
  const auto good = cached_reference(a.data(), 4, 3).ref;
  // Valid JSON padded with 1 MB of spaces: a 4 x 3 reference needs ~70 KB at most.
  std::string text = read_entry(path).dump();
  text.insert(1, std::string(1 << 20, ' '));
  std::ofstream(path, std::ios::trunc) << text;
  CaptureCerr err;
  BOOST_TEST(!cached_reference(a.data(), 4, 3).hit);
  BOOST_TEST(err.text.str().find("larger than") != std::string::npos, err.text.str());
}

BOOST_AUTO_TEST_CASE(genuine_references_pass_every_check) {
  // No false alarm on what compute_reference produces: a gap, a cluster (identity: no gap), a
  // rank-one matrix, zero, 1 x 1, wide, and entries near the ends of the double range.
  auto scaled = [](std::vector<double> a, double s) {
    for (auto& x : a) x *= s;
    return a;
  };
  struct Case {
    std::vector<double> a;
    int m, n;
  };
  std::vector<Case> cases = {{matrix(), 4, 3},
                             {{1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3},
                             {{1, 2, 3, 2, 4, 6}, 3, 2},
                             {{0, 0, 0, 0}, 2, 2},
                             {{-7}, 1, 1},
                             {matrix(), 3, 4},
                             {scaled(matrix(), 1e-300), 4, 3},
                             {scaled(matrix(), 1e300), 4, 3},
                             {{3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0}, 4, 3}};
  for (const auto& c : cases) {
    const Reference r = compute_reference(c.a.data(), c.m, c.n);
    BOOST_TEST(validate_reference(r, c.m, c.n) == "",
               r.method << " " << r.sigma1_text << ": " << validate_reference(r, c.m, c.n));
    BOOST_TEST(check_reference_against(r, c.a.data(), c.m, c.n) == "",
               r.method << ": " << check_reference_against(r, c.a.data(), c.m, c.n));
  }
  // The zero matrix's reference for a nonzero matrix with a zero first column: refused.
  const Reference zero = compute_reference(cases[3].a.data(), 2, 2);
  const std::vector<double> b = {0, 0, 0, 1};
  BOOST_TEST(check_reference_against(zero, b.data(), 2, 2) != "");
}

BOOST_AUTO_TEST_SUITE_END()
