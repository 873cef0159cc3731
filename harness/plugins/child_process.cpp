#include "harness/plugins/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace specbench {
namespace {

using Clock = std::chrono::steady_clock;

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

/// A pipe whose ends are close-on-exec (another thread's child never inherits them); the
/// child's ends become its 0, 1, 2 through dup2, which clears the flag.
void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw PluginError(std::string("cannot create a pipe: ") + std::strerror(errno));
}

void set_nonblocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int ms_until(Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return int(std::clamp<long long>(left.count(), 0, 1000));
}

/// Spawn attributes: a new process group, default signal dispositions and an empty mask (the
/// harness blocks SIGPIPE while it writes).
struct SpawnAttributes {
  posix_spawnattr_t attr;
  SpawnAttributes() {
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attr); }
};

std::string exit_text(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  return "ended with wait status " + std::to_string(status);
}

}  // namespace

Deadline deadline_in(double seconds) {
  const double capped = std::clamp(seconds, 0.0, 1e7);  // ~4 months: never overflows
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(capped));
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& cwd) {
  if (argv.empty()) throw PluginError("an empty command");
  int in[2], out[2], err[2];
  make_pipe(in);
  make_pipe(out);
  make_pipe(err);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  SpawnAttributes attributes;
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = posix_spawnp(&pid_, args[0], &actions, &attributes.attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  in_ = in[1];
  out_ = out[0];
  err_ = err[0];
  if (rc != 0) {
    close_fd(in_);
    close_fd(out_);
    close_fd(err_);
    pid_ = -1;
    throw PluginError("cannot start '" + argv[0] + "': " + std::strerror(rc));
  }
  set_nonblocking(in_);
  set_nonblocking(out_);
  set_nonblocking(err_);
}

ChildProcess::~ChildProcess() {
  kill();
  close_fd(in_);
  close_fd(out_);
  close_fd(err_);
}

void ChildProcess::read_stderr() {
  char chunk[4096];
  while (err_ >= 0) {
    const ssize_t got = ::read(err_, chunk, sizeof chunk);
    if (got > 0) {
      tail_.append(chunk, std::size_t(got));
      if (tail_.size() > kStderrTail) tail_.erase(0, tail_.size() - kStderrTail);
    } else if (got == 0) {
      close_fd(err_);
    } else if (errno != EINTR) {
      return;  // EAGAIN: nothing more now
    }
  }
}

bool ChildProcess::wait_for(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd fds[2] = {{fd, events, 0}, {err_, POLLIN, 0}};
    const int rc = ::poll(fds, err_ >= 0 ? 2 : 1, ms_until(deadline));
    if (rc < 0 && errno != EINTR)
      throw PluginError(std::string("poll failed: ") + std::strerror(errno));
    if (rc > 0 && fds[1].revents) read_stderr();
    if (rc > 0 && fds[0].revents) return true;
    if (Clock::now() >= deadline) return false;
  }
}

void ChildProcess::write(std::string_view bytes, Deadline deadline) {
  // A write to a closed pipe raises SIGPIPE: blocked on this thread while writing, and a
  // pending one consumed, so that the harness gets EPIPE instead of dying.
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  std::string failure;
  bool timed_out = false;
  while (!bytes.empty() && failure.empty()) {
    if (in_ < 0)
      failure = "its stdin is closed";
    else if (!wait_for(in_, POLLOUT, deadline))
      timed_out = true, failure = "timeout";
    else {
      const ssize_t put = ::write(in_, bytes.data(), bytes.size());
      if (put > 0)
        bytes.remove_prefix(std::size_t(put));
      else if (put < 0 && errno == EPIPE)
        failure = "it closed its stdin";
      else if (put < 0 && errno != EAGAIN && errno != EINTR)
        failure = std::strerror(errno);
    }
  }
  const timespec zero{0, 0};
  while (sigtimedwait(&pipe_set, nullptr, &zero) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (timed_out) throw PluginTimeout("while the harness was writing to it");
  if (!failure.empty()) fail_closed("cannot write to the plug-in (" + failure + ")");
}

std::string ChildProcess::read_line(std::size_t max_length, Deadline deadline) {
  for (;;) {
    const auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      if (newline > max_length) break;
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    if (buffer_.size() > max_length) break;
    if (!wait_for(out_, POLLIN, deadline)) throw PluginTimeout("waiting for a message");
    char chunk[65536];
    const ssize_t got = ::read(out_, chunk, sizeof chunk);
    if (got > 0)
      buffer_.append(chunk, std::size_t(got));
    else if (got == 0)
      fail_closed(buffer_.empty() ? "the plug-in closed its stdout"
                                  : "the plug-in closed its stdout in the middle of a line");
    else if (errno != EAGAIN && errno != EINTR)
      throw PluginError(std::string("cannot read from the plug-in: ") + std::strerror(errno));
  }
  throw PluginError("a control line longer than " + std::to_string(max_length) +
                    " bytes (a binary payload without its announcement?)");
}

void ChildProcess::read_bytes(char* out, std::size_t n, Deadline deadline) {
  const std::size_t first = std::min(n, buffer_.size());
  std::memcpy(out, buffer_.data(), first);
  buffer_.erase(0, first);
  std::size_t have = first;
  while (have < n) {
    if (!wait_for(out_, POLLIN, deadline))
      throw PluginTimeout("waiting for a binary payload (" + std::to_string(have) + " of " +
                          std::to_string(n) + " bytes received)");
    const ssize_t got = ::read(out_, out + have, n - have);
    if (got > 0)
      have += std::size_t(got);
    else if (got == 0)
      fail_closed("the plug-in closed its stdout after " + std::to_string(have) + " of the " +
                  std::to_string(n) + " bytes of a binary payload");
    else if (errno != EAGAIN && errno != EINTR)
      throw PluginError(std::string("cannot read from the plug-in: ") + std::strerror(errno));
  }
}

void ChildProcess::close_stdin() {
  close_fd(in_);
}

bool ChildProcess::reap(bool block) {
  if (reaped_ || pid_ < 0) return true;
  // Has it exited? Asked without reaping (WNOWAIT): while the leader is a zombie its group ID
  // cannot be reused, so the group (anything the plug-in left running) is killed safely first.
  siginfo_t info{};
  const int flags = WEXITED | WNOWAIT | (block ? 0 : WNOHANG);
  if (::waitid(P_PID, id_t(pid_), &info, flags) != 0) {
    if (errno == ECHILD) reaped_ = true;
    return reaped_;
  }
  if (info.si_pid != pid_) return false;  // WNOHANG: still running
  ::kill(-pid_, SIGKILL);
  if (::waitpid(pid_, &status_, 0) == pid_ || errno == ECHILD) reaped_ = true;
  return reaped_;
}

void ChildProcess::fail_closed(std::string_view what) {
  // Give a dying child a moment, so that the message can say how it ended.
  const auto grace = Clock::now() + std::chrono::seconds(2);
  while (!reap(false) && Clock::now() < grace) {
    read_stderr();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  read_stderr();
  std::string message(what);
  message += reaped_ ? "; it " + exit_text(status_) : "; it is still running";
  throw PluginError(message);
}

std::string ChildProcess::finish(Deadline deadline) {
  close_stdin();
  while (!reap(false)) {
    if (Clock::now() >= deadline) {
      kill();
      return "did not exit in time and was killed";
    }
    if (out_ < 0 && err_ < 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    else
      wait_for(out_ >= 0 ? out_ : err_, POLLIN,
               std::min(deadline, Clock::now() + std::chrono::milliseconds(20)));
    if (out_ >= 0) {  // anything after the result is ignored (but read, so the child can exit)
      char chunk[4096];
      if (::read(out_, chunk, sizeof chunk) == 0) close_fd(out_);
    }
  }
  read_stderr();
  return exit_text(status_);
}

void ChildProcess::kill() {
  if (pid_ < 0 || reaped_) return;
  ::kill(-pid_, SIGKILL);
  reap(true);
}

std::string ChildProcess::stderr_tail() {
  read_stderr();
  std::string out;
  for (char c : tail_) {
    if (c == '\n')
      out += " | ";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      out += ' ';
    else
      out += c;
  }
  while (out.size() >= 3 && out.compare(out.size() - 3, 3, " | ") == 0) out.resize(out.size() - 3);
  return out;
}

}  // namespace specbench
