/* Plug-ins for the tests of the shared-library ABI (tests/harness/test_plugins.cpp, tests/cli):
 * one source, built once per variant (-DVARIANT_...):
 *   VARIANT_MISBEHAVING  a valid library whose estimator `misbehave` fails in the way its `how`
 *                        parameter says (each must become an error row, never a plausible row)
 *   VARIANT_BAD_ABI      declares ABI version 99
 *   VARIANT_NO_ENTRY     exports no specbench_plugin_entry
 *   VARIANT_DUPLICATE    declares an estimator named `power` (a built-in)
 *   VARIANT_BAD_DEFAULT  a default outside the parameter's own range
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <specbench/plugin.h>

#ifndef VARIANT_NO_ENTRY

static const char* const kHow[] = {"ok",        "nan_sigma", "not_unit", "fail", "bad_status",
                                   "out_of_order", "null_vectors", NULL};

/* Fills u = e_1, v = e_1 and sigma = |a_11| (reading a_11 through one product) unless `how`
 * says to misbehave. */
static int run(const specbench_operator* a, const specbench_params* params, specbench_rng* rng,
               const specbench_control* control, specbench_result* result) {
  (void)rng;
  const char* how = "ok";
  params->get_string(params->context, "how", &how);
  double x[64] = {0}, y[64] = {0};
  if (a->precision != SPECBENCH_F64 || a->rows > 64 || a->cols > 64) {
    snprintf(result->message, sizeof result->message, "test plug-in: f64 up to 64 x 64 only");
    return 1;
  }
  x[0] = 1;
  a->apply(a->context, x, y);
  double* u = result->u;
  double* v = result->v;
  memset(u, 0, (size_t)a->rows * sizeof(double));
  memset(v, 0, (size_t)a->cols * sizeof(double));
  u[0] = 1;
  v[0] = 1;
  result->sigma = fabs(y[0]);
  result->iterations = 1;
  result->status = SPECBENCH_MAX_ITERATIONS;
  if (!strcmp(how, "nan_sigma")) result->sigma = NAN;
  if (!strcmp(how, "not_unit")) u[0] = 2;
  if (!strcmp(how, "fail")) {
    snprintf(result->message, sizeof result->message, "it went wrong on purpose");
    result->status = SPECBENCH_FAILED;
  }
  if (!strcmp(how, "bad_status")) result->status = 42;
  if (!strcmp(how, "out_of_order")) {
    control->iteration(control->context, 2, 1.0, u, v, SPECBENCH_MAX_ITERATIONS);
    control->iteration(control->context, 1, 1.0, u, v, SPECBENCH_MAX_ITERATIONS);
  }
  if (!strcmp(how, "null_vectors") && control->n_checkpoints > 0)
    control->iteration(control->context, control->checkpoints[0], 1.0, NULL, NULL,
                       SPECBENCH_MAX_ITERATIONS);
  return 0;
}

static const specbench_param_spec kParams[] = {
    {"how", SPECBENCH_PARAM_CHOICE, "ok", "how to misbehave", kHow, 0, 0},
    {"iters", SPECBENCH_PARAM_INT,
#ifdef VARIANT_BAD_DEFAULT
     "0",
#else
     "1",
#endif
     "iterations (ignored)", NULL, 1, 100},
};

static const specbench_estimator kEstimators[] = {
#if defined(VARIANT_DUPLICATE)
    {"power", "a second power", kParams, 2, "iters", 1, run},
#elif defined(VARIANT_BAD_DEFAULT)
    {"bad_default", "a default out of its range", kParams, 2, "iters", 1, run},
#else
    {"misbehave", "a test estimator that fails on request", kParams, 2, "iters", 1, run},
#endif
};

static const specbench_plugin kPlugin = {
#ifdef VARIANT_BAD_ABI
    99,
#else
    SPECBENCH_PLUGIN_ABI_VERSION,
#endif
    "test plug-in", kEstimators, 1};

const specbench_plugin* specbench_plugin_entry(void) { return &kPlugin; }

#else
int not_a_plugin(void) { return 0; }
#endif
