// Fuzz target: the strict readers of a result folder: runs.csv (harness/results/columns.hpp)
// and summary.csv (harness/regression/summary_file.hpp), on the same bytes.
#include "fuzz_input.hpp"
#include "harness/regression/summary_file.hpp"
#include "harness/results/columns.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto runs = specbench::fuzz::input_file("runs.csv", data, size);
  specbench::fuzz::expect_clean([&] { (void)specbench::read_runs(runs); });
  const auto summary = specbench::fuzz::input_file("summary.csv", data, size);
  specbench::fuzz::expect_clean([&] { (void)specbench::regression::read_summary(summary); });
  return 0;
}
