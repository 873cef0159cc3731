#pragma once
/// \file
/// The rounding-noise tolerances of `specbench compare`: how far each accuracy column of a row
/// may move when only the rounding order changes (another BLAS kernel, compiler or CPU). The
/// derivation is below and in the README ("Regression tracking: the tolerance rules").

namespace specbench {

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
