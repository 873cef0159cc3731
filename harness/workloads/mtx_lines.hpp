#pragma once
/// \file
/// The line source of the Matrix Market reader (mtx.cpp): a plain file, or a gzip-compressed one
/// read as it inflates (zlib).

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <string>

namespace specbench::detail {

/// Lines of a plain file, or of a gzip-compressed one (zlib, read as it inflates: a `.gz` file
/// is never decompressed to disk or memory as a whole).
class LineSource {
 public:
  LineSource(const std::string& path, bool gz) : gz_(gz) {
    if (gz_) {
      file_ = gzopen(path.c_str(), "rb");
      if (file_ != nullptr) gzbuffer(file_, 1 << 17);
    } else {
      in_.open(path, std::ios::binary);
    }
  }
  ~LineSource() {
    if (file_ != nullptr) gzclose(file_);
  }
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;
  bool open() const { return gz_ ? file_ != nullptr : bool(in_); }
  /// The next line without its '\n'; false at the end. `bad` is set on a read error (a damaged
  /// compressed stream included).
  bool getline(std::string& line, bool& bad) {
    if (!gz_) {
      if (std::getline(in_, line)) return true;
      bad = in_.bad();
      return false;
    }
    line.clear();
    char buf[4096];
    for (;;) {
      if (gzgets(file_, buf, sizeof buf) == nullptr) {
        int code = 0;
        gzerror(file_, &code);
        bad = code != Z_OK;  // Z_BUF_ERROR: the stream ends early (a truncated file)
        return !bad && !line.empty();
      }
      const std::size_t len = std::strlen(buf);
      if (len > 0 && buf[len - 1] == '\n') {
        line.append(buf, len - 1);
        return true;
      }
      line.append(buf, len);
      if (line.size() > (1u << 20)) {  // no Matrix Market line is a megabyte long
        bad = true;
        return false;
      }
    }
  }
  /// The offset reached (plain files only; -1 for gzip, whose length says nothing of its lines).
  long long tell() { return gz_ ? -1 : (long long)in_.tellg(); }

 private:
  bool gz_;
  std::ifstream in_;
  gzFile file_ = nullptr;
};

}  // namespace specbench::detail
