// Fuzz target: the reference cache reader (harness/reference_cache.hpp). The input is written as
// the cache entry of a fixed 3 x 2 matrix in a private cache folder, then the reference of that
// matrix is asked for: a damaged or forged entry must be detected (recomputed, with a warning)
// or refused cleanly, never crash or be trusted blindly into a wrong answer by a crash path.
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
  specbench::fuzz::expect_clean([&] { (void)specbench::cached_reference(a, 3, 2); });
  return 0;
}
