#pragma once
/// \file
/// `specbench compare`: regressions between two result sets (sweep directories, or Google
/// Benchmark JSON files). Accuracy is judged against the noise that a change of rounding order
/// (another BLAS kernel, compiler or CPU) can cause, derived below and in the README
/// ("Regression tracking: the tolerance rules"); timing with noise-aware statistics, and only
/// when both sides were timed alone on the same kind of machine.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "harness/statistics.hpp"

namespace specbench {

struct CompareOptions {
  double ulps = 4;     ///< every accuracy tolerance is at least this many ulps of the value
  bool exact = false;  ///< bit-for-bit: any change of an accuracy column fails
  /// auto: judge timings only if both sides ran on the same CPU model, core count and BLAS
  /// (library and kernel), else say why they are not judged; always; never.
  std::string timing = "auto";
  double p_value = 0.002;   ///< Mann-Whitney one-sided significance level
  int min_samples = 9;      ///< below this per side: non-overlapping 99% intervals instead
  double min_ratio = 0.10;  ///< a slowdown must exceed max(min_ratio, cv_factor * CV_base)
  double cv_factor = 3;
  double noise = 0.10;  ///< IQR / median above this on either side: INCONCLUSIVE, not REGRESSION
  /// Per estimator and precision: a median time ratio over its cells above 1 + this, with a
  /// sign test over the cells at p < sign_p_value, is a regression.
  double estimator_ratio = 0.20;
  double sign_p_value = 0.01;
  /// Sweeps: cells whose baseline median time is below this many seconds get no verdict of their
  /// own (they still count in the estimator and run rules): below ~1 ms a single preemption on a
  /// shared VM moves a cell by 2x (measured: README, "The scheduled regression job").
  double min_time = 1e-3;
  /// Sweeps: per-cell times are judged after dividing by the run's overall speed factor (the
  /// median over cells of the ratio of medians, with at least 10 cells), which absorbs machine
  /// drift between runs; a factor above 1 + global_ratio is itself a regression.
  double global_ratio = 0.5;
  std::string format = "text";  ///< text, markdown or json
};

/// Exit codes of `specbench compare` (2, a harness error, is an InvalidArgument thrown).
inline constexpr int kComparePass = 0, kCompareRegression = 1, kCompareInconclusive = 3;

/// Compares `current` against `baseline` (both sweep output directories, or both Google
/// Benchmark JSON files) and prints what differs between them and the verdict; returns
/// kComparePass, kCompareRegression or kCompareInconclusive. Unreadable or malformed inputs, a
/// run that is not complete, runs of different configs (or a baseline pool mixing configs)
/// throw InvalidArgument (exit 2): a harness error is never a regression.
int compare_results(const std::filesystem::path& baseline, const std::filesystem::path& current,
                    const CompareOptions& options, std::ostream& out);

/// The accuracy columns of one runs.csv row that the rounding-noise rules need.
struct AccuracyRow {
  bool f32 = false;
  long long m = 0, n = 0;
  double sigma = 0, sigma_ref = 0, sigma2_ref = 0;
  int cluster_size = 1;
  double rel_err = 0, u_cos_err = 0, v_cos_err = 0, residual = 0, normalized_norm = 0;
  long long matvecs = 0;
  /// False if the estimator did not keep its basis orthogonal (registry: loses_orthogonality)
  /// or is unknown to this specbench: its vectors get the wider noise level below.
  bool orthogonal = true;
};

/// Absolute tolerances of each accuracy column for a baseline row `a` and a current row `b` of
/// the same cell and checkpoint: the largest change that a different rounding order can cause
/// (at least `ulps` ulps of the value). Derivation (README, "the tolerance rules"):
///  - each product with A in unit roundoff u is the exact product with A + E,
///    ||E||_2 <= gamma_N ||A||_F <= gamma_N sqrt(r) sigma1, gamma_N = N u / (1 - N u),
///    N = max(m, n), r = min(m, n) (Higham, ASNA 2nd ed., Sec. 3.5); two runs: eta = 2 gamma_N
///    sqrt(r);
///  - the iterate's direction moves by theta <= eta * min(matvecs, sigma1 / (sigma1 - sigma2)):
///    each product's perturbation is carried at most undamped (linear growth), and damped by the
///    gap once the iteration has converged (Wedin's sin-theta theorem: ||E|| / (sigma1 - sigma2));
///  - sigma (Weyl, and the Rayleigh quotient's second-order sensitivity at angle phi from the top
///    singular vector): sigma1 (eta + 2 phi theta + theta^2), phi = sqrt(2 max cos_err);
///  - rel_err: that / sigma1; normalized_norm = sigma1 / sigma: nn^2 times that / sigma1;
///  - cosine errors c = 1 - cos(angle) (or sin^2 to a cluster's subspace): 2 sqrt(c) theta +
///    theta^2 (|dc/dangle| <= 2 sqrt(c));
///  - residual: 4 theta + 2 rel_err tolerance + the harness's own double-precision products;
///  - an estimator whose basis loses orthogonality (Lanczos without reorthogonalization): by
///    Paige's theorem (1976; Parlett, The Symmetric Eigenvalue Problem, Thm 13.4.1) the basis
///    stays orthogonal to a Ritz vector only until its residual drops to ~sqrt(eps1) ||A||, eps1
///    a small multiple of u, after which rounding decides the vectors: their angle noise is
///    sqrt(eta) times the same amplification (sigma keeps the stable rule: Ritz values stay
///    accurate).
struct AccuracyTolerance {
  double sigma, rel_err, u_cos_err, v_cos_err, residual, normalized_norm;
  double eta;    ///< relative perturbation of A the two rounding orders may differ by
  double theta;  ///< angle the singular-vector estimates may differ by
};
AccuracyTolerance accuracy_tolerance(const AccuracyRow& a, const AccuracyRow& b, double ulps);

}  // namespace specbench
