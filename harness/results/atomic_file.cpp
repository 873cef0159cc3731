#include "harness/results/atomic_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

namespace specbench {
namespace {

std::string reason(int error) {
  return std::strerror(error);
}

/// 16 random characters from [0-9a-z] (80 bits from getrandom, else std::random_device): the
/// name cannot be guessed in advance, and O_EXCL refuses it anyway if it exists.
std::string random_suffix() {
  unsigned char bytes[16];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t r = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += std::size_t(r);
  }
  if (got < sizeof bytes) {
    std::random_device device;
    for (auto& b : bytes) b = static_cast<unsigned char>(device());
  }
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  for (unsigned char b : bytes) out += kDigits[b % 36];
  return out;
}

std::filesystem::path folder_of(const std::filesystem::path& path) {
  const auto parent = path.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

}  // namespace

void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    const ssize_t r = ::write(fd, data.data(), data.size());
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0)  // 0 from write(2) is a full device reported without errno
      throw std::runtime_error("write failed: " + path.string() + ": " +
                               reason(r < 0 ? errno : ENOSPC));
    data.remove_prefix(std::size_t(r));
  }
}

void sync_parent_folder(const std::filesystem::path& path) {
  const auto folder = folder_of(path);
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error("cannot open the folder " + folder.string() + ": " + reason(errno));
  const int r = ::fsync(fd), error = errno;
  ::close(fd);
  // EINVAL/ENOTSUP: a file system that cannot sync folders (nothing more can be done there).
  if (r != 0 && error != EINVAL && error != ENOTSUP)
    throw std::runtime_error("cannot sync the folder " + folder.string() + ": " + reason(error));
}

AtomicFile::AtomicFile(const std::filesystem::path& target) : target_(target) {
  // NAME.tmp.RANDOM, the name cut so the temporary one stays within NAME_MAX (255).
  std::string name = target.filename().string();
  if (name.size() > 200) name.resize(200);
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp_ = folder_of(target) / (name + ".tmp." + random_suffix());
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ >= 0) return;
    if (errno != EEXIST) break;
  }
  const int error = errno;
  temp_.clear();
  throw std::runtime_error("cannot write " + target.string() +
                           ": cannot create a temporary file beside it: " + reason(error));
}

AtomicFile::~AtomicFile() {
  discard();
}

void AtomicFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
}

void AtomicFile::write(std::string_view data) {
  if (fd_ < 0) throw std::logic_error("AtomicFile::write after commit");
  try {
    write_all(fd_, data, target_);
  } catch (...) {
    discard();
    throw;
  }
}

int AtomicFile::commit_keep_open() {
  if (fd_ < 0) throw std::logic_error("AtomicFile::commit twice");
  // The data reaches the disk before the name does: after a power loss the target is the old
  // file or the whole new one, never an empty or torn one (ext4 and XFS order nothing else).
  if (::fsync(fd_) != 0) {
    const int error = errno;
    discard();
    throw std::runtime_error("write failed: " + target_.string() + ": " + reason(error));
  }
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    const int error = errno;
    discard();
    throw std::runtime_error("cannot write " + target_.string() + ": cannot rename " +
                             temp_.filename().string() + " over it: " + reason(error));
  }
  temp_.clear();  // the file is the target now: never removed
  const int fd = fd_;
  fd_ = -1;
  try {
    sync_parent_folder(target_);
  } catch (...) {
    ::close(fd);
    throw;
  }
  return fd;
}

void AtomicFile::commit() {
  const int fd = commit_keep_open();
  ::close(fd);  // after fsync, close reports nothing new
}

std::size_t remove_stale_temporaries(const std::filesystem::path& folder,
                                     std::initializer_list<std::string_view> names,
                                     std::chrono::seconds min_age) {
  std::size_t removed = 0;
  const auto now = std::filesystem::file_time_type::clock::now();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const std::string file = entry.path().filename().string();
    for (const std::string_view name : names) {
      const std::string prefix = std::string(name) + ".tmp.";
      if (file.size() != prefix.size() + 16 || file.compare(0, prefix.size(), prefix) != 0)
        continue;
      const bool random =
          std::all_of(file.begin() + std::ptrdiff_t(prefix.size()), file.end(),
                      [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); });
      if (!random) continue;
      if (min_age.count() > 0) {
        std::error_code time_ec;
        const auto written = std::filesystem::symlink_status(entry.path(), time_ec).type() ==
                                     std::filesystem::file_type::regular
                                 ? std::filesystem::last_write_time(entry.path(), time_ec)
                                 : now;
        if (time_ec || now - written < min_age) continue;
      }
      if (::unlink(entry.path().c_str()) == 0) ++removed;
    }
  }
  return removed;
}

void write_file_atomic(const std::filesystem::path& path, const std::string& content) {
  AtomicFile file(path);
  file.write(content);
  file.commit();
}

int open_regular_file(const std::filesystem::path& path, bool follow_links, std::string& why) {
  why.clear();
  const int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (follow_links ? 0 : O_NOFOLLOW);
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    if (errno == ENOENT) return -1;
    why = errno == ELOOP ? "a symbolic link (not followed)" : "cannot open: " + reason(errno);
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    why = "not a regular file";
    ::close(fd);
    return -1;
  }
  // Back to blocking reads (a regular file never blocks; this only keeps read(2) plain).
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

std::string read_all(int fd, const std::filesystem::path& path, std::size_t limit) {
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw std::runtime_error("cannot read " + path.string() + ": " + reason(errno));
    if (r == 0) return out;
    if (out.size() + std::size_t(r) > limit)
      throw std::runtime_error(path.string() + ": larger than " + std::to_string(limit) + " bytes");
    out.append(buf, std::size_t(r));
  }
}

}  // namespace specbench
