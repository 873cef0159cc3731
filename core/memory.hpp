#pragma once
/// \file
/// A workspace check for estimators whose storage grows with a parameter rather than with the
/// matrix (Lanczos without reorthogonalization keeps every basis vector; block Krylov and the
/// randomized SVD keep (steps x block) or l columns): a request that cannot fit this machine's
/// physical memory is refused before it is allocated, with the size it would need, instead of
/// ending in std::bad_alloc or an out-of-memory kill after the run's time was spent.

#include <unistd.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace specbench {

/// This machine's physical memory in bytes (sysconf), or 0 if it is not known.
inline double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? double(pages) * double(size) : 0.0;
}

/// Throws std::runtime_error (a failed run, reported as an error row: the same parameters fit a
/// smaller matrix, so it is not bad input) if `bytes` exceed the physical memory. `what` names the
/// estimator and its parameters in the message.
inline void require_workspace(std::string_view what, double bytes) {
  const double limit = physical_memory_bytes();
  if (limit > 0 && bytes > limit)
    throw std::runtime_error(std::string(what) + " needs " + std::to_string(bytes / 1e9) +
                             " GB of workspace; this machine has " + std::to_string(limit / 1e9) +
                             " GB");
}

}  // namespace specbench
