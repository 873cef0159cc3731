#include "harness/locate.hpp"

#include <system_error>

namespace specbench {

std::filesystem::path source_dir() {
  namespace fs = std::filesystem;
  auto is_tree = [](const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "configs" / "theory.toml", ec) &&
           fs::is_regular_file(dir / "scripts" / "plot.py", ec);
  };
  std::error_code ec;
  const fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (!ec) {
    fs::path dir = exe.parent_path();
    for (int level = 0; level < 3 && !dir.empty(); ++level, dir = dir.parent_path()) {
      if (is_tree(dir.parent_path())) return dir.parent_path();
      if (dir == dir.root_path()) break;
    }
  }
  return fs::path(SPECBENCH_SOURCE_DIR);
}

}  // namespace specbench
