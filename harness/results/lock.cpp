#include "harness/results/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace specbench {

FolderLock::FolderLock(const std::filesystem::path& folder, Mode mode) {
  const auto path = folder / kFileName;
  // Never through a link or into a FIFO planted at the lock's name (the lock file is truncated
  // below: through a link it would empty another file).
  constexpr int kSafe = O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | kSafe, 0644);
  if (fd_ < 0 && mode == Mode::Shared && errno != ELOOP)
    fd_ = ::open(path.c_str(), O_RDONLY | kSafe);
  if (fd_ < 0 && errno == ELOOP)
    throw InvalidArgument(path.string() +
                          " is a symbolic link: refusing to use it as the lock file");
  struct stat st {};
  if (fd_ >= 0 && (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1)) {
    ::close(fd_);
    fd_ = -1;
    throw InvalidArgument(path.string() +
                          " is not a regular file with one link: refusing to use it as the lock "
                          "file");
  }
  if (fd_ < 0) {
    // A folder we may read but not write (a shared result folder, say): nothing to lock with,
    // and nobody without write access can be writing it through specbench either.
    if (mode == Mode::Shared && (errno == EACCES || errno == EROFS)) return;
    throw InvalidArgument(path.string() + ": cannot create the lock file: " + std::strerror(errno));
  }
  const int op = (mode == Mode::Exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
  if (::flock(fd_, op) != 0) {
    const int error = errno;
    std::string holder;
    char buf[32] = {};
    if (::pread(fd_, buf, sizeof buf - 1, 0) > 0) holder = std::string(buf);
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw InvalidArgument(folder.string() + " is in use by " +
                            (holder.empty() ? std::string("another process") : "pid " + holder) +
                            " (a specbench run, merge or record on it): wait for it to finish, "
                            "or use another folder");
    throw InvalidArgument(path.string() + ": cannot lock: " + std::strerror(error));
  }
  // The holder's pid, for the message above (best effort: a shared holder may overwrite another's).
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace specbench
