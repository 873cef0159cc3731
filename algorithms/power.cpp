#include "algorithms/power.hpp"

#include "algorithms/registry.hpp"

namespace specbench {
namespace {

const OptionTable<PowerOptions> kPowerOptions{
    option("iters", &PowerOptions::iters, "maximum number of iterations", 1, 1e8),
    option("tol", &PowerOptions::tol,
           "stop when |sigma_k - sigma_{k-1}| <= tol * sigma_k; 0 runs all iterations", 0),
    option("warm", &PowerOptions::warm,
           "true: in a drift run, start from the previous step's v instead of the seed"),
};

const EstimatorRegistrar kRegisterPower{define_estimator(
    {
        .name = "power",
        .summary = "power iteration on A^T A from a Gaussian start (two products per iteration)",
        .iteration_param = "iters",
        .nested = true,
        .rate_theory = "power",
        .first_start = gaussian_start,
    },
    kPowerOptions, [](const auto& a, const PowerOptions& o, Rng& rng, const auto& control) {
      return power_iteration(a, o, rng, control);
    })};

}  // namespace
}  // namespace specbench
