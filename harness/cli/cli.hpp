#pragma once
/// \file
/// The `specbench` command line: list, estimate, reference, run.

namespace specbench {

/// Runs the command line; returns the exit code (0 success, 1 failure, 2 bad input).
int cli_main(int argc, char** argv);

}  // namespace specbench
