#pragma once
/// \file
/// The on-disk reference cache, shared by every command: a certified reference is computed once
/// per matrix *contents* (not per spec string) and reused by `reference`, `estimate` and `run`.
///
/// Location: $SPECBENCH_CACHE_DIR if set (the value `off` disables the cache), else
/// $XDG_CACHE_HOME/specbench/reference, else $HOME/.cache/specbench/reference. One JSON file per
/// matrix, named by the SHA-256 of (kReferenceVersion, m, n, the column-major double entries),
/// holding the Reference and a SHA-256 checksum of its serialization. A file that does not parse,
/// has another version, key or size, or fails its checksum (a truncated or damaged entry) is
/// reported on stderr and recomputed; entries are written atomically (temporary file + rename).
/// A cache that cannot be written is a warning, never an error.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

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

}  // namespace specbench
