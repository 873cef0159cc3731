#include "algorithms/rsvd.hpp"

#include "algorithms/registry.hpp"

namespace specbench {
namespace {

const OptionTable<RsvdOptions> kRsvdOptions{
    option("rank", &RsvdOptions::rank, "target rank k", 1, 1e6),
    option("oversampling", &RsvdOptions::oversampling,
           "extra samples p; l = min(k + p, min(m, n)) columns", 0, 1e6),
    option("power_iters", &RsvdOptions::power_iters,
           "passes of subspace iteration q (2 l products each)", 0, 1e6),
};

const EstimatorRegistrar kRegisterRsvd{define_estimator(
    {
        .name = "rsvd",
        .summary =
            "randomized SVD: Gaussian range finder with subspace iteration (Halko et al. 2011)",
        .iteration_param = "power_iters",
        .nested = false,
    },
    kRsvdOptions,
    [](const auto& a, const RsvdOptions& o, Rng& rng, const auto& control) {
      return randomized_svd(a, o, rng, control);
    },
    {
        // Y = A Omega, then q passes of A^T and A, then B = Q^T A: (2 q + 2) l products, l =
        // rank + oversampling columns each.
        .products = [](const RsvdOptions& o,
                       double q) { return (2 * q + 2) * double(o.rank + o.oversampling); },
    })};

}  // namespace
}  // namespace specbench
