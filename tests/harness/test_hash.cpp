// The hash behind every key is pinned: SHA-256 against the FIPS 180-4 examples, and one cell key,
// one config hash and one reference cache key against values computed independently (Python's
// hashlib on the documented key text). A library or key-format change fails here instead of
// silently changing every key (and thereby orphaning every cache entry and baseline).

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "harness/hash.hpp"
#include "harness/reference_cache.hpp"
#include "harness/sweep/sweep.hpp"

namespace fs = std::filesystem;
using namespace specbench;

BOOST_AUTO_TEST_SUITE(hash)

BOOST_AUTO_TEST_CASE(sha256_fips_180_4_examples) {
  BOOST_TEST(sha256_hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Incremental updates give the same digest as one.
  Sha256 h;
  h.update("abcdbcdecdefdefgefghfghighij");
  h.update("hijkijkljklmklmnlmnomnopnopq");
  BOOST_TEST(h.hex() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// Cell key = the first 16 hex digits of SHA-256 of
// "MATRIX|CONTENT|PRECISION|ESTIMATOR|PARAMS|CHECKPOINTS,|SEED|DRIFT_STEPS,ETA,DRIFT_SEED",
// CONTENT = "gen-N" (kGeneratorVersion) for a generated matrix, "sha256:HEX" of a file's bytes.
// Expected values: python3 -c 'import hashlib; print(hashlib.sha256(b"...").hexdigest())'.
BOOST_AUTO_TEST_CASE(cell_key_and_config_hash_are_pinned) {
  const fs::path dir = fs::temp_directory_path() / ("specbench_hash_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string text =
      "[[block]]\nmatrices = [\"gaussian:m=20,n=10,seed=1\"]\n"
      "iterations = [2, 5]\n[[block.estimators]]\nname = \"power\"\n";
  std::ofstream(dir / "pin.toml") << text;
  const SweepPlan plan = load_sweep(dir / "pin.toml");
  BOOST_TEST_REQUIRE(plan.runs.size() == 1u);
  // sha256(b"gaussian:m=20,n=10,seed=1|gen-1|f64|power|iters=100,tol=0,warm=false|2,5,|0|0,0,0")
  BOOST_TEST(plan.runs[0].cell == "6bd3492f964abf3e");
  // A file matrix is keyed by its bytes: the same path with other contents is another cell.
  std::ofstream(dir / "a.mtx") << "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 2\n";
  std::ofstream(dir / "file.toml") << "[[block]]\nmatrices = [\"a.mtx\"]\n"
                                      "[[block.estimators]]\nname = \"power\"\n";
  const std::string before = load_sweep(dir / "file.toml").runs.at(0).cell;
  std::ofstream(dir / "a.mtx") << "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 3\n";
  const std::string after = load_sweep(dir / "file.toml").runs.at(0).cell;
  BOOST_TEST(before != after);
  std::ofstream(dir / "a.mtx") << "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 2\n";
  BOOST_TEST(load_sweep(dir / "file.toml").runs.at(0).cell == before);
  // config_hash: SHA-256 of the config as toml++ re-serializes it (layout, comments and
  // [sweep] output excluded), pinned to this value: a toml++ that serializes differently fails
  // here instead of orphaning every baseline.
  BOOST_TEST(plan.config_hash ==
             "e4c26024c474be6bdd861ebafd97909d4620b285ced088fd633a6d123125d2f9");
  // Comments, layout and [sweep] output do not change it; a setting does.
  std::ofstream(dir / "a.toml") << "[sweep]\nseeds = 1\n" << text;
  std::ofstream(dir / "b.toml") << "# a comment\n[sweep]\noutput = \"x\"\nseeds   = 1  # one\n"
                                << text;
  std::ofstream(dir / "c.toml") << "[sweep]\nseeds = 2\n" << text;
  const auto a = load_sweep(dir / "a.toml"), b = load_sweep(dir / "b.toml"),
             c = load_sweep(dir / "c.toml");
  fs::remove_all(dir);
  BOOST_TEST(a.config_hash == b.config_hash);
  BOOST_TEST(a.config_hash != c.config_hash);
}

// Cache key = SHA-256 of "specbench-reference-5|MxN|" followed by the column-major doubles'
// little-endian bytes: python3 -c 'import hashlib,struct; print(hashlib.sha256(
// b"specbench-reference-5|2x2|" + struct.pack("<4d", 1, 2, 3, 4.5)).hexdigest())'.
BOOST_AUTO_TEST_CASE(reference_cache_key_is_pinned) {
  const double a[4] = {1, 2, 3, 4.5};
  BOOST_TEST(reference_cache_key(a, 2, 2) ==
             "e898ccfa1486d518fab81cfc18748245f062c3be019acdaaf9d710aba773915e");
}

BOOST_AUTO_TEST_SUITE_END()
