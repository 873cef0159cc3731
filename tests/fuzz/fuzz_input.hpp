#pragma once
/// \file
/// Shared by the fuzz targets: the readers under test take paths, so each input is written to a
/// private temporary file first; and the one outcome a hostile input may have besides success
/// is specbench's InvalidArgument (exit 2, a message naming the file). Anything else -- a crash,
/// an ASan/UBSan report, another exception type (std::out_of_range from a stray stoi,
/// std::bad_alloc from an unchecked size), a hang or unbounded memory (libFuzzer's -timeout and
/// -rss_limit_mb) -- is a finding.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"

namespace specbench::fuzz {

/// A per-process file `NAME` in a private temporary folder, rewritten with each input.
inline std::filesystem::path input_file(const std::string& name, const std::uint8_t* data,
                                        std::size_t size) {
  static const std::filesystem::path dir = [] {
    auto d =
        std::filesystem::temp_directory_path() / ("specbench-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), std::streamsize(size));
  return path;
}

/// Runs `f`; InvalidArgument (a clean refusal) is expected, everything else propagates.
template <class F>
void expect_clean(F&& f) {
  try {
    f();
  } catch (const InvalidArgument&) {
  }
}

}  // namespace specbench::fuzz
