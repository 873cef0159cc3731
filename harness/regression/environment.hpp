#pragma once
/// \file
/// What differs between the machines and builds of two runs (from their meta.json provenance),
/// and how each run measured its times: the first thing a compare report shows, since it decides
/// how to read everything below it.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace specbench::regression {

/// One line of the environment table: what, its value on either side.
struct EnvLine {
  std::string what, base, cur;
  bool timing_relevant;  ///< a difference makes timings incomparable (--timing auto)
  bool same() const { return base == cur; }
};

/// git commit, BLAS library and kernel, CPU, compiler, host, config and timing mode of a
/// baseline meta.json `b` and a current one `c`.
std::vector<EnvLine> environment(const nlohmann::json& b, const nlohmann::json& c);

/// How the run's times were measured: "serial-phase", "serial" or "contended".
std::string timing_mode(const nlohmann::json& meta);

}  // namespace specbench::regression
