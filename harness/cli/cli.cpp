#include "harness/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/build_info.hpp"
#include "harness/cli/commands.hpp"
#include "harness/provenance.hpp"

namespace specbench {
namespace {

using cli::Command;

/// Runs the parsed subcommand; an InvalidArgument (bad input) is exit 2, any other failure 1.
int run_parsed(const std::vector<Command>& commands) {
  try {
    for (const Command& c : commands)
      if (*c.app) return c.run();
  } catch (const std::invalid_argument& e) {  // includes specbench::InvalidArgument
    std::cerr << "specbench: error: " << e.what() << "\n";
    return cli::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "specbench: failure: " << e.what() << "\n";
    return cli::kExitFailure;
  }
  return cli::kExitBadInput;
}

}  // namespace

int cli_main(int argc, char** argv) {
  // Single-threaded BLAS: bit-identical results whatever the machine (see provenance.hpp).
  set_blas_threads(1);

  CLI::App app{
      "specbench: numerical verification and benchmarking of spectral-norm estimators.\n"
      "Exit codes: 0 success, 1 failure, 2 bad input."};
  app.set_version_flag("--version", std::string("specbench ") + build_info::kVersion + " (" +
                                        build_info::kGitCommit + ")");
  app.require_subcommand(1);
  // In the order `specbench --help` lists them (a braced list runs left to right).
  const std::vector<Command> commands = {
      cli::add_list(app),    cli::add_estimate(app), cli::add_reference(app), cli::add_run(app),
      cli::add_plot(app),    cli::add_table(app),    cli::add_compare(app),   cli::add_record(app),
      cli::add_history(app), cli::add_export(app),   cli::add_check(app),     cli::add_merge(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitBadInput;
  }
  return run_parsed(commands);
}

}  // namespace specbench
