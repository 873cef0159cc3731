#include "harness/cli/commands.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "core/error.hpp"
#include "harness/locate.hpp"

namespace specbench::cli {

void add_plugin_option(CLI::App* cmd, std::vector<std::string>& paths) {
  cmd->add_option("--plugin", paths,
                  "Load estimators from a shared-library plug-in PATH.so "
                  "(include/specbench/plugin.h); repeatable")
      ->take_all()
      ->allow_extra_args(false);
}

const std::vector<std::string>& text_or_json() {
  static const std::vector<std::string> formats = {"text", "json"};
  return formats;
}

std::string pad(std::string s, std::size_t width) {
  // At least two spaces, so a long value never runs into the next column.
  s.append(s.size() + 2 <= width ? width - s.size() : 2, ' ');
  return s;
}

int run_script(const std::string& name, const std::vector<std::string>& args) {
  const std::string script = (source_dir() / "scripts" / name).string();
  const char* python = "/usr/bin/python3";  // Debian's, with matplotlib (see the README)
  SPECBENCH_REQUIRE(std::filesystem::exists(python), python,
                    " not found: install python3-matplotlib (scripts/setup.sh)");
  std::vector<std::string> argv_s = {python, script};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::execv(python, argv.data());
    std::perror("specbench: exec /usr/bin/python3");
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : kExitFailure;
}

}  // namespace specbench::cli
