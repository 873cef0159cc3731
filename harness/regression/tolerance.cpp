#include "harness/regression/tolerance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace specbench {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// How much the two rounding orders may perturb A, the iterate's direction and sigma.
struct Perturbation {
  double eta;            ///< relative perturbation of A
  double theta;          ///< angle of the iterate (an estimator that keeps its basis orthogonal)
  double theta_vectors;  ///< angle of the reported vectors (wider if orthogonality is lost)
  double sigma1;         ///< the scale: |sigma_ref|, at least the smallest normal double
  double sigma_noise;    ///< absolute noise of sigma
};

Perturbation perturbation(const AccuracyRow& a, const AccuracyRow& b) {
  // Unit roundoff of the working precision (2^-24, 2^-53).
  const double u = a.f32 ? 0x1p-24 : 0x1p-53;
  const double big_n = double(std::max(a.m, a.n)),
               r = double(std::max<long long>(1, std::min(a.m, a.n)));
  // gamma_N = N u / (1 - N u) bounds the relative rounding error of a length-N dot product
  // (Higham, ASNA, Lemma 3.1); past N u = 1/2 nothing is resolvable.
  const double gamma = big_n * u < 0.5 ? big_n * u / (1 - big_n * u) : kInf;
  // Both runs' products are exact for A + E, ||E||_2 <= ||E||_F <= gamma_N || |A| ||_F =
  // gamma_N ||A||_F <= gamma_N sqrt(r) ||A||_2; the two runs differ by at most twice that.
  const double eta = 2 * gamma * std::sqrt(r);
  // The direction of the iterate: every product adds a perturbation of relative size <= eta;
  // before convergence they add up at most linearly in the products, after it they are damped
  // by the gap (Wedin: a perturbation E of A moves the top singular vectors by an angle of at
  // most ||E|| / (sigma1 - sigma2)). A cluster (cluster_size > 1) has no usable gap here.
  const double products = double(std::max<long long>({1, a.matvecs, b.matvecs}));
  double amplification = products;
  const double g = a.sigma_ref > 0 ? a.sigma2_ref / a.sigma_ref : 0;
  if (a.cluster_size <= 1 && b.cluster_size <= 1 && g < 1)
    amplification = std::min(products, 1 / (1 - g));
  const double theta = eta * amplification;
  // The vectors of an estimator that loses orthogonality (see the header): sqrt(eta) instead.
  const double theta_vectors =
      a.orthogonal && b.orthogonal ? theta : std::max(theta, std::sqrt(eta) * amplification);
  const double sigma1 = std::max(std::abs(a.sigma_ref), std::numeric_limits<double>::min());
  // phi ~ sqrt(2 c): the angle of the iterate from the top singular vectors, from its cosine
  // errors (the true angle acos(1 - c), or asin(sqrt(c)) for a cluster, is at most 1.11 sqrt(2 c)
  // for c in [0, 1]; the factor 2 below covers that).
  // (fmax: a NaN column must not shrink the tolerance.)
  const double c_max = std::fmax(
      std::fmax(std::fmax(a.u_cos_err, a.v_cos_err), std::fmax(b.u_cos_err, b.v_cos_err)), 0.0);
  const double phi = std::sqrt(2 * std::min(c_max, 1.0));
  // sigma = ||A x|| (or u^T A v) for unit x at angle phi from v1: Weyl (eta sigma1) for the
  // perturbed matrix, plus the quotient's sensitivity to the direction. ||A x|| is Lipschitz in
  // the angle with constant sigma1, and stationary at v1: |d sigma| <= sigma1 (phi dphi +
  // dphi^2) to second order; 2 phi theta + theta^2 covers both (phi <= 1.11 sqrt(2 c)), and
  // theta alone once phi >= 1/2.
  const double sigma_noise = sigma1 * (eta + 2 * phi * theta + theta * theta);
  return {eta, theta, theta_vectors, sigma1, sigma_noise};
}

}  // namespace

AccuracyTolerance accuracy_tolerance(const AccuracyRow& a, const AccuracyRow& b, double ulps) {
  const Perturbation p = perturbation(a, b);
  // Machine epsilon (one ulp of 1) of the working precision.
  const double eps = a.f32 ? 0x1p-23 : 0x1p-52;
  auto ulp_floor = [&](double x, double y) {
    return ulps * eps * std::max(std::abs(x), std::abs(y));
  };
  AccuracyTolerance t{};
  t.eta = p.eta;
  t.theta = p.theta_vectors;
  t.sigma = std::max(ulp_floor(a.sigma, b.sigma), p.sigma_noise);
  t.rel_err = std::max(ulp_floor(a.rel_err, b.rel_err), p.sigma_noise / p.sigma1);
  // normalized_norm = sigma1 / sigma: d nn = nn^2 d sigma / sigma1.
  const double nn = std::max(std::abs(a.normalized_norm), std::abs(b.normalized_norm));
  t.normalized_norm =
      std::max(ulp_floor(a.normalized_norm, b.normalized_norm), nn * nn * p.sigma_noise / p.sigma1);
  // Cosine errors: c = 1 - cos(psi) (or sin^2(psi) to a cluster's subspace); |dc/dpsi| <=
  // 2 sqrt(c) for both, so a change of the angle by theta moves c by <= 2 sqrt(c) theta + theta^2.
  auto cosine = [&](double x, double y) {
    const double c = std::fmax(std::fmax(x, y), 0.0);
    return std::max(ulp_floor(x, y),
                    2 * std::sqrt(c) * p.theta_vectors + p.theta_vectors * p.theta_vectors);
  };
  t.u_cos_err = cosine(a.u_cos_err, b.u_cos_err);
  t.v_cos_err = cosine(a.v_cos_err, b.v_cos_err);
  // residual = sqrt(||A v - s u||^2 + ||A^T u - s v||^2) / sigma1: moving u, v by theta and s by
  // d sigma changes each norm by <= (sigma1 + s) theta + d sigma; plus the harness's own double
  // products (relative error <= gamma_N(double) sqrt(r) each, two of them).
  const double big_n = double(std::max(a.m, a.n)),
               r = double(std::max<long long>(1, std::min(a.m, a.n)));
  const double gamma64 = big_n * 0x1p-53 / (1 - big_n * 0x1p-53);
  t.residual =
      std::max(ulp_floor(a.residual, b.residual),
               4 * p.theta_vectors + 2 * p.sigma_noise / p.sigma1 + 4 * gamma64 * std::sqrt(r));
  return t;
}

}  // namespace specbench
