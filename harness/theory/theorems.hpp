#pragma once
/// \file
/// The published convergence results that `specbench check` reproduces, one function each: it
/// runs the trials and returns the measured quantity against its bound (check.hpp: CheckResult).
/// Matrix specs are as `specbench estimate --matrix` takes them (config-relative paths resolved).

#include <string>
#include <vector>

#include "harness/theory/check.hpp"

namespace specbench::theory {

/// Trefethen & Bau, Thm 27.1: the power method's Rayleigh quotient error per trial and checkpoint.
CheckResult power_rate(const std::string& spec_text, int seeds, const std::vector<int>& ks,
                       const std::string& estimator);

/// Kaniel-Paige-Saad: the Lanczos Ritz value after k steps, per trial.
CheckResult lanczos_kps(const std::string& spec_text, int seeds, const std::vector<int>& ks,
                        const std::string& estimator);

/// Kuczynski & Wozniakowski (1992): the mean relative error of Lanczos from a random start.
CheckResult kuczynski(const std::string& spectrum, long long n, int k, int trials,
                      const std::string& estimator);

/// Halko, Martinsson & Tropp (2011), Lemma 4.1, with its constant `factor` (10 in the paper).
CheckResult hmt(const std::string& spec_text, int r_vectors, int trials, double factor);

/// Certified references contain closed-form exact values (shifted by `shift`, for tests).
CheckResult reference_containment(const std::vector<long long>& sizes, double shift);

}  // namespace specbench::theory
