#include "algorithms/lanczos.hpp"

#include "algorithms/registry.hpp"

namespace specbench {
namespace {

const OptionTable<LanczosOptions> kLanczosOptions{
    option("steps", &LanczosOptions::steps,
           "number of Lanczos steps, two products each (stops early on breakdown)", 1, 1e6),
    option("reorth", &LanczosOptions::reorth, {{"full", Reorth::Full}, {"none", Reorth::None}},
           "full: reorthogonalize both bases by CGS2; none: plain three-term recurrence"),
    option("process", &LanczosOptions::process,
           {{"gkl", Process::Bidiagonal}, {"gram", Process::Gram}},
           "gkl: Golub-Kahan-Lanczos bidiagonalization, A and A^T in turn (two reads per step); "
           "gram: symmetric Lanczos on A^T A (row-major) or A A^T (column-major, from A v_1), one "
           "read of a dense A per step (algorithms/lanczos.hpp)"),
    option("warm", &LanczosOptions::warm,
           "true: in a drift run, start from the previous step's v instead of the seed"),
};

const EstimatorRegistrar kRegisterLanczos{define_estimator(
    {
        .name = "lanczos",
        .summary =
            "Lanczos from a Gaussian start: Golub-Kahan bidiagonalization (two reads of A per "
            "step) or symmetric Lanczos on the Gram matrix (one read per step on dense storage)",
        .iteration_param = "steps",
        .nested = true,
        .first_start = gaussian_start,
    },
    kLanczosOptions,
    [](const auto& a, const LanczosOptions& o, Rng& rng, const auto& control) {
      return lanczos_bidiagonalization(a, o, rng, control);
    },
    {.loses_orthogonality = [](const LanczosOptions& o) { return o.reorth == Reorth::None; }})};

}  // namespace
}  // namespace specbench
