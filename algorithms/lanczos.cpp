#include "algorithms/lanczos.hpp"

#include "algorithms/registry.hpp"

namespace specbench {
namespace {

template <class T>
EstimateResult<T> run_lanczos(const Operator<T>& a, const ParamSet& p, Rng& rng,
                              const RunControl<T>& control) {
  LanczosOptions options;
  options.steps = int(p.get_int("steps"));
  options.reorth = parse_reorth(p.get_string("reorth"));
  options.warm = p.get_string("warm") == "true";
  return lanczos_bidiagonalization(a, options, rng, control);
}

const EstimatorRegistrar kRegisterLanczos{{
    .name = "lanczos",
    .summary =
        "Golub-Kahan-Lanczos bidiagonalization from a Gaussian start (two products per step)",
    .schema = {{
        {.name = "steps",
         .type = ParamType::Int,
         .default_value = "30",
         .help = "number of bidiagonalization steps (stops early on breakdown)",
         .min = 1,
         .max = 1e6},
        {.name = "reorth",
         .type = ParamType::Choice,
         .default_value = "full",
         .help = "full: reorthogonalize both bases by CGS2; none: plain three-term recurrence",
         .choices = {"full", "none"}},
        {.name = "warm",
         .type = ParamType::Choice,
         .default_value = "false",
         .help = "true: in a drift run, start from the previous step's v instead of the seed",
         .choices = {"false", "true"}},
    }},
    .iteration_param = "steps",
    .nested = true,
    .run_f32 = run_lanczos<float>,
    .run_f64 = run_lanczos<double>,
}};

}  // namespace
}  // namespace specbench
