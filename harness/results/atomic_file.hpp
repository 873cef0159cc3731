#pragma once
/// \file
/// Safe file creation for every writer of specbench (runs.csv, meta.json, summary.csv, the
/// reference cache, `export --out`): a file is written under an unpredictable temporary name in
/// its target's folder, created with O_CREAT | O_EXCL | O_NOFOLLOW (mode 0644, less the umask),
/// so that nothing planted at that name (a symbolic link, a FIFO, another user's file) is ever
/// opened; then fsync'ed, renamed over the target and the folder fsync'ed, so that the target is
/// either the old file or the whole new one, after a kill and after a power loss alike. The
/// rename replaces a symbolic link at the target by the new file: a link is never written
/// through. On every failure path (a write error, a full disk, an exception) the temporary file
/// is removed and std::runtime_error names the target (exit 1).

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

namespace specbench {

/// Writes all of `data` to `fd` (retrying short writes and EINTR), or throws std::runtime_error
/// "write failed: PATH: REASON" naming `path`.
void write_all(int fd, std::string_view data, const std::filesystem::path& path);

/// A new file that replaces `target` on commit() and is removed if never committed.
class AtomicFile {
 public:
  /// Creates the temporary file TARGET.tmp.RANDOM beside the target (exclusive, never
  /// following a link), or throws std::runtime_error naming the target.
  explicit AtomicFile(const std::filesystem::path& target);
  /// Removes the temporary file unless committed.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Appends to the temporary file.
  void write(std::string_view data);
  /// fsync, rename over the target, fsync the folder; the file is closed.
  void commit();
  /// As commit(), but returns the descriptor, still open for writing (the caller closes it): a
  /// file created whole and then appended to (runs.csv) is never reopened by name.
  int commit_keep_open();

  const std::filesystem::path& temp_path() const { return temp_; }

 private:
  void discard() noexcept;
  std::filesystem::path target_, temp_;
  int fd_ = -1;
};

/// Removes the temporary files an AtomicFile for `folder`/NAME leaves behind when its process is
/// killed before its destructor runs (SIGKILL, an out-of-memory kill): entries named
/// NAME.tmp.RANDOM for each NAME in `names`, RANDOM being exactly AtomicFile's 16 characters of
/// [0-9a-z]. Only the directory entries are removed (unlink: a link is never followed). Call it
/// only while holding the folder's exclusive FolderLock, so that no live writer owns one of them,
/// or with a `min_age` (by modification time) that no live write can reach: an AtomicFile's
/// content is written at once, so minutes mean its process is gone. Returns how many were removed.
std::size_t remove_stale_temporaries(const std::filesystem::path& folder,
                                     std::initializer_list<std::string_view> names,
                                     std::chrono::seconds min_age = std::chrono::seconds(0));

/// Writes `content` to `path` through an AtomicFile.
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

/// fsync of the folder holding `path` (its new or renamed entry made durable); throws
/// std::runtime_error naming the folder, except where the file system cannot sync folders.
void sync_parent_folder(const std::filesystem::path& path);

/// Opens an existing file for reading only if it is a regular file: never blocks on a FIFO
/// (O_NONBLOCK), never follows a symbolic link if `follow_links` is false (O_NOFOLLOW). Returns
/// the descriptor, or -1 with the reason in `why` ("" if the file does not exist).
int open_regular_file(const std::filesystem::path& path, bool follow_links, std::string& why);

/// The whole contents of a descriptor (at most `limit` bytes, else std::runtime_error).
std::string read_all(int fd, const std::filesystem::path& path, std::size_t limit);

}  // namespace specbench
