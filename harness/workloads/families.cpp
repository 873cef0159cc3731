/// \file
/// Matrix families beyond gaussian / spectrum / mtx: the weights deep-learning users normalize
/// (torch.nn.Linear and Conv2d at initialization), LAPACK's test-matrix generator DLATMS, and
/// the Kahan matrix. Registered like every family; `specbench list` shows their parameters.

#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "harness/workloads/matrices.hpp"
#include "harness/workloads/mtx.hpp"

extern "C" {
// TMGLIB (libtmglib-dev) has no C header; the Fortran interface, hidden string lengths last.
void dlatms_(const int* m, const int* n, const char* dist, int* iseed, const char* sym, double* d,
             const int* mode, const double* cond, const double* dmax, const int* kl, const int* ku,
             const char* pack, double* a, const int* lda, double* work, int* info,
             std::size_t dist_len, std::size_t sym_len, std::size_t pack_len);
}

namespace specbench {
namespace {

/// The `seed` parameter shared by the random families.
const ParamSpec kSeedParam{.name = "seed",
                           .type = ParamType::Int,
                           .default_value = "0",
                           .help = "seed of the generator (Boost mt19937_64)",
                           .min = 0};

// ---- linear, conv: torch's default initialization ----

/// out x fan_in, entries U(-1/sqrt(fan_in), 1/sqrt(fan_in)): torch.nn.Linear's and Conv2d's
/// reset_parameters, kaiming_uniform_(a = sqrt(5)), whose bound is gain * sqrt(3 / fan_in) with
/// gain = sqrt(2 / (1 + a^2)) = sqrt(1/3). Drawn in torch's memory order (row-major: each output
/// row contiguous, a conv weight out x in x kh x kw flattened as weight.reshape(out, -1)) from
/// Boost's mt19937_64 (not torch's generator: the distribution is torch's, the numbers are not).
DenseMatrix<double> torch_uniform(Index out, Index fan_in, std::uint64_t seed) {
  DenseMatrix<double> a(out, fan_in);
  Rng rng(seed);
  const double bound = 1 / std::sqrt(double(fan_in));
  boost::random::uniform_real_distribution<double> uniform(-bound, bound);
  for (Index i = 0; i < out; ++i)
    for (Index j = 0; j < fan_in; ++j) a(i, j) = uniform(rng);
  return a;
}

void validate_size(std::string_view spec, long long m, long long n) {
  SPECBENCH_REQUIRE(m <= kMaxDenseEntries / n, "matrix spec '", spec, "': ", m, " x ", n,
                    " exceeds the dense storage limit of ", kMaxDenseEntries, " entries");
}

const MatrixFamilyRegistrar kRegisterLinear{{
    .name = "linear",
    .summary = "weight of a freshly initialized torch.nn.Linear(in, out): out x in, "
               "U(-1/sqrt(in), 1/sqrt(in))",
    .schema = {{
        {.name = "in", .type = ParamType::Int, .help = "in_features", .min = 1, .required = true},
        {.name = "out", .type = ParamType::Int, .help = "out_features", .min = 1, .required = true},
        kSeedParam,
    }},
    .generate =
        [](const ParamSet& p) {
          return torch_uniform(p.get_int("out"), p.get_int("in"), std::uint64_t(p.get_int("seed")));
        },
    .validate =
        [](const ParamSet& p, std::string_view spec) {
          validate_size(spec, p.get_int("out"), p.get_int("in"));
        },
}};

const MatrixFamilyRegistrar kRegisterConv{{
    .name = "conv",
    .summary = "weight of a freshly initialized torch.nn.Conv2d reshaped as torch's spectral_norm "
               "does: out x (in*kh*kw), U(-1/sqrt(fan_in), 1/sqrt(fan_in))",
    .schema = {{
        {.name = "out", .type = ParamType::Int, .help = "out_channels", .min = 1, .required = true},
        {.name = "in", .type = ParamType::Int, .help = "in_channels", .min = 1, .required = true},
        {.name = "kh",
         .type = ParamType::Int,
         .default_value = "3",
         .help = "kernel height",
         .min = 1},
        {.name = "kw",
         .type = ParamType::Int,
         .default_value = "3",
         .help = "kernel width",
         .min = 1},
        kSeedParam,
    }},
    .generate =
        [](const ParamSet& p) {
          return torch_uniform(p.get_int("out"),
                               p.get_int("in") * p.get_int("kh") * p.get_int("kw"),
                               std::uint64_t(p.get_int("seed")));
        },
    .validate =
        [](const ParamSet& p, std::string_view spec) {
          const long long in = p.get_int("in"), kh = p.get_int("kh"), kw = p.get_int("kw");
          SPECBENCH_REQUIRE(in <= kMaxDenseEntries / kh / kw, "matrix spec '", spec,
                            "': in*kh*kw is too large");
          validate_size(spec, p.get_int("out"), in * kh * kw);
        },
}};

// ---- dlatms ----

/// LAPACK's DLATMS (TMGLIB): A = U D V with D from `mode` and `cond`, U and V random orthogonal
/// (Householder, from DLATMS's own generator seeded by ISEED), nonsymmetric (SYM = 'N'), full
/// bandwidth. Modes: 1 D = (1, 1/cond, ..., 1/cond); 2 D = (1, ..., 1, 1/cond); 3 geometric from
/// 1 to 1/cond; 4 arithmetic from 1 to 1/cond; 5 random in (1/cond, 1), log-uniform; 6 random
/// from DIST = uniform(-1, 1). For modes 1..5 D is scaled to max |D_i| = |dmax|, so
/// ||A||_2 = |dmax| by construction; mode 6 is not scaled (LAPACK's rule).
DenseMatrix<double> generate_dlatms(const ParamSet& p) {
  const int m = int(p.get_int("m")), n = int(p.get_int("n")), mode = int(p.get_int("mode"));
  const double cond = p.get_real("cond"), dmax = p.get_real("dmax");
  const auto seed = std::uint64_t(p.get_int("seed"));
  // ISEED: four integers in 0..4095, the last odd.
  int iseed[4] = {int(seed % 4096), int((seed / 4096) % 4096), int((seed / 4096 / 4096) % 4096),
                  int((2 * (seed / 4096 / 4096 / 4096) + 1) % 4096)};
  DenseMatrix<double> a(m, n);
  std::vector<double> d(std::size_t(std::min(m, n))), work(3 * std::size_t(std::max(m, n)));
  const int kl = m - 1, ku = n - 1, lda = m;
  int info = 0;
  dlatms_(&m, &n, "U", iseed, "N", d.data(), &mode, &cond, &dmax, &kl, &ku, "N", a.data(), &lda,
          work.data(), &info, 1, 1, 1);
  SPECBENCH_REQUIRE(info == 0, "dlatms failed with info = ", info);
  return a;
}

const MatrixFamilyRegistrar kRegisterDlatms{{
    .name = "dlatms",
    .summary = "LAPACK's test-matrix generator DLATMS (TMGLIB): U diag(D) V, ||A||_2 = |dmax| "
               "for modes 1..5",
    .schema = {{
        {.name = "m", .type = ParamType::Int, .help = "rows", .min = 1, .required = true},
        {.name = "n", .type = ParamType::Int, .help = "columns", .min = 1, .required = true},
        {.name = "mode",
         .type = ParamType::Int,
         .default_value = "3",
         .help = "singular values: 1 one large, 2 one small, 3 geometric, 4 arithmetic, 5 random "
                 "log-uniform in (1/cond, 1), 6 random uniform (not scaled)",
         .min = 1,
         .max = 6},
        {.name = "cond",
         .type = ParamType::Real,
         .default_value = "100",
         .help = "condition number (>= 1)",
         .min = 1},
        {.name = "dmax",
         .type = ParamType::Real,
         .default_value = "1",
         .help = "largest singular value for modes 1..5"},
        {.name = "seed",
         .type = ParamType::Int,
         .default_value = "0",
         .help = "seed, mapped to DLATMS's ISEED",
         .min = 0},
    }},
    .generate = generate_dlatms,
    .validate =
        [](const ParamSet& p, std::string_view spec) {
          SPECBENCH_REQUIRE(p.get_real("dmax") != 0 && std::isfinite(p.get_real("dmax")),
                            "matrix spec '", spec, "': dmax must be finite and nonzero");
          SPECBENCH_REQUIRE(p.get_int("m") <= 1 << 30 && p.get_int("n") <= 1 << 30, "matrix spec '",
                            spec, "': too large for DLATMS's 32-bit indices");
        },
}};

// ---- kahan ----

/// The n x n Kahan matrix (Kahan 1966; MATLAB gallery('kahan', n, theta) without its tiny
/// perturbation): R = diag(1, s, s^2, ..., s^(n-1)) (I - c U), U the strictly upper triangular
/// matrix of ones, c = cos(theta), s = sin(theta). Upper triangular and graded; the classic
/// case where column-pivoted QR misjudges the rank.
DenseMatrix<double> generate_kahan(const ParamSet& p) {
  const Index n = p.get_int("n");
  const double theta = p.get_real("theta"), c = std::cos(theta), s = std::sin(theta);
  DenseMatrix<double> a(n, n);
  double scale = 1;
  for (Index i = 0; i < n; ++i, scale *= s) {
    a(i, i) = scale;
    for (Index j = i + 1; j < n; ++j) a(i, j) = -c * scale;
  }
  return a;
}

const MatrixFamilyRegistrar kRegisterKahan{{
    .name = "kahan",
    .summary = "the n x n Kahan matrix diag(s^(i-1)) (I - c * strict upper ones), c = cos(theta)",
    .schema = {{
        {.name = "n", .type = ParamType::Int, .help = "size", .min = 1, .required = true},
        {.name = "theta",
         .type = ParamType::Real,
         .default_value = "1.2",
         .help = "angle: c = cos(theta), s = sin(theta) (MATLAB's default 1.2)",
         .min = 0,
         .max = 1.5707963267948966},
    }},
    .generate = generate_kahan,
    .validate = [](const ParamSet& p,
                   std::string_view spec) { validate_size(spec, p.get_int("n"), p.get_int("n")); },
}};

}  // namespace
}  // namespace specbench
