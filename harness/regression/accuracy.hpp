#pragma once
/// \file
/// The accuracy part of a sweep comparison: rows matched by cell, checkpoint and step; cells
/// that now fail or now run, missing and new cells, status changes, certified references that
/// disagree, accuracy columns beyond their rounding-noise tolerance (tolerance.hpp) and changed
/// work counts. Row-level verdicts are aggregated per cell, column and kind: one finding each.

#include <vector>

#include "harness/regression/compare.hpp"
#include "harness/regression/finding.hpp"
#include "harness/regression/run_set.hpp"

namespace specbench::regression {

struct AccuracyReport {
  std::vector<Finding> findings;
  std::size_t compared = 0;  ///< rows matched on both sides
};

/// Compares the rows of the current run `cur` with those of the baseline run `base`.
AccuracyReport compare_accuracy(const RunDir& base, const RunDir& cur, const CompareOptions& o);

}  // namespace specbench::regression
