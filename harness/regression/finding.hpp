#pragma once
/// \file
/// What `specbench compare` reports: one finding per line of the report (a cell's column beyond
/// its tolerance, a timing group, a missing cell), the verdict they add up to, and the number
/// formats every report shares.

#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace specbench::regression {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct Finding {
  std::string kind;      ///< REGRESSION, IMPROVEMENT, CHANGED, INCONCLUSIVE, MISSING, INFO
  std::string category;  ///< accuracy, status, reference, cells, timing, benchmark
  std::string subject;   ///< what (a cell, a timing group, a benchmark)
  std::string cell;      ///< the cell key (sweeps), else empty
  std::string column;    ///< the column judged, else empty
  std::string detail;    ///< numbers and the rule, in words
  std::string rerun;     ///< the command that re-runs it
  nlohmann::json numbers = nlohmann::json::object();  ///< baseline, current, ratio, tolerance...
};

/// Whether a finding of this kind fails the comparison (REGRESSION, MISSING, CHANGED).
bool fails(const std::string& kind);

/// kCompareRegression if a finding fails, else kCompareInconclusive if one is INCONCLUSIVE, else
/// kComparePass.
int verdict_of(const std::vector<Finding>& findings);

/// Four significant digits.
std::string fmt(double x);

/// "a -> b" with enough digits to tell them apart (up to 17).
std::string fmt_pair(double a, double b);

/// JSON number, or null when not finite (JSON has no inf/nan).
nlohmann::json jnum(double x);

}  // namespace specbench::regression
