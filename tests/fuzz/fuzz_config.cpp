// Fuzz target: the TOML sweep config loader (harness/sweep/sweep.hpp) on arbitrary bytes: the
// schema, every key's type and range, the plan it builds (no estimator runs).
#include <cstdlib>

#include "fuzz_input.hpp"
#include "harness/sweep/sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ::setenv("SPECBENCH_EXTERNAL", "off", 1);  // a fuzzed `command = [...]` never runs
  const auto path = specbench::fuzz::input_file("config.toml", data, size);
  specbench::fuzz::expect_clean([&] { (void)specbench::load_sweep(path); });
  return 0;
}
