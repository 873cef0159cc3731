// The reference cache (harness/reference_cache.hpp): keyed by contents, hits return identical
// references, damaged or foreign entries are recomputed, and `off` disables it.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/reference_cache.hpp"

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
