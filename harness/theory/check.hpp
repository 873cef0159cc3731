#pragma once
/// \file
/// `specbench check`: published convergence results, reproduced trial by trial
/// (configs/theory.toml). Each check reports the measured quantity against its bound and PASS or
/// FAIL.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace specbench {

struct CheckResult {
  std::string name;     ///< e.g. "power-rate"
  std::string subject;  ///< what was checked (matrix, parameters)
  std::size_t trials = 0;
  double worst = 0;    ///< the worst measured / bound over trials (<= 1 passes), or a statistic
  std::string detail;  ///< measured and bound in words
  bool pass = false;
};

/// Which implementation each check exercises; tests substitute broken ones to see FAIL.
struct CheckTargets {
  std::string power = "power";      ///< estimator for the power-rate check
  std::string lanczos = "lanczos";  ///< estimator for the Kaniel-Paige-Saad and KW checks
  double hmt_factor = 10;           ///< HMT Lemma 4.1's constant (10 in the paper)
  double reference_shift = 0;       ///< added to the closed forms (tests: breaks containment)
};

/// Runs every check of the config, printing one line per check to `out`.
std::vector<CheckResult> run_checks(const std::filesystem::path& config, std::ostream& out,
                                    const CheckTargets& targets = {});

}  // namespace specbench
