#pragma once
/// \file
/// Internal to sweep/: what the executor's parts (cells, drift groups, the timing phase) share.

#include <cstddef>
#include <map>
#include <vector>

#include "harness/experiment/experiment.hpp"

namespace specbench {

/// The rows of finished cells, by plan run index (so in plan order).
using CellRows = std::map<std::size_t, std::vector<Row>>;

}  // namespace specbench
