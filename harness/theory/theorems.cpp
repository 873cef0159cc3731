#include "harness/theory/theorems.hpp"

#include <lapacke.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

#include "algorithms/registry.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/statistics.hpp"
#include "harness/workloads/matrices.hpp"
#include "reference/certify.hpp"

namespace specbench::theory {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

/// All singular values of a dense matrix, decreasing (LAPACK dgesdd, values only).
std::vector<double> all_singular_values(const DenseMatrix<double>& a) {
  std::vector<double> work(a.values().begin(), a.values().end());
  std::vector<double> s(std::size_t(std::min(a.rows(), a.cols())));
  double dummy = 0;
  const lapack_int info =
      LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', lapack_int(a.rows()), lapack_int(a.cols()), work.data(),
                     lapack_int(a.rows()), s.data(), &dummy, 1, &dummy, 1);
  SPECBENCH_REQUIRE(info == 0, "dgesdd failed with info = ", info);
  return s;
}

/// tan^2 of the angle between the start vector the estimator draws first from Rng(seed) (its
/// registry start-vector contract) and v1.
double start_tan2(const EstimatorInfo& info, std::uint64_t seed, const std::vector<double>& v1) {
  SPECBENCH_REQUIRE(bool(info.first_start), "check: estimator '", info.name,
                    "' declares no start-vector contract (EstimatorInfo::first_start), which "
                    "this theory check needs");
  const std::vector<double> v0 = info.first_start(seed, Index(v1.size()));
  double dot = 0, norm = 0;
  for (std::size_t i = 0; i < v0.size(); ++i) {
    dot += v0[i] * v1[i];
    norm += v0[i] * v0[i];
  }
  const double c2 = dot * dot / norm;
  return (1 - c2) / c2;
}

std::string fmt(double x) {
  std::ostringstream out;
  out << std::setprecision(3) << x;
  return out.str();
}

}  // namespace

// ---- power: Trefethen & Bau, Thm 27.1, for B = A^T A, per trial ----
// With v_k = B^k v0 / ||.||, (lambda1 - rho(v_k)) / lambda1 <= tan^2(theta0) (lambda2/lambda1)^(2k)
// = tan^2(theta0) (sigma2/sigma1)^(4k), and >= 0. rho = ||A v_k||^2 is computed in double: its
// rounding (about n eps lambda1, Higham Sec. 3.5) is allowed on top of the bound.
CheckResult power_rate(const std::string& spec_text, int seeds, const std::vector<int>& ks,
                       const std::string& estimator) {
  CheckResult r{.name = "power-rate",
                .subject = spec_text + " [" + estimator.substr(0, estimator.find(':')) + "]"};
  const MatrixSpec spec = parse_matrix_spec(spec_text);
  const Problem p = make_problem(spec, make_matrix(spec, "check"), Precision::F64);
  const double s1 = p.ref.sigma1, ratio = p.ref.sigma2 / s1, lambda1 = s1 * s1;
  const auto choice = parse_estimator_spec(estimator);
  const double rounding = 8 * double(std::max(p.a64.rows(), p.a64.cols())) * kEps;
  const DenseOperator<double> op(p.a64);
  bool ok = true;
  for (int seed = 0; seed < seeds; ++seed) {
    const double tan2 = start_tan2(*choice.info, std::uint64_t(seed), p.ref.v1);
    const auto rows = run_estimator(p, choice, std::uint64_t(seed), ks, true).rows;
    for (const auto& row : rows) {
      std::vector<double> av(static_cast<std::size_t>(p.a64.rows()));
      op.apply(row.v, av);
      double rho = 0, vv = 0;
      for (double x : av) rho += x * x;
      for (double x : row.v) vv += x * x;
      const double err = (lambda1 - rho / vv) / lambda1;
      const double bound = tan2 * std::pow(ratio, 4.0 * double(row.iterations));
      ++r.trials;
      ok = ok && err >= -rounding && err <= bound + rounding;
      r.worst = std::max(r.worst, err / (bound + rounding));
    }
  }
  r.pass = ok;
  r.detail = "(lambda1 - rho)/lambda1 vs tan^2(theta0) (sigma2/sigma1)^(4k), sigma2/sigma1 = " +
             fmt(ratio) + "; worst measured/bound " + fmt(r.worst);
  return r;
}

namespace {

/// T_j(x) for x >= 1.
double chebyshev(int j, double x) {
  return std::cosh(double(j) * std::acosh(x));
}

}  // namespace

// ---- Lanczos: Kaniel-Paige-Saad (Saad, Numerical Methods for Large Eigenvalue Problems, Thm
// 6.4; Golub & Van Loan Thm 10.1.2) for B = A^T A after k steps, per trial ----
CheckResult lanczos_kps(const std::string& spec_text, int seeds, const std::vector<int>& ks,
                        const std::string& estimator) {
  CheckResult r{.name = "lanczos-kps",
                .subject = spec_text + " [" + estimator.substr(0, estimator.find(':')) + "]"};
  const MatrixSpec spec = parse_matrix_spec(spec_text);
  const Problem p = make_problem(spec, make_matrix(spec, "check"), Precision::F64);
  const auto s = all_singular_values(p.a64);
  const double l1 = p.ref.sigma1 * p.ref.sigma1, l2 = s[1] * s[1];
  const double ln = p.a64.cols() > p.a64.rows() ? 0.0 : s.back() * s.back();
  const double gamma = (l1 - l2) / (l2 - ln);
  const double rounding = 8 * double(std::max(p.a64.rows(), p.a64.cols())) * kEps * l1;
  const auto choice = parse_estimator_spec(estimator);
  bool ok = true;
  for (int seed = 0; seed < seeds; ++seed) {
    const double tan2 = start_tan2(*choice.info, std::uint64_t(seed), p.ref.v1);
    for (const auto& row : run_estimator(p, choice, std::uint64_t(seed), ks).rows) {
      const double theta = row.sigma * row.sigma;
      const double t = chebyshev(int(row.iterations) - 1, 1 + 2 * gamma);
      const double bound = (l1 - ln) * tan2 / (t * t);
      ++r.trials;
      ok = ok && l1 - theta <= bound + rounding && theta <= l1 + rounding;
      r.worst = std::max(r.worst, (l1 - theta) / (bound + rounding));
    }
  }
  r.pass = ok;
  r.detail =
      "lambda1 - theta1 vs (lambda1 - lambdan) tan^2(theta0) / T_{k-1}(1 + 2 gamma)^2, "
      "gamma = " +
      fmt(gamma) + "; worst measured/bound " + fmt(r.worst);
  return r;
}

namespace {

/// diag(d) as an operator: O(n) products for the large KW trials.
class DiagonalOperator final : public Operator<double> {
 public:
  explicit DiagonalOperator(std::vector<double> d) : d_(std::move(d)) {}
  Index rows() const override { return Index(d_.size()); }
  Index cols() const override { return Index(d_.size()); }
  void apply(std::span<const double> x, std::span<double> y) const override {
    for (std::size_t i = 0; i < d_.size(); ++i) y[i] = d_[i] * x[i];
  }
  void apply_transpose(std::span<const double> x, std::span<double> y) const override {
    apply(x, y);
  }

 private:
  std::vector<double> d_;
};

}  // namespace

// ---- Kuczynski & Wozniakowski (1992): the mean relative error of the Lanczos Ritz value of a
// PSD matrix after k steps from a uniformly random start is at most 0.103 ln^2(n (k-1)^4) /
// (k-1)^2 (n >= 8). Here B = A^T A with A = diag(sqrt(lambda)) (the error distribution does not
// depend on the singular vectors). PASS if the upper 99% confidence limit of the sample mean
// (Student t) is below the bound. ----
CheckResult kuczynski(const std::string& spectrum, long long n, int k, int trials,
                      const std::string& estimator) {
  CheckResult r{.name = "kuczynski-wozniakowski",
                .subject = spectrum + " spectrum, n = " + std::to_string(n) +
                           ", k = " + std::to_string(k) + " [" + estimator + "]"};
  std::vector<double> lambda(static_cast<std::size_t>(n));
  for (long long j = 0; j < n; ++j) {
    // uniform: lambda_j = (n - j) / n, evenly spread in (0, 1]; two-level: two clusters, the
    // upper half evenly in [0.9, 1], the lower half evenly in [0, 0.1].
    const double x = double(n - j) / double(n);  // in (0, 1]
    lambda[std::size_t(j)] = spectrum == "uniform" ? x : x > 0.5 ? 0.8 + 0.2 * x : 0.2 * x;
  }
  std::vector<double> d(lambda.size());
  for (std::size_t j = 0; j < d.size(); ++j) d[j] = std::sqrt(lambda[j]);
  const DiagonalOperator op(d);
  const auto choice = parse_estimator_spec(estimator);
  const EstimatorInfo& info = *choice.info;
  SPECBENCH_REQUIRE(!info.iteration_param.empty(), "check: estimator '", info.name,
                    "' has no iteration parameter");
  auto params = choice.params;
  params.set(info.iteration_param, static_cast<long long>(k));  // k steps, whatever it is called
  double sum = 0, sum2 = 0;
  for (int t = 0; t < trials; ++t) {
    Rng rng{std::uint64_t(t)};
    const auto res = info.run<double>()(op, params, rng, {});
    const double e = (1 - double(res.sigma) * double(res.sigma)) / 1.0;
    sum += e;
    sum2 += e * e;
  }
  const double mean = sum / trials;
  const double sd = std::sqrt(std::max(0.0, (sum2 - trials * mean * mean) / (trials - 1)));
  const boost::math::students_t dist(trials - 1);
  const double ucl = mean + boost::math::quantile(dist, 0.99) * sd / std::sqrt(double(trials));
  const double lk = std::log(double(n) * std::pow(double(k - 1), 4));
  const double bound = 0.103 * lk * lk / double((k - 1) * (k - 1));
  r.trials = std::size_t(trials);
  r.worst = ucl / bound;
  r.pass = ucl <= bound;
  r.detail = "mean relative error " + fmt(mean) + ", upper 99% limit " + fmt(ucl) + " vs bound " +
             fmt(bound);
  return r;
}

// ---- Halko, Martinsson & Tropp (2011), Lemma 4.1: ||A|| <= 10 sqrt(2/pi) max_i ||A w_i|| for r
// standard Gaussian w_i, except with probability at most 10^-r. FAIL if the data contradict the
// claim: the 95% Clopper-Pearson lower limit of the failure rate exceeds 10^-r. ----
CheckResult hmt(const std::string& spec_text, int r_vectors, int trials, double factor) {
  CheckResult r{.name = "hmt-lemma-4.1",
                .subject = spec_text + ", r = " + std::to_string(r_vectors) +
                           (factor != 10 ? " [constant " + fmt(factor) + "]" : "")};
  const MatrixSpec spec = parse_matrix_spec(spec_text);
  const Problem p = make_problem(spec, make_matrix(spec, "check"), Precision::F64);
  const DenseOperator<double> op(p.a64);
  std::vector<double> w(static_cast<std::size_t>(p.a64.cols())),
      aw(static_cast<std::size_t>(p.a64.rows()));
  std::size_t failures = 0;
  for (int t = 0; t < trials; ++t) {
    Rng rng{std::uint64_t(t)};
    double best = 0;
    for (int i = 0; i < r_vectors; ++i) {
      fill_gaussian<double>(rng, w);
      op.apply(w, aw);
      double norm = 0;
      for (double x : aw) norm += x * x;
      best = std::max(best, std::sqrt(norm));
    }
    failures += factor * std::sqrt(2 / M_PI) * best < p.ref.sigma1;
  }
  const auto [lo, hi] = clopper_pearson(failures, std::size_t(trials));
  const double claim = std::pow(10.0, -r_vectors);
  r.trials = std::size_t(trials);
  r.worst = lo / claim;
  r.pass = lo <= claim;
  r.detail = std::to_string(failures) + " failures, rate 95% CI [" + fmt(lo) + ", " + fmt(hi) +
             "] vs claimed <= " + fmt(claim);
  return r;
}

// ---- certified references contain the exact values: closed forms computed in high precision
// (tridiag(-1, 2, -1): 2 + 2 cos(pi / (n + 1)); x y^T with integers: ||x|| ||y||). ----
CheckResult reference_containment(const std::vector<long long>& sizes, double shift) {
  CheckResult r{.name = "reference-contains-exact", .subject = "tridiag(-1,2,-1) and x y^T"};
  using HP = reference_detail::HighPrecision;
  bool ok = true;
  for (long long n : sizes) {
    DenseMatrix<double> a(n, n), b(n, n + 1);
    for (Index i = 0; i < n; ++i) {
      a(i, i) = 2;
      if (i + 1 < n) a(i + 1, i) = a(i, i + 1) = -1;
      for (Index j = 0; j <= n; ++j) b(i, j) = double((i % 7) + 1) * double((j % 5) - 2);
    }
    double x2 = 0, y2 = 0;
    for (Index i = 0; i < n; ++i) x2 += std::pow(double((i % 7) + 1), 2);
    for (Index j = 0; j <= n; ++j) y2 += std::pow(double((j % 5) - 2), 2);
    const HP exact[] = {2 + 2 * cos(boost::math::constants::pi<HP>() / (n + 1)),
                        sqrt(HP(x2) * HP(y2))};
    const DenseMatrix<double>* mats[] = {&a, &b};
    for (int c = 0; c < 2; ++c) {
      const Reference ref = compute_reference(mats[c]->data(), mats[c]->rows(), mats[c]->cols());
      const double err = static_cast<double>(abs(HP(ref.sigma1_text) - exact[c] - shift));
      ++r.trials;
      ok = ok && err <= ref.bound;
      r.worst = std::max(r.worst, err / ref.bound);
    }
  }
  r.pass = ok;
  r.detail = "|sigma1_text - exact| / certified bound, worst " + fmt(r.worst);
  return r;
}

}  // namespace specbench::theory
