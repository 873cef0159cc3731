// Fuzz target: the matrix and estimator spec parsers (`FAMILY:key=value,...`, `NAME:k=v,...`)
// and the matrix a valid matrix spec describes, if it is small. The input's first line is the
// matrix spec, the second the estimator spec.
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/workloads/matrices.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto nl = text.find('\n');
  const std::string_view matrix = std::string_view(text).substr(0, nl);
  const std::string_view estimator =
      nl == std::string::npos ? std::string_view() : std::string_view(text).substr(nl + 1);
  specbench::fuzz::expect_clean([&] {
    const auto spec = specbench::parse_matrix_spec(matrix);
    // Generate only what is cheap: a fuzzer must not spend its time on big (valid) matrices.
    if (spec.family != "mtx" && spec.params.has("m") && spec.params.has("n") &&
        double(spec.params.get_int("m")) * double(spec.params.get_int("n")) <= 4096)
      (void)specbench::make_matrix(spec);
  });
  specbench::fuzz::expect_clean([&] { (void)specbench::parse_estimator_spec(estimator); });
  specbench::fuzz::expect_clean(
      [&] { (void)specbench::parse_named_spec(estimator, "--estimator"); });
  return 0;
}
