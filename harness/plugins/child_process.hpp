#pragma once
/// \file
/// A child process with pipes on its stdin, stdout and stderr, for external estimators
/// (harness/plugins/protocol.hpp). Started by posix_spawn (no shell) in a process group of its
/// own, so that a timeout kills the plug-in and everything it started. Every read and write
/// polls with a deadline and drains stderr meanwhile (a child blocked on a full stderr pipe
/// never stalls the harness); the last kStderrTail bytes of stderr are kept for error messages.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace specbench {

/// A plug-in misbehaved (crashed, timed out, sent garbage): the message says what happened. It
/// is a failure of one cell (an error row), never bad input of the config.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The deadline passed (the subclass lets the caller name the timeout in its message).
class PluginTimeout : public PluginError {
 public:
  using PluginError::PluginError;
};

using Deadline = std::chrono::steady_clock::time_point;

/// The deadline `seconds` from now (saturating: a huge timeout never overflows).
Deadline deadline_in(double seconds);

class ChildProcess {
 public:
  /// Bytes of stderr kept for messages (the tail).
  static constexpr std::size_t kStderrTail = 2048;

  /// Starts `argv` (argv[0] is searched in PATH if it has no '/') with working directory `cwd`
  /// (empty: ours). Throws PluginError if it cannot start.
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& cwd);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Writes all of `bytes` to the child's stdin. Throws PluginTimeout at the deadline and
  /// PluginError if the child closed its stdin (or exited).
  void write(std::string_view bytes, Deadline deadline);
  /// One line of the child's stdout without its '\n'. Throws PluginError if the line exceeds
  /// `max_length` bytes (nothing beyond it is buffered) or the child closes stdout first, and
  /// PluginTimeout at the deadline.
  std::string read_line(std::size_t max_length, Deadline deadline);
  /// Exactly `n` bytes of stdout into `out` (the caller allocated them after checking n).
  void read_bytes(char* out, std::size_t n, Deadline deadline);
  /// Closes the child's stdin (end of the conversation).
  void close_stdin();
  /// Stdout read but not returned yet (a last line without its '\n'), removed from the buffer.
  std::string take_buffered() { return std::exchange(buffer_, std::string()); }
  /// Waits until `deadline` for the child to exit; kills its process group if it has not.
  /// Returns how it ended ("exited with status 0", "was killed by signal 11 (Segmentation
  /// fault)").
  std::string finish(Deadline deadline);
  /// SIGKILL to the child's process group, then reaps it.
  void kill();
  /// The last kStderrTail bytes of stderr read so far, control characters as spaces or " | ".
  std::string stderr_tail();
  pid_t pid() const { return pid_; }

 private:
  /// Polls until `fd` is ready for `events` (POLLIN / POLLOUT) or the deadline; stderr is read
  /// meanwhile. False at the deadline.
  bool wait_for(int fd, short events, Deadline deadline);
  void read_stderr();
  /// Why stdout ended: how the child exited, if it did within a short grace.
  [[noreturn]] void fail_closed(std::string_view what);
  bool reap(bool block);

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string buffer_;  ///< stdout read but not consumed yet
  std::string tail_;    ///< the last stderr bytes
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace specbench
