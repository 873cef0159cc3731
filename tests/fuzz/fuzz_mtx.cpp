// Fuzz target: the Matrix Market readers (harness/workloads/mtx.hpp), dense and CSR, on
// arbitrary bytes.
#include "fuzz_input.hpp"
#include "harness/workloads/mtx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = specbench::fuzz::input_file("input.mtx", data, size);
  specbench::fuzz::expect_clean([&] { (void)specbench::read_matrix_market(path.string()); });
  // the CSR reader of files beyond the dense limit, on the same bytes
  specbench::fuzz::expect_clean([&] { (void)specbench::read_matrix_market_sparse(path.string()); });
  return 0;
}
