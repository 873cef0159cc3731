#pragma once
/// \file
/// Accuracy metrics, computed by the harness from an estimator's output and the reference
/// (BenchOpt's Objective scores solvers; solvers never score themselves). All in double, on the
/// exact matrix the estimator saw (for float runs: the float matrix, converted exactly).

#include <span>

#include "algorithms/dense.hpp"
#include "algorithms/sparse.hpp"
#include "reference/reference.hpp"

namespace specbench {

struct Metrics {
  double rel_err = 0;  ///< |sigma_hat - sigma1| / sigma1   (absolute if sigma1 = 0)
  double u_cos_err =
      0;  ///< 1 - |<u_hat, u1>|; sin^2 to the cluster's subspace if sigma1 is repeated
  double v_cos_err = 0;        ///< 1 - |<v_hat, v1>|; likewise
  double residual = 0;         ///< sqrt(||A v - s u||^2 + ||A^T u - s v||^2) / sigma1
  double normalized_norm = 0;  ///< sigma1 / sigma_hat: ||A / sigma_hat||_2
};

/// Scores (sigma_hat, u_hat, v_hat) against `ref` on the double matrix `a`.
///
/// Conventions for the zero matrix (sigma1 = 0): rel_err and residual are absolute, the cosine
/// errors are 0 (every unit vector is a singular vector), normalized_norm is 1 if sigma_hat = 0.
/// The cosine errors are evaluated as ||a - s b||^2 / 2 with a, b normalized in double and
/// s = sign(<a, b>): equal to 1 - |<a, b>| in exact arithmetic, but free of the cancellation that
/// makes 1 - |cos| useless below 1e-16 and never negative.
template <class T>
Metrics compute_metrics(const DenseMatrix<double>& a, const Reference& ref, double sigma_hat,
                        std::span<const T> u, std::span<const T> v);

/// The same on a CSR matrix (the sparse families, never densified).
template <class T>
Metrics compute_metrics(const CsrMatrix<double>& a, const Reference& ref, double sigma_hat,
                        std::span<const T> u, std::span<const T> v);

}  // namespace specbench
