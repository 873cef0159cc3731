// Fuzz target: the reference cache reader (harness/reference_cache.hpp). The input is written as
// the cache entry of a fixed 3 x 2 matrix in a private cache folder, then the reference of that
// matrix is asked for: a damaged or forged entry must be detected (recomputed, with a warning)
// or refused cleanly, never crash; and whatever it returns must be TRUE: the certified interval
// [sigma1 - bound, sigma1 + bound] it returns must meet the one computed from the matrix, or the
// target aborts (a forged entry that was accepted). The seeds forged_*.json change one field with
// the checksum recomputed (tests/fuzz/make_cache_seeds.py), so only the field checks and the
// invariants against the matrix stand between them and a hit.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "fuzz_input.hpp"
#include "harness/reference_cache.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const double a[6] = {3, 1, 2, -1, 4, 0.5};  // column-major 3 x 2
  static const std::filesystem::path dir = [] {
    const auto d = specbench::fuzz::input_file("cache-marker", nullptr, 0).parent_path() / "cache";
    std::filesystem::create_directories(d);
    ::setenv("SPECBENCH_CACHE_DIR", d.c_str(), 1);
    return d;
  }();
  const auto entry = dir / (specbench::reference_cache_key(a, 3, 2) + ".json");
  std::ofstream(entry, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), std::streamsize(size));
  static const specbench::Reference truth = specbench::compute_reference(a, 3, 2);
  specbench::fuzz::expect_clean([&] {
    const auto got = specbench::cached_reference(a, 3, 2).ref;
    if (!(std::abs(got.sigma1 - truth.sigma1) <= got.bound + truth.bound)) {
      std::fprintf(stderr,
                   "fuzz_cache: a cache entry was trusted into sigma1 = %.17g (bound %g); "
                   "the matrix's is %.17g\n",
                   got.sigma1, got.bound, truth.sigma1);
      std::abort();
    }
  });
  return 0;
}
