#pragma once
/// \file
/// Provenance recorded in every output: what code, built how, ran where and when.

#include <nlohmann/json.hpp>

namespace specbench {

/// Sets the BLAS thread count. specbench runs BLAS single-threaded by default: threaded
/// reductions in OpenBLAS (dot, nrm2) sum in an order that depends on the thread count, which
/// would break bit-identical results.
void set_blas_threads(int threads);

/// {specbench_version, git_commit, git_dirty, compiler, build_type, cxx_flags, blas, blas_threads,
///  cpu, cores, hostname, time_utc}
nlohmann::json provenance();

/// Current UTC time as ISO 8601 (2026-11-24T19:23:40Z).
std::string utc_now();

}  // namespace specbench
