#pragma once
/// \file
/// `specbench compare` of two Google Benchmark JSON files: per benchmark, the real times of its
/// repetitions judged as timing samples (timing.hpp).

#include <filesystem>
#include <ostream>

#include "harness/regression/compare.hpp"

namespace specbench::regression {

/// Whether `p` is a file whose name ends in .json (a benchmark file, not a sweep directory).
bool is_benchmark_file(const std::filesystem::path& p);

/// Compares the benchmarks of `current` with those of `baseline`, prints the report and returns
/// the exit code (kComparePass, kCompareRegression or kCompareInconclusive).
int compare_benchmarks(const std::filesystem::path& baseline, const std::filesystem::path& current,
                       const CompareOptions& o, std::ostream& out);

}  // namespace specbench::regression
