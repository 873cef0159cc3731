#pragma once
/// \file
/// A fresh directory under the system temp dir for a test, removed with its files at the end.

#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace specbench::test {

struct TempDir {
  std::filesystem::path dir;
  explicit TempDir(const std::string& prefix = "specbench-test") {
    static std::atomic<int> counter{0};
    dir = std::filesystem::temp_directory_path() /
          (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
           std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Writes `text` to DIR/name and returns the path.
  std::string write(const std::string& name, const std::string& text) const {
    const std::filesystem::path p = dir / name;
    std::ofstream out(p, std::ios::binary);
    out << text;
    BOOST_REQUIRE(out.good());
    return p.string();
  }
};

}  // namespace specbench::test
