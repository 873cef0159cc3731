#pragma once
/// \file
/// Internal to sweep/: progress on stderr.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

#include "harness/experiment/experiment.hpp"

namespace specbench {

/// "0.12 s" below 10 s, "42 s" above.
std::string format_seconds(double s);

/// Progress on stderr: a redrawn bar when stderr is a terminal, a plain line every 5 s
/// otherwise (logs of batch jobs). Safe to call from several threads.
class Progress {
 public:
  using Clock = std::chrono::steady_clock;
  Progress(std::size_t total, bool quiet);
  /// A line of its own (the bar, if drawn, is cleared first).
  void message(const std::string& text);
  /// A problem was built: its size, precision and reference.
  void problem(const Problem& p);
  /// A problem could not be built: its cells become error rows.
  void problem_error(const MatrixSpec& spec, const std::string& error);
  /// A resume kept cells (and maybe dropped the rows of incomplete ones).
  void resuming(std::size_t done_cells, std::size_t dropped_rows);
  /// `cells` more cells are finished.
  void advance(std::size_t cells);

 private:
  std::string line(Clock::time_point now) const;
  std::mutex mutex_;
  std::size_t total_, done_ = 0;
  bool quiet_, tty_, drawn_ = false;
  Clock::time_point start_ = Clock::now(), last_ = Clock::now() - std::chrono::hours(1);
};

}  // namespace specbench
