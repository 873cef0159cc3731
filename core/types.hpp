#pragma once
/// \file
/// Index types shared by every layer.

#include <cstdint>

namespace specbench {

/// Matrix dimensions and indices (signed, 64-bit: BLAS calls check the int range).
using Index = std::int64_t;

}  // namespace specbench
