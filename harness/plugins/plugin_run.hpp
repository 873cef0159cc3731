#pragma once
/// \file
/// One run of a shared-library estimator (include/specbench/plugin.h): the C function tables
/// the plug-in receives (the counted operator, the parameters, the generator, the checkpoints)
/// and the checks on what it returns. Used by harness/plugins/shared_library.cpp.

#include <string>

#include "algorithms/registry.hpp"
#include "include/specbench/plugin.h"

namespace specbench {

/// The EstimatorFn that runs `estimator` (a table inside a loaded library, valid for the life of
/// the process). A run that fails (a nonzero return, SPECBENCH_FAILED, a non-unit or non-finite
/// vector, an unknown status, an iteration callback out of order) throws std::runtime_error
/// naming `origin` and the estimator: the harness makes it an error row.
template <class T>
EstimatorFn<T> plugin_run(const specbench_estimator* estimator, std::string origin);

}  // namespace specbench
