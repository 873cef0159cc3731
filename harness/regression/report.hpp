#pragma once
/// \file
/// The report of `specbench compare`, in text, Markdown or JSON: what differs between the two
/// sides, the rules applied, one line per finding, and the verdict with its counts.

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "harness/regression/environment.hpp"
#include "harness/regression/finding.hpp"

namespace specbench::regression {

struct Report {
  std::vector<Finding> findings;
  std::vector<EnvLine> env;  ///< empty for benchmark files
  /// baseline, current (described), and for sweeps accuracy_rule, timing_rule, timing_judged
  /// and speed_factor.
  nlohmann::json header;
  std::string summary;  ///< what was compared, in words
  int code = 0;         ///< kComparePass, kCompareRegression or kCompareInconclusive
};

/// Prints `report` as `format` (text, markdown or json).
void print_report(const Report& report, const std::string& format, std::ostream& out);

}  // namespace specbench::regression
