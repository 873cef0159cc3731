#include "harness/reference_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <regex>
#include <set>

namespace specbench {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

/// Distance from |x| to the next larger double (one ulp; the smallest subnormal at 0).
double spacing(double x) {
  x = std::abs(x);
  return std::nextafter(x, std::numeric_limits<double>::infinity()) - x;
}

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

/// The methods compute_reference writes (reference.cpp: an optional LAPACK driver, then
/// "lanczos+refine+" and one certificate), or "exact-zero".
bool known_method(const std::string& method) {
  static const std::regex kMethod(
      "(lapack-dgesdd\\+|lapack-dgesvd\\+)?lanczos\\+refine\\+"
      "(kato-temple\\+cholesky-gap|kato-temple\\+hp-cholesky-gap|cholesky-bracket|"
      "hp-cholesky-bracket|frobenius-bracket)");
  return method == "exact-zero" || std::regex_match(method, kMethod) ||
         method == "sparse-lanczos+shift-invert+rayleigh+cholmod-bound" ||
         method == "sparse-lanczos+rayleigh+hoelder" || method == "sparse-hoelder";
}

/// sigma1_text as written by compute_reference (scientific, "D.DDDe+XX"), as a double.
bool parse_text(const std::string& text, double& out) {
  static const std::regex kScientific("[0-9](\\.[0-9]+)?e[+-][0-9]{2,3}");
  if (!std::regex_match(text, kScientific)) return false;
  out = std::strtod(text.c_str(), nullptr);  // correctly rounded (glibc)
  return std::isfinite(out);
}

std::string check_vectors(const Reference& r, std::int64_t m, std::int64_t n) {
  if (r.u1.size() != std::size_t(m) || r.v1.size() != std::size_t(n))
    return "u1 or v1 has the wrong length";
  if (!all_finite(r.u1) || !all_finite(r.v1)) return "u1 or v1 is not finite";
  // Unit vectors rounded to double: each entry within half an ulp of the exact unit vector's,
  // so the norm computed here is 1 within (k/2 + 1) eps (gamma_k of the sum of squares, the
  // rounding, the sqrt); (k + 4) eps leaves a margin of 2.
  for (const auto* x : {&r.u1, &r.v1}) {
    double s = 0;
    for (double e : *x) s += e * e;
    if (!(std::abs(std::sqrt(s) - 1) <= double(x->size() + 4) * kEps))
      return "u1 or v1 is not a unit vector";
  }
  const std::int64_t k = std::min(m, n);
  if (r.cluster_size < 1 || r.cluster_size > k)
    return "cluster_size " + std::to_string(r.cluster_size) + " is not in [1, " +
           std::to_string(k) + "]";
  const auto c = std::size_t(r.cluster_size);
  const std::size_t want_u = c > 1 ? std::size_t(m) * c : 0,
                    want_v = c > 1 ? std::size_t(n) * c : 0;
  if (r.u_cluster.size() != want_u || r.v_cluster.size() != want_v)
    return "u_cluster or v_cluster does not match cluster_size";
  if (!all_finite(r.u_cluster) || !all_finite(r.v_cluster)) return "a cluster basis is not finite";
  if (!(r.vector_radius >= 0 && r.vector_radius <= 1)) return "vector_radius is not in [0, 1]";
  return "";
}

std::string check_value(const Reference& r) {
  double text = 0;
  if (!parse_text(r.sigma1_text, text)) return "sigma1_text '" + r.sigma1_text + "' is no number";
  if (r.method == "exact-zero") {
    if (r.sigma1 != 0 || r.sigma1_lo != 0 || r.bound != 0 || text != 0 || r.sigma2 != 0 ||
        r.digits != 40)
      return "an exact-zero reference with a nonzero value";
    return "";
  }
  if (!(std::isfinite(r.sigma1) && r.sigma1 > 0)) return "sigma1 is not positive and finite";
  if (!(std::isfinite(r.bound) && r.bound > 0)) return "bound is not positive and finite";
  // The text is the certified value to digits + 2 significant digits; sigma1 is the exact value
  // rounded to double, and the bound covers the text's own rounding (reference.cpp), so
  // |sigma1 - text| <= bound + ulp / 2 exactly; strtod adds another half ulp. The difference is
  // exact (Sterbenz) when the two are within a factor 2; else a (1 + 4 eps) slack covers it.
  const double ulp = spacing(std::max(r.sigma1, text));
  if (!(std::abs(r.sigma1 - text) <= (r.bound + 2 * ulp) * (1 + 4 * kEps)))
    return "sigma1 = " + std::to_string(r.sigma1) + " is not sigma1_text = " + r.sigma1_text +
           " within its bound";
  if (!(std::isfinite(r.sigma1_lo) && std::abs(r.sigma1_lo) <= spacing(r.sigma1)))
    return "sigma1_lo is more than one ulp of sigma1";
  // digits = floor(-log10(rel)) for the exact relative bound rel, and bound = rel sigma1 rounded
  // up: log10(bound / sigma1) is log10(rel) within a few eps, so the floor moves by at most 1
  // at a power of 10. Below the normal range bound is rounded up further (it is never 0): it
  // then proves more digits than it shows, and only digits >= that floor - 1 can be checked.
  const int from_bound = int(std::floor(-std::log10(r.bound / r.sigma1)));
  const bool normal = r.bound >= std::numeric_limits<double>::min() / kEps;
  if (r.digits > 40 || r.digits < from_bound - 1 || (normal && r.digits > from_bound + 1))
    return "digits = " + std::to_string(r.digits) + " does not match bound / sigma1 (" +
           std::to_string(from_bound) + " digits)";
  // sigma2 is a guide (a Ritz value or LAPACK's): below sigma1 up to LAPACK's error, at most
  // max(m, n) eps sigma1, far below 1e-6 sigma1 for any size specbench can hold.
  if (!(std::isfinite(r.sigma2) && r.sigma2 >= 0 && r.sigma2 <= r.sigma1 * (1 + 1e-6) + r.bound))
    return "sigma2 is not in [0, sigma1]";
  return "";
}

}  // namespace

std::string reference_from_json(const nlohmann::json& j, Reference& out) {
  if (!j.is_object()) return "reference is not a JSON object";
  static const std::set<std::string> kReals = {"sigma1", "sigma1_lo", "sigma2", "bound",
                                               "vector_radius"};
  static const std::set<std::string> kInts = {"digits", "cluster_size", "lanczos_steps",
                                              "refine_iterations"};
  static const std::set<std::string> kTexts = {"sigma1_text", "method"};
  static const std::set<std::string> kVectors = {"u1", "v1", "u_cluster", "v_cluster"};
  std::size_t known = 0;
  for (const auto& [key, value] : j.items()) {
    bool ok = false;
    if (kReals.count(key)) {
      ok = value.is_number();
    } else if (kInts.count(key)) {
      ok = value.is_number_integer() && value.get<std::int64_t>() >= 0 &&
           value.get<std::int64_t>() <= std::numeric_limits<int>::max();
      if (key == "digits")  // may be negative (a bracket wider than sigma1)
        ok = value.is_number_integer() && std::abs(value.get<std::int64_t>()) <= 400;
    } else if (kTexts.count(key)) {
      ok = value.is_string();
    } else if (kVectors.count(key)) {
      ok = value.is_array() &&
           std::all_of(value.begin(), value.end(), [](const auto& x) { return x.is_number(); });
    } else {
      return "unknown field '" + key + "'";
    }
    if (!ok) return "field '" + key + "' has the wrong type or range";
    ++known;
  }
  if (known != kReals.size() + kInts.size() + kTexts.size() + kVectors.size())
    return "a field is missing";
  Reference r;
  j["sigma1"].get_to(r.sigma1);
  j["sigma1_lo"].get_to(r.sigma1_lo);
  j["sigma1_text"].get_to(r.sigma1_text);
  j["sigma2"].get_to(r.sigma2);
  j["bound"].get_to(r.bound);
  j["digits"].get_to(r.digits);
  j["cluster_size"].get_to(r.cluster_size);
  j["vector_radius"].get_to(r.vector_radius);
  j["u1"].get_to(r.u1);
  j["v1"].get_to(r.v1);
  j["method"].get_to(r.method);
  j["u_cluster"].get_to(r.u_cluster);
  j["v_cluster"].get_to(r.v_cluster);
  j["lanczos_steps"].get_to(r.lanczos_steps);
  j["refine_iterations"].get_to(r.refine_iterations);
  out = std::move(r);
  return "";
}

std::string validate_reference(const Reference& r, std::int64_t m, std::int64_t n) {
  if (m < 1 || n < 1) return "empty matrix";
  if (!known_method(r.method)) return "unknown method '" + r.method + "'";
  if (auto why = check_vectors(r, m, n); !why.empty()) return why;
  return check_value(r);
}

std::string check_reference_against(const Reference& r, const double* a, std::int64_t m,
                                    std::int64_t n) {
  const auto mu = std::size_t(m), nu = std::size_t(n);
  double amax = 0;
  for (std::size_t i = 0; i < mu * nu; ++i) amax = std::max(amax, std::abs(a[i]));
  if (r.method == "exact-zero") return amax == 0 ? "" : "exact-zero for a nonzero matrix";
  if (!(amax > 0 && std::isfinite(amax))) return "a nonzero reference for a zero matrix";
  // Scaled by 2^-e (exact, except entries below 2^-1022 after scaling: an absolute error under
  // 2^-1074 each, covered by the 1e-300 below), so that the largest entry is in [1, 2): no
  // overflow in the squares, and sigma1 >= max |a_ij| puts sigma1 at 1 or above.
  const int e = std::ilogb(amax);
  // x 2^-e as a product while 2^-e is a normal double (the same rounding as ldexp), else ldexp.
  const bool by_product = e >= -1000;
  const double scale = by_product ? std::ldexp(1.0, -e) : 0.0;
  std::vector<double> y(mu, 0.0);
  double f2 = 0, v2 = 0;
  for (std::size_t j = 0; j < nu; ++j) {
    const double vj = r.v1[j];
    v2 += vj * vj;
    const double* col = a + j * mu;
    for (std::size_t i = 0; i < mu; ++i) {
      const double x = by_product ? col[i] * scale : std::ldexp(col[i], -e);
      f2 += x * x;
      y[i] += x * vj;  // y = A v1
    }
  }
  double y2 = 0;
  for (double x : y) y2 += x * x;
  const double nu_c = std::sqrt(y2) / std::sqrt(v2);  // ||A v1|| / ||v1||, as computed
  // ||A||_F from above: the sum of m n squares is within gamma_{mn} (relative), the sqrt halves
  // it, and (mn + 4) eps covers both roundings twice over.
  const double frob = std::sqrt(f2) * (1 + double(mu * nu + 4) * kEps);
  // The rounding margin of nu_c (Higham, Accuracy and Stability, Sec. 3.5): fl(A v) = A v + e
  // with |e| <= gamma_n |A| |v|, so ||e|| <= gamma_n ||A||_F ||v||; the two norms and the
  // division add a relative gamma_{(m+n)/2+3}. With nu <= sigma1 <= ||A||_F,
  // |nu_c - ||A v|| / ||v||| <= (gamma_n + 1.01 gamma_{(m+n)/2+3}) ||A||_F
  //                          <= 1.02 (1.5 n + 0.5 m + 3) (eps / 2) ||A||_F,
  // which (m + 2 n + 4) eps ||A||_F bounds by more than 2 (for (m + n) eps < 0.01).
  const double delta = double(mu + 2 * nu + 4) * kEps * frob + 1e-300;
  const double sigma = std::ldexp(r.sigma1, -e), bound = std::ldexp(r.bound, -e) + 1e-300;
  // Any v: ||A v|| <= sigma1 ||v|| <= (sigma1_certified + bound) ||v||: a sigma1 set too low.
  if (!(nu_c <= (sigma + bound) * (1 + 2 * kEps) + delta))
    return "||A v1|| / ||v1|| exceeds sigma1 + bound: sigma1 is too small for this matrix";
  // sigma1 <= ||A||_F always: a sigma1 set far too high.
  if (!((sigma - bound) * (1 - 2 * kEps) <= frob))
    return "sigma1 - bound exceeds ||A||_F: sigma1 is too large for this matrix";
  // A simple sigma1 and v1 within angle theta (sin theta <= r) of the exact v: ||A v1||^2 =
  // sum sigma_i^2 cos^2(v1, v_i) >= sigma1^2 cos^2 theta: a sigma1 set too high.
  const double rad = r.vector_radius;
  if (r.cluster_size == 1 && rad < 1) {
    const double low = (sigma - bound) * std::sqrt((1 - rad) * (1 + rad)) * (1 - 4 * kEps) - delta;
    if (!(nu_c >= low))
      return "||A v1|| / ||v1|| is below (sigma1 - bound) cos(vector_radius): sigma1 is too "
             "large for this matrix";
  }
  return "";
}

std::string check_sparse_reference_against(const Reference& r, const CsrMatrix<double>& a) {
  if (!r.method.starts_with("sparse-")) return "a dense reference's method for a sparse matrix";
  const auto m = std::size_t(a.rows()), n = std::size_t(a.cols());
  if (r.u1.size() != m || r.v1.size() != n) return "u1 or v1 of the wrong length";
  const double* val = a.valuePtr();
  const auto nnz = std::size_t(a.nonZeros());
  double amax = 0;
  for (std::size_t k = 0; k < nnz; ++k) amax = std::max(amax, std::abs(val[k]));
  if (amax == 0) return r.sigma1 == 0 ? "" : "a nonzero reference for a zero matrix";
  if (!std::isfinite(amax)) return "a non-finite entry";
  // The dense checks (check_reference_against) on CSR, in the scaled domain (exact scaling by
  // 2^-e, the largest entry in [1, 2)): ||A v1|| / ||v1|| <= sigma1 + bound up to rounding,
  // and sigma1 - bound <= ||A||_F. Rounding as there, with the row length L (at most the
  // number of terms of a row's dot product) in place of n: fl(A v) = A v + e with |e| <=
  // gamma_L |A| |v|, so (m + 2 L + 4) eps ||A||_F bounds the margin by more than 2.
  const int e = std::ilogb(amax);
  std::vector<double> y(m, 0.0);
  double f2 = 0, v2 = 0;
  Eigen::Index longest = 0;
  for (double x : r.v1) v2 += x * x;
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    double s = 0;
    Eigen::Index count = 0;
    for (CsrMatrix<double>::InnerIterator it(a, i); it; ++it, ++count) {
      const double x = std::ldexp(it.value(), -e);
      f2 += x * x;
      s += x * r.v1[std::size_t(it.col())];
    }
    y[std::size_t(i)] = s;
    longest = std::max(longest, count);
  }
  double y2 = 0;
  for (double x : y) y2 += x * x;
  const double nu_c = std::sqrt(y2) / std::sqrt(v2);
  const double frob = std::sqrt(f2) * (1 + double(nnz + 4) * kEps);
  const double delta = double(m + 2 * std::size_t(longest) + 4) * kEps * frob + 1e-300;
  const double sigma = std::ldexp(r.sigma1, -e), bound = std::ldexp(r.bound, -e) + 1e-300;
  if (!(nu_c <= (sigma + bound) * (1 + 2 * kEps) + delta))
    return "||A v1|| / ||v1|| exceeds sigma1 + bound: sigma1 is too small for this matrix";
  if (!((sigma - bound) * (1 - 2 * kEps) <= frob))
    return "sigma1 - bound exceeds ||A||_F: sigma1 is too large for this matrix";
  return "";
}

}  // namespace specbench
