/* specbench plug-in ABI, version 1: estimators from shared libraries.
 *
 * A plug-in is a shared library (C, C++ or anything that can export a C function) exporting
 *
 *     const specbench_plugin* specbench_plugin_entry(void);
 *
 * which returns a static table of estimators. `specbench --plugin PATH.so` (list, estimate, run)
 * or `plugins = ["PATH.so"]` in a config's [sweep] table loads it; its estimators then run in
 * sweeps, summaries, figures and compare like the built-in ones.
 *
 * Only C types cross the boundary. The harness hands each run:
 *   - the matrix as a table of function pointers (specbench_operator), every product counted by
 *     the harness (a plug-in never counts, and never sees the matrix's storage);
 *   - its validated parameters (specbench_params: defaults filled, ranges checked);
 *   - the cell's random-number generator (specbench_rng: draw the start vector from it to start
 *     exactly like the built-in estimators);
 *   - the checkpoints and a per-iteration callback (specbench_control) for history and
 *     snapshots;
 * and receives sigma, u, v, the iteration count, a status and a message (specbench_result).
 *
 * Rules: the estimator runs on the calling thread, and may be called from several threads at once
 * (one run per thread, each with its own tables): keep no mutable global state. Vectors are
 * arrays of float (SPECBENCH_F32) or double (SPECBENCH_F64) as `precision` says. A plug-in must
 * not longjmp or throw across these functions. It runs inside specbench's process: a crash in it
 * ends specbench (run untrusted or fragile code as an external-process estimator instead).
 */
#ifndef SPECBENCH_PLUGIN_H
#define SPECBENCH_PLUGIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. A library built against another version is refused
 * when loaded (exit 2, naming the file and both versions). */
#define SPECBENCH_PLUGIN_ABI_VERSION 1

/* The exported symbol's name, for dlsym. */
#define SPECBENCH_PLUGIN_ENTRY "specbench_plugin_entry"

enum specbench_precision { SPECBENCH_F32 = 1, SPECBENCH_F64 = 2 };

enum specbench_param_type {
  SPECBENCH_PARAM_INT = 1,    /* a 64-bit integer within [min, max] */
  SPECBENCH_PARAM_REAL = 2,   /* a finite double within [min, max] */
  SPECBENCH_PARAM_BOOL = 3,   /* true or false */
  SPECBENCH_PARAM_CHOICE = 4, /* one of `choices` */
  SPECBENCH_PARAM_STRING = 5  /* any text */
};

/* The status of a finished run (as the built-in estimators report it). */
enum specbench_status {
  SPECBENCH_CONVERGED = 0,      /* the estimator's stopping test held */
  SPECBENCH_MAX_ITERATIONS = 1, /* the iteration budget ran out first */
  SPECBENCH_BREAKDOWN = 2,      /* an invariant subspace was found: exact up to rounding */
  SPECBENCH_FAILED = 3          /* the run failed: `message` says why (an error row) */
};

/* One parameter of an estimator's schema. */
typedef struct specbench_param_spec {
  const char* name;           /* [a-z][a-z0-9_]*, unique within the estimator */
  int32_t type;               /* enum specbench_param_type */
  const char* default_value;  /* as the user would write it ("100", "1e-12", "true", "full");
                                 NULL: the parameter is required */
  const char* help;           /* one line for `specbench list` */
  const char* const* choices; /* SPECBENCH_PARAM_CHOICE: the accepted values, NULL-terminated */
  double min, max;            /* INT and REAL: inclusive bounds (use -1e308 and 1e308 for none) */
} specbench_param_spec;

/* The matrix A (rows x cols), as products. Every pointer is set; x and y never overlap. */
typedef struct specbench_operator {
  void* context;
  int64_t rows, cols;
  int32_t precision; /* enum specbench_precision: the element type of every vector */
  /* y = A x (x: cols entries, y: rows entries) */
  void (*apply)(void* context, const void* x, void* y);
  /* y = A^T x (x: rows entries, y: cols entries) */
  void (*apply_transpose)(void* context, const void* x, void* y);
  /* y = A^T A x (x, y: cols entries): one read of a dense A where the storage allows */
  void (*apply_gram)(void* context, const void* x, void* y);
  /* Y = A X for k columns, column-major (X: cols x k, Y: rows x k); counts k products */
  void (*apply_block)(void* context, int64_t k, const void* x, void* y);
  /* Y = A^T X for k columns, column-major (X: rows x k, Y: cols x k); counts k products */
  void (*apply_transpose_block)(void* context, int64_t k, const void* x, void* y);
} specbench_operator;

/* The run's parameters: every schema entry has a value (defaults filled, ranges checked). The
 * getters return 0 on success and -1 for an unknown name or another type. */
typedef struct specbench_params {
  void* context;
  int (*get_int)(void* context, const char* name, int64_t* value);
  int (*get_real)(void* context, const char* name, double* value);
  int (*get_bool)(void* context, const char* name, int32_t* value);
  /* CHOICE and STRING values; the text stays valid during the run */
  int (*get_string)(void* context, const char* name, const char** value);
} specbench_params;

/* The cell's random-number generator (seeded from the cell's seed). */
typedef struct specbench_rng {
  void* context;
  uint64_t seed; /* the cell's seed */
  /* n standard normal numbers, exactly as the built-in estimators draw their start vectors
   * (so a plug-in that draws v this way starts from the same v as power and lanczos) */
  void (*gaussian)(void* context, int64_t n, double* out);
  /* 64 uniformly random bits */
  uint64_t (*next_u64)(void* context);
} specbench_rng;

/* Checkpoints and the per-iteration callback. */
typedef struct specbench_control {
  void* context;
  /* The iteration counts at which the harness wants a snapshot, increasing (may be empty). A
   * nested estimator runs once to the largest; others see none and report only the end. */
  const int32_t* checkpoints;
  int64_t n_checkpoints;
  /* A given start: u (rows entries) and v (cols entries), or NULL (draw from `rng`). */
  const void* start_u;
  const void* start_v;
  /* Nonzero if sigma after iteration k is used (the history or a checkpoint keeps it): an
   * estimator whose sigma costs extra work may skip it and the `iteration` call otherwise. */
  int (*records)(void* context, int32_t k);
  /* Nonzero if iteration k is a checkpoint: `iteration` must then be given u and v. */
  int (*wants)(void* context, int32_t k);
  /* After iteration k (1, 2, ...): the estimate sigma, and u (rows), v (cols) as they would be
   * returned had the run stopped here (may be NULL unless wants(k)); `status` as the run would
   * end here (enum specbench_status). */
  void (*iteration)(void* context, int32_t k, double sigma, const void* u, const void* v,
                    int32_t status);
} specbench_control;

/* What a run returns. u and v are harness-owned buffers of rows and cols entries (of the
 * precision's type): write the final unit singular vector estimates into them. */
typedef struct specbench_result {
  double sigma;
  void* u;
  void* v;
  int32_t iterations;
  int32_t status;    /* enum specbench_status */
  char message[512]; /* SPECBENCH_FAILED: why (NUL-terminated); otherwise optional */
} specbench_result;

/* One estimator. */
typedef struct specbench_estimator {
  const char* name;    /* [a-z][a-z0-9_]*, unique among all estimators specbench knows */
  const char* summary; /* one line for `specbench list` */
  const specbench_param_spec* params;
  int32_t n_params;
  const char* iteration_param; /* the INT parameter counting iterations, or NULL */
  int32_t nested;              /* nonzero: one run to the largest count yields every checkpoint */
  /* Runs the estimator. Returns 0 with `result` filled; nonzero (or status SPECBENCH_FAILED)
   * makes the run an error row carrying result->message. */
  int (*run)(const specbench_operator* a, const specbench_params* params, specbench_rng* rng,
             const specbench_control* control, specbench_result* result);
} specbench_estimator;

/* The table a plug-in returns. */
typedef struct specbench_plugin {
  int32_t abi_version; /* SPECBENCH_PLUGIN_ABI_VERSION of the header it was built with */
  const char* name;    /* the plug-in's name, for messages */
  const specbench_estimator* estimators;
  int32_t n_estimators;
} specbench_plugin;

/* The entry point every plug-in exports (SPECBENCH_PLUGIN_ENTRY). */
const specbench_plugin* specbench_plugin_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* SPECBENCH_PLUGIN_H */
