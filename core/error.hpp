#pragma once
/// \file
/// The project's single error type for invalid arguments (bad input), and the check macro that
/// throws it. Numerical outcomes (no convergence, breakdown) are data in the result structs, never
/// exceptions; only arguments that make a computation meaningless throw, and they throw before any
/// allocation or work (RandLAPACK's randlapack_require, Ginkgo's GKO_ASSERT_*).

#include <sstream>
#include <stdexcept>
#include <string>

namespace specbench {

/// Bad input: an unknown name, a malformed spec, an impossible size, a NaN in a matrix file.
/// The command line maps it to exit code 2; every other exception means a failure (exit code 1).
class InvalidArgument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

namespace detail {
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

/// Throws InvalidArgument with the concatenated message parts unless `condition` holds.
#define SPECBENCH_REQUIRE(condition, ...)                                           \
  do {                                                                              \
    if (!(condition))                                                               \
      throw ::specbench::InvalidArgument(::specbench::detail::concat(__VA_ARGS__)); \
  } while (false)

}  // namespace specbench
