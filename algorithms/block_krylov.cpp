#include "algorithms/block_krylov.hpp"

#include "algorithms/registry.hpp"

namespace specbench {
namespace {

const OptionTable<BlockKrylovOptions> kBlockKrylovOptions{
    option("steps", &BlockKrylovOptions::steps,
           "block steps: b products with A and b with A^T each (stops early when exact)", 1, 1e6),
    option("block", &BlockKrylovOptions::block, "block size b (Gaussian start vectors)", 1, 4096),
    option("tol", &BlockKrylovOptions::tol,
           "stop when |sigma_j - sigma_{j-1}| <= tol * sigma_j; 0 runs all steps", 0),
};

const EstimatorRegistrar kRegisterBlockKrylov{define_estimator(
    {
        .name = "block_krylov",
        .summary = "randomized block Krylov (Musco & Musco 2015): block Golub-Kahan with full "
                   "reorthogonalization, sigma from the projected problem",
        .iteration_param = "steps",
        .nested = true,
        // the block's first column is power's and Lanczos's start from the same seed, and the
        // block Krylov space contains that vector's Krylov space: Lanczos bounds apply
        .first_start = gaussian_start,
    },
    kBlockKrylovOptions,
    [](const auto& a, const BlockKrylovOptions& o, Rng& rng, const auto& control) {
      return block_krylov(a, o, rng, control);
    },
    {
        // step j: A V_j (b columns), and A^T U_j (b) except after the last step
        .products = [](const BlockKrylovOptions& o,
                       double steps) { return (2 * steps - 1) * double(o.block); },
    })};

}  // namespace
}  // namespace specbench
