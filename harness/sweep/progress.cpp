#include "harness/sweep/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "harness/results/output.hpp"

namespace specbench {

std::string format_seconds(double s) {
  std::ostringstream out;
  out.precision(s < 10 ? 2 : 0);
  out << std::fixed << s << " s";
  return out.str();
}

Progress::Progress(std::size_t total, bool quiet)
    : total_(total), quiet_(quiet), tty_(::isatty(2)) {}

void Progress::message(const std::string& text) {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  if (tty_ && drawn_) std::cerr << "\r\033[K";
  std::cerr << text << "\n";
  drawn_ = false;
}

void Progress::problem(const Problem& p) {
  message("matrix " + p.spec.text + " (" + std::to_string(p.rows()) + " x " +
          std::to_string(p.cols()) + ", " + std::string(to_string(p.precision)) +
          "): reference sigma1 = " + p.ref.sigma1_text + " +- " + format_double(p.ref.bound) +
          " in " + format_seconds(p.ref_time_s) + (p.ref_cache_hit ? " (cached)" : "") +
          (p.file_bytes > 0
               ? "; file read in " + format_seconds(p.read_s) + " (" +
                     format_double(std::round(p.file_bytes / 1e5) / 10) + " MB, " +
                     format_double(std::round(p.file_bytes / 1e5 / std::max(p.read_s, 1e-9)) / 10) +
                     " MB/s)"
               : ""));
}

void Progress::problem_error(const MatrixSpec& spec, const std::string& error) {
  message("matrix " + spec.text + ": error: " + error);
}

void Progress::resuming(std::size_t done_cells, std::size_t dropped_rows) {
  if (done_cells == 0) return;
  message("resuming: " + std::to_string(done_cells) + " cells already done" +
          (dropped_rows ? ", " + std::to_string(dropped_rows) + " rows of incomplete cells dropped"
                        : ""));
}

void Progress::advance(std::size_t cells) {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  done_ += cells;
  const auto now = Clock::now();
  const bool last = done_ == total_;
  if (!last && now - last_ < (tty_ ? std::chrono::milliseconds(200) : std::chrono::seconds(5)))
    return;
  last_ = now;
  std::cerr << line(now) << (tty_ && !last ? "" : "\n") << std::flush;
  drawn_ = tty_ && !last;
}

std::string Progress::line(Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? double(done_) / elapsed : 0;
  const double left = rate > 0 ? double(total_ - done_) / rate : 0;
  std::ostringstream line;
  if (tty_) {
    const int width = 30, filled = total_ ? int(width * done_ / total_) : width;
    line << "\r\033[K[" << std::string(std::size_t(filled), '#')
         << std::string(std::size_t(width - filled), '.') << "] ";
  }
  line << done_ << "/" << total_ << " cells, " << std::fixed << std::setprecision(1) << rate
       << " cells/s, " << format_seconds(elapsed) << " elapsed, ETA " << format_seconds(left);
  return line.str();
}

}  // namespace specbench
