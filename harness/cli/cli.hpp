#pragma once
/// \file
/// The `specbench` command line: list, estimate, reference, run, plot, table, compare, record,
/// history, export, check, merge. One file per command group declares its subcommands' options
/// and runs them (commands.hpp); cli.cpp parses and maps errors to exit codes.

namespace specbench {

/// Runs the command line; returns the exit code (0 success, 1 failure, 2 bad input; compare
/// also 3, inconclusive).
int cli_main(int argc, char** argv);

}  // namespace specbench
