/* An example specbench plug-in in plain C (include/specbench/plugin.h): power iteration with
 * momentum on G = A^T A (Xu, Li, Chen, Sa, Jordan, Re, "Accelerated stochastic power iteration",
 * AISTATS 2018):
 *
 *     x_{k+1} = G x_k - beta x_{k-1}
 *
 * beta = 0 is plain power iteration. beta = lambda_2^2 / 4, lambda_i = sigma_i^2 the eigenvalues
 * of G, is the Chebyshev-optimal momentum: the error then shrinks like (lambda_2 / lambda_1)^k
 * under a square root, about 2 / sqrt(1 - lambda_2/lambda_1) times fewer iterations for a small
 * gap. Each iteration costs two products (A x, then A^T of it), counted by specbench.
 *
 * Build: cc -O2 -shared -fPIC -I include examples/plugins/momentum_power.c -o momentum_power.so
 *        (CMake builds it as build/examples/plugins/libmomentum_power.so)
 * Use:   specbench --plugin PATH list | estimate -e momentum_power:iters=50,beta=0.2 ...
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <specbench/plugin.h>

/* The loop, once per element type (float for SPECBENCH_F32 runs, double for SPECBENCH_F64). */
#define DEFINE_RUN(T, SUFFIX)                                                                   \
  static T norm_##SUFFIX(const T* x, int64_t n) {                                               \
    double s = 0; /* accumulated in double: |error| <= n eps_double, far below eps_float */     \
    for (int64_t i = 0; i < n; ++i) s += (double)x[i] * (double)x[i];                           \
    return (T)sqrt(s);                                                                          \
  }                                                                                             \
  static int run_##SUFFIX(const specbench_operator* a, int64_t iters, double beta,              \
                          specbench_rng* rng, const specbench_control* control,                 \
                          specbench_result* result) {                                           \
    const int64_t m = a->rows, n = a->cols;                                                     \
    T* cur = (T*)result->v; /* x_k, unit: the right singular vector estimate */                 \
    T* u = (T*)result->u;   /* A x_k / ||A x_k|| */                                            \
    T* prev = calloc((size_t)n, sizeof(T));                                                     \
    T* w = malloc((size_t)n * sizeof(T));                                                       \
    double* g = malloc((size_t)n * sizeof(double));                                             \
    if (!prev || !w || !g) {                                                                    \
      free(prev), free(w), free(g);                                                             \
      snprintf(result->message, sizeof result->message, "out of memory (n = %lld)",           \
               (long long)n);                                                                   \
      return 1;                                                                                 \
    }                                                                                           \
    /* The start: the given v, or n normals from the cell's generator (as power draws it). */  \
    if (control->start_v) {                                                                     \
      memcpy(cur, control->start_v, (size_t)n * sizeof(T));                                    \
    } else {                                                                                    \
      rng->gaussian(rng->context, n, g);                                                        \
      for (int64_t i = 0; i < n; ++i) cur[i] = (T)g[i];                                         \
    }                                                                                           \
    T s = norm_##SUFFIX(cur, n);                                                                \
    for (int64_t i = 0; i < n; ++i) cur[i] /= s;                                                \
    T sigma = 0;                                                                                \
    int32_t status = SPECBENCH_MAX_ITERATIONS, k = 0;                                           \
    while (k < iters) {                                                                         \
      ++k;                                                                                      \
      a->apply(a->context, cur, u); /* y = A x_k */                                            \
      sigma = norm_##SUFFIX(u, m);                                                              \
      if (!(sigma > 0)) { /* A x_k = 0: the zero matrix (x_k is in the null space) */           \
        memset(u, 0, (size_t)m * sizeof(T));                                                    \
        u[0] = 1;                                                                               \
        sigma = 0;                                                                              \
        status = SPECBENCH_BREAKDOWN;                                                           \
        control->iteration(control->context, k, sigma, u, cur, status);                         \
        break;                                                                                  \
      }                                                                                         \
      for (int64_t i = 0; i < m; ++i) u[i] /= sigma;                                            \
      /* sigma = ||A x_k||, u, x_k: the estimate after k iterations */                          \
      if (control->records(control->context, k))                                                \
        control->iteration(control->context, k, sigma, u, cur,                                  \
                           k == iters ? SPECBENCH_MAX_ITERATIONS : status);                      \
      if (k == iters) break;                                                                    \
      /* w = G x_k - beta x_{k-1} = sigma A^T u - beta prev; rescale both by ||w|| */            \
      a->apply_transpose(a->context, u, w);                                                     \
      for (int64_t i = 0; i < n; ++i) w[i] = sigma * w[i] - (T)beta * prev[i];                  \
      s = norm_##SUFFIX(w, n);                                                                  \
      if (!(s > 0)) {                                                                           \
        status = SPECBENCH_BREAKDOWN;                                                           \
        break;                                                                                  \
      }                                                                                         \
      for (int64_t i = 0; i < n; ++i) {                                                         \
        prev[i] = cur[i] / s;                                                                   \
        cur[i] = w[i] / s;                                                                      \
      }                                                                                         \
    }                                                                                           \
    free(prev), free(w), free(g);                                                               \
    result->sigma = sigma;                                                                      \
    result->iterations = k;                                                                     \
    result->status = status;                                                                    \
    return 0;                                                                                   \
  }

DEFINE_RUN(float, f32)
DEFINE_RUN(double, f64)

static int run(const specbench_operator* a, const specbench_params* params, specbench_rng* rng,
               const specbench_control* control, specbench_result* result) {
  int64_t iters = 0;
  double beta = 0;
  if (params->get_int(params->context, "iters", &iters) != 0 ||
      params->get_real(params->context, "beta", &beta) != 0) {
    snprintf(result->message, sizeof result->message, "missing parameters");
    return 1;
  }
  return a->precision == SPECBENCH_F32 ? run_f32(a, iters, beta, rng, control, result)
                                       : run_f64(a, iters, beta, rng, control, result);
}

static const specbench_param_spec kParams[] = {
    {"iters", SPECBENCH_PARAM_INT, "100", "iterations, two products each", NULL, 1, 1e8},
    {"beta", SPECBENCH_PARAM_REAL, "0",
     "momentum; sigma_2^4 / 4 is optimal (0: plain power iteration)", NULL, 0, 1e308},
};

static const specbench_estimator kEstimators[] = {
    {"momentum_power",
     "power iteration with momentum on A^T A (Xu et al. 2018), an example C plug-in",
     kParams, 2, "iters", 1, run},
};

static const specbench_plugin kPlugin = {SPECBENCH_PLUGIN_ABI_VERSION, "momentum_power example",
                                         kEstimators, 1};

const specbench_plugin* specbench_plugin_entry(void) { return &kPlugin; }
