#pragma once
/// \file
/// Where specbench's own files are (configs/, scripts/, data/), whatever the working directory.

#include <filesystem>

namespace specbench {

/// The source tree of this specbench: the first folder above the running executable (up to
/// three levels: build/specbench, build/tests/x, build/bench/x) that holds configs/theory.toml
/// and scripts/plot.py, else the source folder it was built from. A moved or copied checkout
/// with its build/ inside therefore still finds its own files.
std::filesystem::path source_dir();

}  // namespace specbench
