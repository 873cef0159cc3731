#include "algorithms/power.hpp"

#include "algorithms/registry.hpp"

namespace specbench {
namespace {

template <class T>
EstimateResult<T> run_power(const Operator<T>& a, const ParamSet& p, Rng& rng,
                            const RunControl<T>& control) {
  PowerOptions options;
  options.iters = int(p.get_int("iters"));
  options.tol = p.get_real("tol");
  options.warm = p.get_string("warm") == "true";
  return power_iteration(a, options, rng, control);
}

const EstimatorRegistrar kRegisterPower{{
    .name = "power",
    .summary = "power iteration on A^T A from a Gaussian start (two products per iteration)",
    .schema = {{
        {.name = "iters",
         .type = ParamType::Int,
         .default_value = "100",
         .help = "maximum number of iterations",
         .min = 1,
         .max = 1e8},
        {.name = "tol",
         .type = ParamType::Real,
         .default_value = "0",
         .help = "stop when |sigma_k - sigma_{k-1}| <= tol * sigma_k; 0 runs all iterations",
         .min = 0},
        {.name = "warm",
         .type = ParamType::Choice,
         .default_value = "false",
         .help = "true: in a drift run, start from the previous step's v instead of the seed",
         .choices = {"false", "true"}},
    }},
    .iteration_param = "iters",
    .nested = true,
    .rate_theory = "power",
    .first_start = gaussian_start,
    .run_f32 = run_power<float>,
    .run_f64 = run_power<double>,
}};

}  // namespace
}  // namespace specbench
