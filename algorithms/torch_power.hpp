#pragma once
/// \file
/// torch.nn.utils.spectral_norm's estimate, reproduced operation for operation.
///
/// PyTorch keeps unit vectors u (m) and v (n) with the weight W (m x n, the weight reshaped to
/// out x rest) and, per forward pass, runs n_power_iterations of
///
///     hook order (torch.nn.utils.spectral_norm):           v = normalize(W^T u); u = normalize(W
///     v) parametrizations (torch.nn.utils.parametrizations):  u = normalize(W v);   v =
///     normalize(W^T u)
///
/// with normalize(x) = x / max(||x||_2, eps) (torch.nn.functional.normalize, a division by the
/// clamped norm), eps = 1e-12 by default, then sigma = u^T (W v). Initial vectors: u and v drawn
/// N(0, 1) in that order and normalized (as torch does when the layer is created), or a given u
/// (`--start`, a layer's `weight_u`); with a given u and the parametrizations order, the start v
/// is the given start_v (a drift run carries both, as torch does) or else normalize(W^T u). A zero
/// W gives zero vectors and sigma = 0, as in torch.
///
/// Products: two per iteration; the hook order's sigma reuses the last W v (torch recomputes the
/// same product, with the same result), the parametrizations order's needs one more W v.

#include <algorithm>
#include <span>
#include <string_view>
#include <vector>

#include "algorithms/blas.hpp"
#include "algorithms/estimator.hpp"
#include "algorithms/operator.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

namespace specbench {

enum class TorchOrder {
  Hook,              ///< torch.nn.utils.spectral_norm: v first, then u
  Parametrizations,  ///< torch.nn.utils.parametrizations.spectral_norm: u first, then v
};

inline std::string_view to_string(TorchOrder o) {
  return o == TorchOrder::Hook ? "hook" : "parametrizations";
}

struct TorchPowerOptions {
  int iters = 1;       ///< n_power_iterations
  double eps = 1e-12;  ///< torch's eps
  TorchOrder order = TorchOrder::Hook;
};

namespace torch_detail {

/// ||x|| as torch.linalg.vector_norm computes it on the CPU: sqrt of the plain sum of squares
/// in the working precision, NOT the scaled (overflow-safe) BLAS nrm2. At extreme scales this
/// is what torch does: squares of entries ~1e160 (float64; ~1e20 in float32) overflow, so the
/// norm is inf and normalize() returns zeros (sigma 0); squares of ~1e-160 underflow, so the
/// norm is 0 and the eps clamp leaves x / eps. Checked against PyTorch 1.13 at 1e300, 1e160 and
/// 1e-300 (README, "torch_power against PyTorch").
template <class T>
T torch_norm(std::span<const T> x) {
  T sum = 0;
  for (const T v : x) sum += v * v;
  return std::sqrt(sum);
}

/// y = x / max(||x||, eps), elementwise division as torch.nn.functional.normalize.
template <class T>
void normalize(std::span<const T> x, std::span<T> y, T eps) {
  const T denom = std::max(torch_norm(x), eps);
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = x[i] / denom;
}

}  // namespace torch_detail

template <LinearOperator Op>
EstimateResult<typename Op::Scalar> torch_power(
    const Op& op, const TorchPowerOptions& options, Rng& rng,
    const RunControl<typename Op::Scalar>& control = {}) {
  using T = typename Op::Scalar;
  SPECBENCH_REQUIRE(options.iters >= 1, "torch_power: iters must be >= 1, got ", options.iters);
  SPECBENCH_REQUIRE(options.eps > 0, "torch_power: eps must be > 0, got ", options.eps);
  SPECBENCH_REQUIRE(op.rows() > 0 && op.cols() > 0, "torch_power: the matrix is empty (", op.rows(),
                    " x ", op.cols(), ")");
  const auto m = std::size_t(op.rows()), n = std::size_t(op.cols());
  SPECBENCH_REQUIRE(control.start_u.empty() || control.start_u.size() == m,
                    "torch_power: the start vector has ", control.start_u.size(),
                    " entries, the matrix has ", m, " rows");

  const CountingOperator<Op> a(op);
  const T eps = T(options.eps);
  const bool hook = options.order == TorchOrder::Hook;
  EstimateResult<T> r;
  r.u.resize(m);
  r.v.resize(n);
  std::vector<T> wv(m), wtu(n);
  IterationMonitor<T> monitor(control);

  // Start: torch draws u, then v, from N(0, 1) and normalizes both.
  if (control.start_u.empty()) {
    fill_gaussian<T>(rng, r.u);
    fill_gaussian<T>(rng, r.v);
    torch_detail::normalize<T>(r.u, r.u, eps);
    torch_detail::normalize<T>(r.v, r.v, eps);
  } else {
    std::copy(control.start_u.begin(), control.start_u.end(), r.u.begin());
    if (!hook && control.start_v.size() == n) {  // a drift run keeps both vectors, as torch
      std::copy(control.start_v.begin(), control.start_v.end(), r.v.begin());
    } else if (!hook) {
      a.apply_transpose(std::span<const T>(r.u), std::span<T>(wtu));
      torch_detail::normalize<T>(wtu, r.v, eps);
    }
  }

  // sigma = u^T (W v): the hook order has W v from its last step; the parametrizations order
  // computes it (through the uncounted operator, counted by hand as the one product torch does).
  long long extra = 0;
  auto sigma = [&]() {
    if (!hook) {
      op.apply(std::span<const T>(r.v), std::span<T>(wv));
      extra = 1;
    }
    return blas::dot(std::span<const T>(r.u), std::span<const T>(wv));
  };
  auto iterate = [&] { return Iterate<T>{r.sigma, r.u, r.v, r.status}; };

  r.status = Status::MaxIterations;
  for (int k = 1; k <= options.iters; ++k) {
    if (hook) {
      a.apply_transpose(std::span<const T>(r.u), std::span<T>(wtu));
      torch_detail::normalize<T>(wtu, r.v, eps);
      a.apply(std::span<const T>(r.v), std::span<T>(wv));
      torch_detail::normalize<T>(wv, r.u, eps);
    } else {
      a.apply(std::span<const T>(r.v), std::span<T>(wv));
      torch_detail::normalize<T>(wv, r.u, eps);
      a.apply_transpose(std::span<const T>(r.u), std::span<T>(wtu));
      torch_detail::normalize<T>(wtu, r.v, eps);
    }
    r.iterations = k;
    // torch forms sigma once, after the loop: the parametrizations order pays a product for it,
    // so it is formed (and the history recorded) only where a checkpoint or the end needs it.
    if (hook || monitor.wants(k) || k == options.iters) {
      r.sigma = sigma();
      monitor.iteration(k, r.sigma, a.products() + extra, iterate);
    }
  }
  r.products = a.products() + extra;
  return monitor.finish(std::move(r));
}

}  // namespace specbench
