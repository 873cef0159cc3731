#include "harness/regression/finding.hpp"

#include <cmath>
#include <sstream>

#include "harness/regression/compare.hpp"

namespace specbench::regression {

bool fails(const std::string& kind) {
  return kind == "REGRESSION" || kind == "MISSING" || kind == "CHANGED";
}

int verdict_of(const std::vector<Finding>& findings) {
  bool regression = false, inconclusive = false;
  for (const auto& f : findings) {
    regression = regression || fails(f.kind);
    inconclusive = inconclusive || f.kind == "INCONCLUSIVE";
  }
  return regression ? kCompareRegression : inconclusive ? kCompareInconclusive : kComparePass;
}

std::string fmt(double x) {
  std::ostringstream out;
  out.precision(4);
  out << x;
  return out.str();
}

std::string fmt_pair(double a, double b) {
  std::ostringstream x, y;
  for (int digits = 4; digits <= 17; ++digits) {
    x.str("");
    y.str("");
    x.precision(digits);
    y.precision(digits);
    x << a;
    y << b;
    if (x.str() != y.str() || a == b) break;
  }
  return x.str() + " -> " + y.str();
}

nlohmann::json jnum(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

}  // namespace specbench::regression
