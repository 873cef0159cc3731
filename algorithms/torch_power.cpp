#include "algorithms/torch_power.hpp"

#include "algorithms/registry.hpp"

namespace specbench {
namespace {

const OptionTable<TorchPowerOptions> kTorchPowerOptions{
    option("iters", &TorchPowerOptions::iters,
           "n_power_iterations (torch's default is 1 per forward pass)", 1, 1e8),
    option("eps", &TorchPowerOptions::eps, "normalize(x) = x / max(||x||, eps), as torch", 1e-300),
    option("order", &TorchPowerOptions::order,
           {{"hook", TorchOrder::Hook}, {"parametrizations", TorchOrder::Parametrizations}},
           "hook: torch.nn.utils.spectral_norm (v then u); parametrizations: "
           "torch.nn.utils.parametrizations.spectral_norm (u then v)"),
};

const EstimatorRegistrar kRegisterTorchPower{define_estimator(
    {
        .name = "torch_power",
        .summary = "torch.nn.utils.spectral_norm's power iteration, operation for operation",
        .iteration_param = "iters",
        .nested = true,
        .takes_start = true,
        .power_of_two_scaling = false,  // operation for operation torch's, at every scale
    },
    kTorchPowerOptions,
    [](const auto& a, const TorchPowerOptions& o, Rng& rng, const auto& control) {
      return torch_power(a, o, rng, control);
    })};

}  // namespace
}  // namespace specbench
