#pragma once
/// \file
/// The on-disk reference cache, shared by every command: a certified reference is computed once
/// per matrix *contents* (not per spec string) and reused by `reference`, `estimate` and `run`.
///
/// Location: $SPECBENCH_CACHE_DIR if set (the value `off` disables the cache), else
/// $XDG_CACHE_HOME/specbench/reference, else $HOME/.cache/specbench/reference. One JSON file per
/// matrix, named by the SHA-256 of (kReferenceVersion, m, n, the column-major double entries),
/// holding the Reference and a SHA-256 checksum of its serialization. Only a regular file is
/// read (never through a symbolic link, never blocking on a FIFO, never larger than the matrix's
/// reference can be). An entry that does not parse, has another version, key or size, fails its
/// checksum (damage), has a field of the wrong type or outside what compute_reference produces,
/// or fails the invariants against the matrix (reference_check.hpp: a hand-edited sigma1 whose
/// checksum was recomputed) is treated as absent: one warning line on stderr naming the file,
/// and the reference is recomputed and the entry replaced (AtomicFile: temporary file, fsync,
/// rename; a link or FIFO at the entry's name is replaced, never written through).
/// A cache that cannot be written is a warning, never an error.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "algorithms/sparse.hpp"
#include "reference/reference.hpp"

namespace specbench {

struct CachedReference {
  Reference ref;
  bool hit = false;  ///< read from the cache (false: computed now)
};

/// The cache directory, or an empty path if caching is off.
std::filesystem::path reference_cache_dir();

/// The cache key of an m x n column-major double matrix: 64 hex digits (SHA-256).
std::string reference_cache_key(const double* a, std::int64_t m, std::int64_t n);

/// compute_reference, through the cache.
CachedReference cached_reference(const double* a, std::int64_t m, std::int64_t n);

/// The cache key of a CSR matrix (its row pointers, columns and values), distinct from every
/// dense key.
std::string sparse_reference_cache_key(const CsrMatrix<double>& a);

/// The sparse certified reference (reference/sparse_reference.hpp), through the cache, with its
/// factor limited to half the physical memory.
CachedReference cached_sparse_reference(const CsrMatrix<double>& a);

}  // namespace specbench
