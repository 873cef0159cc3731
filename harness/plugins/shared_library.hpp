#pragma once
/// \file
/// Estimators from shared libraries through the C ABI of include/specbench/plugin.h.
///
/// load_plugin_library dlopens a library, checks its ABI version and every estimator it
/// declares (names, schema, defaults, iteration parameter), and registers each as an
/// EstimatorInfo whose origin is the library's path. A run hands the plug-in the harness's
/// counted operator, the validated parameters, the cell's generator and the checkpoints as C
/// function tables (harness/plugins/plugin_run.cpp), and checks what comes back (finite sigma,
/// unit vectors of the right length, a known status) before it becomes a row.

#include <filesystem>
#include <string>
#include <vector>

namespace specbench {

/// A loaded plug-in, for provenance (meta.json, estimate's JSON).
struct LoadedPlugin {
  std::string path;    ///< canonical path of the library
  std::string name;    ///< the name the plug-in gives itself
  std::string sha256;  ///< of the library file, as loaded
  std::vector<std::string> estimators;
};

/// Loads the library at `path` (relative paths are taken from the current folder) and registers
/// its estimators. Loading the same file again does nothing. Throws InvalidArgument naming the
/// file for a library that cannot be loaded, lacks the entry point, speaks another ABI version,
/// or declares an invalid estimator (bad or duplicate name, bad schema, a default out of range).
void load_plugin_library(const std::filesystem::path& path);

/// Loads each of `paths` in order (the --plugin options of a command).
void load_plugin_libraries(const std::vector<std::string>& paths);

/// The plug-ins loaded so far, in load order.
const std::vector<LoadedPlugin>& loaded_plugins();

}  // namespace specbench
