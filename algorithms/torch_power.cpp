#include "algorithms/torch_power.hpp"

#include "algorithms/registry.hpp"

namespace specbench {
namespace {

template <class T>
EstimateResult<T> run_torch_power(const Operator<T>& a, const ParamSet& p, Rng& rng,
                                  const RunControl<T>& control) {
  TorchPowerOptions options;
  options.iters = int(p.get_int("iters"));
  options.eps = p.get_real("eps");
  options.order = parse_torch_order(p.get_string("order"));
  return torch_power(a, options, rng, control);
}

const EstimatorRegistrar kRegisterTorchPower{{
    .name = "torch_power",
    .summary = "torch.nn.utils.spectral_norm's power iteration, operation for operation",
    .schema = {{
        {.name = "iters",
         .type = ParamType::Int,
         .default_value = "1",
         .help = "n_power_iterations (torch's default is 1 per forward pass)",
         .min = 1,
         .max = 1e8},
        {.name = "eps",
         .type = ParamType::Real,
         .default_value = "1e-12",
         .help = "normalize(x) = x / max(||x||, eps), as torch",
         .min = 1e-300},
        {.name = "order",
         .type = ParamType::Choice,
         .default_value = "hook",
         .help = "hook: torch.nn.utils.spectral_norm (v then u); parametrizations: "
                 "torch.nn.utils.parametrizations.spectral_norm (u then v)",
         .choices = {"hook", "parametrizations"}},
    }},
    .iteration_param = "iters",
    .nested = true,
    .takes_start = true,
    .power_of_two_scaling = false,  // operation for operation torch's, at every scale
    .run_f32 = run_torch_power<float>,
    .run_f64 = run_torch_power<double>,
}};

}  // namespace
}  // namespace specbench
