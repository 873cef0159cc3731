#pragma once
/// \file
/// Build provenance, generated at build time by cmake/build_info.cmake.

namespace specbench::build_info {
extern const char* const kGitCommit;  ///< `git rev-parse HEAD` at build time, or "unknown"
extern const char* const kGitDirty;  ///< "true" if tracked files had changes, "false", or "unknown"
extern const char* const kCompilerId;       ///< e.g. "GNU"
extern const char* const kCompilerVersion;  ///< e.g. "12.2.0"
extern const char* const kBuildType;        ///< CMAKE_BUILD_TYPE
extern const char* const kCxxFlags;         ///< CMAKE_CXX_FLAGS plus the build type's flags
extern const char* const kVersion;          ///< specbench's version
}  // namespace specbench::build_info
