#pragma once
/// \file
/// summary.csv: statistics of a sweep's runs.csv, per estimator, parameters, matrix family, size,
/// precision and checkpoint (aggregated over seeds and over the matrices of a family and size).

#include <filesystem>
#include <string>
#include <vector>

#include "harness/results/output.hpp"
#include "harness/statistics.hpp"

namespace specbench {

/// The text of summary.csv for `runs` (typed rows, never re-read from a file). Columns:
/// estimator, params, family, m, n, precision, checkpoint, rows, errors; for each of rel_err,
/// u_cos_err, v_cos_err, normalized_norm: _median, _p10, _p90, _max, _mean (over rows without
/// error); for each tolerance tol: fail_TOL (fraction of rows with rel_err > tol, error rows
/// counting as failures), fail_TOL_lo and fail_TOL_hi (95% Clopper-Pearson interval); and
/// time_median. Groups appear in order of first appearance in `runs` (runs.csv order). Drift
/// rows (step column set) are grouped per step as well.
std::string summary_csv(const std::vector<Row>& runs, const std::vector<double>& tolerances);

/// summary_csv(runs, tolerances) written to `path` atomically.
void write_summary(const std::vector<Row>& runs, const std::vector<double>& tolerances,
                   const std::filesystem::path& path);

}  // namespace specbench
