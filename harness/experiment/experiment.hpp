#pragma once
/// \file
/// One experiment: a matrix in one precision with its reference (a Problem), and an estimator run
/// on it that yields one Row per checkpoint. Shared by `specbench estimate` and `specbench run`,
/// so that a sweep cell and the equivalent `estimate` command give bit-identical numbers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "algorithms/dense.hpp"
#include "algorithms/registry.hpp"
#include "algorithms/sparse.hpp"
#include "harness/workloads/matrices.hpp"
#include "reference/reference.hpp"

namespace specbench {

enum class Precision { F32, F64 };
std::string_view to_string(Precision p);
/// "f32" | "f64" (also "float32", "float", "float64", "double"); InvalidArgument otherwise.
Precision parse_precision(std::string_view text);

/// A matrix in one precision with its reference. For f32 the estimator sees the float-rounded
/// matrix, and the reference and all metrics are computed on exactly that matrix (converted
/// back to double, which is exact), so float errors measure the estimator, not the rounding.
/// How the estimator's operator stores the matrix.
enum class Storage { Dense, Sparse };
std::string_view to_string(Storage s);

struct Problem {
  MatrixSpec spec;
  Precision precision = Precision::F64;
  /// The matrix, in double (the reference and metrics use it); empty (0 x 0) for a sparse
  /// family, which exists only as CSR (s64, s32): see rows(), cols().
  DenseMatrix<double> a64;
  DenseMatrix<float> a32;  ///< the same matrix in float (f32 only)
  /// Sparse storage for the estimator (CSR, with a transpose for A^T x): chosen for Matrix Market
  /// files with at most a third of the entries nonzero, where it streams less memory than dense.
  Storage storage = Storage::Dense;
  CsrMatrix<double> s64;  ///< sparse f64 operator data (storage == Sparse)
  CsrMatrix<float> s32;   ///< sparse f32 operator data (storage == Sparse, f32)
  Reference ref;
  double max_abs = 0;          ///< max |a_ij| (chooses the estimators' power-of-two scaling)
  double ref_time_s = 0;       ///< seconds to compute the reference, or to read it from the cache
  bool ref_cache_hit = false;  ///< the reference came from the cache
  /// True if the matrix exists only as CSR (a sparse family): a64 and a32 are empty, and the
  /// reference is the sparse certified one.
  bool sparse_only = false;
  /// A Matrix Market file's size in bytes and the seconds it took to read (0 for families).
  double file_bytes = 0, read_s = 0;
  Index rows() const { return sparse_only ? Index(s64.rows()) : a64.rows(); }
  Index cols() const { return sparse_only ? Index(s64.cols()) : a64.cols(); }
};

/// The problem of a spec: make_problem of the generated (or loaded) matrix, or for a sparse
/// family its CSR matrix with the sparse certified reference, never densified.
Problem make_problem(const MatrixSpec& spec, Precision precision);

/// Builds the problem from a generated double matrix (rounding to float for f32) and computes
/// its reference.
Problem make_problem(const MatrixSpec& spec, const DenseMatrix<double>& generated,
                     Precision precision);

/// For f32 runs: every entry must be a normal float or zero once rounded (|a| <= FLT_MAX and
/// |a| >= FLT_MIN unless 0); otherwise InvalidArgument naming the spec, the entry and its value.
void require_float_range(const MatrixSpec& spec, const DenseMatrix<double>& a);
void require_float_range(const MatrixSpec& spec, const CsrMatrix<double>& a);

/// The sparse-storage rule of make_problem: Matrix Market files with nnz <= m n / 3.
bool prefers_sparse(const MatrixSpec& spec, const DenseMatrix<double>& a);

/// A validated estimator choice: registry entry plus complete parameters.
struct EstimatorChoice {
  const EstimatorInfo* info = nullptr;
  ParamSet params;
};

/// Parses `name[:key=value,...]` against the registry; InvalidArgument lists what is accepted.
EstimatorChoice parse_estimator_spec(std::string_view text);

/// A row's outcome: the estimator's Status at that checkpoint, or Error for a run that failed.
enum class RunStatus { Converged, MaxIterations, Breakdown, Error };

/// "converged", "max_iterations", "breakdown", "error": the text of runs.csv's status column.
std::string_view to_string(RunStatus s);
/// The status named `text`, or false if there is none.
bool parse_run_status(std::string_view text, RunStatus& out);
/// The row status of an estimator's Status.
RunStatus run_status(Status s);

/// One output row: the cell's keys, the estimate and its metrics. Columns are documented in the
/// README; `row_columns()` gives their names in order.
struct Row {
  std::string matrix, family;
  long long m = 0, n = 0;
  std::string precision, storage, estimator, params;  ///< params: canonical, at this checkpoint
  std::uint64_t seed = 0;
  int step = -1;  ///< drift step t (W_t); -1 outside drift runs (empty in CSV, null in JSON)
  long long checkpoint = 0;
  double sigma = 0, sigma_ref = 0, ref_bound = 0, sigma2_ref = 0;
  int cluster_size = 1;  ///< multiplicity of sigma1 (cosine errors become subspace sin^2 if > 1)
  double rel_err = 0, u_cos_err = 0, v_cos_err = 0, residual = 0, normalized_norm = 0;
  long long iterations = 0, matvecs = 0;
  double time_s = 0;
  double time_spread = 0;  ///< (max - min) / median of the timing repeats (0 for one timing)
  RunStatus status = RunStatus::MaxIterations;
  std::string message;
  std::string cell;  ///< the sweep cell's key (empty outside sweeps)
  /// Who counted `matvecs` and measured `time_s`: "harness" (its counted operator and clock), or
  /// "plugin" (a matrix-mode external estimator's own report). Absent from runs.csv files
  /// written before the column existed, which read as "harness" (they had only built-ins).
  std::string counted_by = "harness";
  std::vector<double> u, v;  ///< filled only when asked for (not written to CSV)
};

/// Marks `row` as failed: status "error", the message, and NaN estimate and metrics.
void mark_error(Row& row, std::string message);

/// The row of a run that could not start (its matrix failed to load, say): the cell's keys only.
Row failed_row(const MatrixSpec& spec, Precision precision, const EstimatorChoice& choice,
               std::uint64_t seed, std::string message);

/// An estimator run: its rows (one per checkpoint), and the per-iteration history of the run.
struct RunOutput {
  std::vector<Row> rows;
  std::vector<IterationRecord<double>> history;
};

/// Runs `choice` on `problem` with the generator seeded by `seed`. With `checkpoints` non-empty
/// and a nested estimator, runs once to the largest checkpoint (its iteration parameter is set to
/// it) and returns one row per checkpoint; otherwise one row. `time_s` of a row is the estimator's
/// wall time up to that checkpoint, excluding the harness's own work at earlier checkpoints.
/// A run that throws (other than InvalidArgument) or yields a non-finite sigma becomes rows with
/// status "error" and the message; bad arguments propagate as InvalidArgument.
/// `start_u`: a given initial left vector (length m, in double; rounded to the working
/// precision), only for estimators that take one (EstimatorInfo::takes_start).
/// `start_v`: the previous v of a drift run (length n), for estimators that carry state.
/// `threads`: workers of the fused Gram kernel on dense matrices (algorithms/gram.hpp) and of the
/// CSR products (algorithms/sparse.hpp); the results are bit-identical for every value, only the
/// time changes. BLAS stays as set.
/// `history`: the per-iteration records RunOutput::history keeps (none for a sweep, whose rows
/// are the checkpoints; `estimate --history`).
RunOutput run_estimator(const Problem& problem, const EstimatorChoice& choice, std::uint64_t seed,
                        const std::vector<int>& checkpoints, bool keep_vectors = false,
                        const std::vector<double>& start_u = {},
                        const std::vector<double>& start_v = {}, int threads = 1,
                        History history = History::None);

}  // namespace specbench
