#include "algorithms/rsvd.hpp"

#include "algorithms/registry.hpp"

namespace specbench {
namespace {

template <class T>
EstimateResult<T> run_rsvd(const Operator<T>& a, const ParamSet& p, Rng& rng,
                           const RunControl<T>& control) {
  RsvdOptions options;
  options.rank = int(p.get_int("rank"));
  options.oversampling = int(p.get_int("oversampling"));
  options.power_iters = int(p.get_int("power_iters"));
  return randomized_svd(a, options, rng, control);
}

const EstimatorRegistrar kRegisterRsvd{{
    .name = "rsvd",
    .summary = "randomized SVD: Gaussian range finder with subspace iteration (Halko et al. 2011)",
    .schema = {{
        {.name = "rank",
         .type = ParamType::Int,
         .default_value = "1",
         .help = "target rank k",
         .min = 1,
         .max = 1e6},
        {.name = "oversampling",
         .type = ParamType::Int,
         .default_value = "10",
         .help = "extra samples p; l = min(k + p, min(m, n)) columns",
         .min = 0,
         .max = 1e6},
        {.name = "power_iters",
         .type = ParamType::Int,
         .default_value = "2",
         .help = "passes of subspace iteration q (2 l products each)",
         .min = 0,
         .max = 1e6},
    }},
    .iteration_param = "power_iters",
    .nested = false,
    // Y = A Omega, then q passes of A^T and A, then B = Q^T A: (2 q + 2) l products, l = rank +
    // oversampling columns each.
    .products =
        [](const ParamSet& p, double q) {
          return (2 * q + 2) * double(p.get_int("rank") + p.get_int("oversampling"));
        },
    .run_f32 = run_rsvd<float>,
    .run_f64 = run_rsvd<double>,
}};

}  // namespace
}  // namespace specbench
