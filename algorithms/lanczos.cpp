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
  options.process = parse_process(p.get_string("process"));
  return lanczos_bidiagonalization(a, options, rng, control);
}

const EstimatorRegistrar kRegisterLanczos{{
    .name = "lanczos",
    .summary =
        "Lanczos from a Gaussian start: Golub-Kahan bidiagonalization (two reads of A per step) "
        "or symmetric Lanczos on the Gram matrix (one read per step on dense storage)",
    .schema = {{
        {.name = "steps",
         .type = ParamType::Int,
         .default_value = "30",
         .help = "number of Lanczos steps, two products each (stops early on breakdown)",
         .min = 1,
         .max = 1e6},
        {.name = "reorth",
         .type = ParamType::Choice,
         .default_value = "full",
         .help = "full: reorthogonalize both bases by CGS2; none: plain three-term recurrence",
         .choices = {"full", "none"}},
        {.name = "process",
         .type = ParamType::Choice,
         .default_value = "gkl",
         .help = "gkl: Golub-Kahan-Lanczos bidiagonalization, A and A^T in turn (two reads per "
                 "step); gram: symmetric Lanczos on A^T A (row-major) or A A^T (column-major, "
                 "from A v_1), one read of a dense A per step (algorithms/lanczos.hpp)",
         .choices = {"gkl", "gram"}},
        {.name = "warm",
         .type = ParamType::Choice,
         .default_value = "false",
         .help = "true: in a drift run, start from the previous step's v instead of the seed",
         .choices = {"false", "true"}},
    }},
    .iteration_param = "steps",
    .nested = true,
    .loses_orthogonality = [](const ParamSet& p) { return p.get_string("reorth") == "none"; },
    .first_start = gaussian_start,
    .run_f32 = run_lanczos<float>,
    .run_f64 = run_lanczos<double>,
}};

}  // namespace
}  // namespace specbench
