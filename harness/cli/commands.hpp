#pragma once
/// \file
/// The subcommands of `specbench`, one function each that declares the subcommand and its
/// options on the application and returns how to run it once parsed. Grouped by concern:
///   estimate_commands.cpp    estimate, export      (one matrix spec)
///   sweep_commands.cpp       run, merge            (sweeps and their shards)
///   regression_commands.cpp  compare, record, history
///   info_commands.cpp        list, reference, check, plot, table

#include <CLI/CLI.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace specbench::cli {

/// Exit codes (compare adds 3, inconclusive: harness/regression/compare.hpp).
inline constexpr int kExitSuccess = 0, kExitFailure = 1, kExitBadInput = 2;

/// A subcommand: its CLI11 node, and what runs it once the command line is parsed (it may
/// throw; cli_main maps exceptions to exit codes).
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

Command add_list(CLI::App& app);
Command add_estimate(CLI::App& app);
Command add_reference(CLI::App& app);
Command add_run(CLI::App& app);
Command add_plot(CLI::App& app);
Command add_table(CLI::App& app);
Command add_compare(CLI::App& app);
Command add_record(CLI::App& app);
Command add_history(CLI::App& app);
Command add_export(CLI::App& app);
Command add_check(CLI::App& app);
Command add_merge(CLI::App& app);

// ---- shared by the commands ----

/// Adds `--plugin PATH` (repeatable) to `cmd`: shared-library estimators
/// (include/specbench/plugin.h). The command loads `paths` (load_plugin_libraries) before it
/// resolves any estimator name.
void add_plugin_option(CLI::App* cmd, std::vector<std::string>& paths);

/// The --format choices of list, estimate and reference.
const std::vector<std::string>& text_or_json();

/// `s` padded to `width` with at least two spaces, so a long value never runs into the next
/// column.
std::string pad(std::string s, std::size_t width);

/// Runs /usr/bin/python3 scripts/NAME with `args` (no shell: arguments are passed as they are);
/// returns its exit code.
int run_script(const std::string& name, const std::vector<std::string>& args);

}  // namespace specbench::cli
