#pragma once
/// \file
/// An advisory lock on a result folder (flock(2) on DIR/.specbench.lock), held for the whole of
/// a command: `run` and `merge` take it exclusively on the folder they write, `merge`, `record`
/// and `compare` take it shared on the folders they read. A second writer, or a reader of a
/// folder being written, is refused at once with the holder's pid, instead of two processes
/// interleaving rows. The kernel drops the lock when the process ends, however it ends (a kill
/// included), so a stale lock file never blocks anyone.

#include <filesystem>

namespace specbench {

class FolderLock {
 public:
  enum class Mode { Shared, Exclusive };
  /// Locks `folder` (which must exist) or throws InvalidArgument "FOLDER is in use by pid N
  /// (...)" if another process holds a conflicting lock.
  FolderLock(const std::filesystem::path& folder, Mode mode);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  /// The lock file's name inside the folder.
  static constexpr const char* kFileName = ".specbench.lock";

 private:
  int fd_ = -1;
};

}  // namespace specbench
