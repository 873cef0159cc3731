#include "harness/plugins/matrix_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <tuple>

#include "algorithms/dense.hpp"
#include "algorithms/sparse.hpp"
#include "harness/plugins/child_process.hpp"
#include "harness/plugins/protocol.hpp"

namespace specbench {
namespace {

/// FNV-1a over bytes: which matrix a file holds (the same matrix in two cells is one file).
std::uint64_t fnv(const void* data, std::size_t bytes, std::uint64_t h = 1469598103934665603ull) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < bytes; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/// The private folder (created on first use, removed with its files at exit), the files by
/// content, and the last few matrices kept alive between cells.
struct FileCache {
  std::mutex mutex;
  std::filesystem::path folder;
  std::map<std::tuple<std::string, long long, long long, std::uint64_t>,
           std::weak_ptr<const MatrixFile>>
      files;
  std::deque<std::shared_ptr<const MatrixFile>> recent;
  int counter = 0;
  ~FileCache() {
    recent.clear();
    if (!folder.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(folder, ignored);
    }
  }
  const std::filesystem::path& dir() {
    if (folder.empty()) {
      std::string pattern = (std::filesystem::temp_directory_path() / "specbench-plugins-XXXXXX");
      if (!::mkdtemp(pattern.data()))
        throw PluginError("cannot create a temporary folder for matrix files: " +
                          std::string(std::strerror(errno)));
      folder = pattern;
    }
    return folder;
  }
};

FileCache& cache() {
  static FileCache c;
  return c;
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw PluginError("cannot create " + path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t put = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (put <= 0 && errno != EINTR) {
      ::close(fd);
      throw PluginError("cannot write " + path.string() + ": " + std::strerror(errno));
    }
    if (put > 0) done += std::size_t(put);
  }
  ::close(fd);
}

/// .npy version 1.0: magic, header length, the header dict padded with spaces and '\n' so that
/// the data starts at a multiple of 64 bytes, then the entries column by column.
template <class T>
std::string npy_bytes(const DenseMatrix<T>& a) {
  std::string header = std::string("{'descr': '<f") + char('0' + sizeof(T)) +
                       "', 'fortran_order': True, 'shape': (" + std::to_string(a.rows()) + ", " +
                       std::to_string(a.cols()) + "), }";
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(header.size() & 0xff);
  out += char(header.size() >> 8);
  out += header;
  std::vector<T> column(static_cast<std::size_t>(a.rows()));
  for (Index j = 0; j < a.cols(); ++j) {
    for (Index i = 0; i < a.rows(); ++i) column[std::size_t(i)] = a(i, j);
    out += encode_vector<T>(std::span<const T>(column));
  }
  return out;
}

/// Matrix Market coordinate, 1-based, values in shortest round-trip form.
template <class T>
std::string mtx_bytes(const CsrMatrix<T>& a) {
  std::string out = "%%MatrixMarket matrix coordinate real general\n% written by specbench\n" +
                    std::to_string(a.rows()) + " " + std::to_string(a.cols()) + " " +
                    std::to_string(a.nonZeros()) + "\n";
  char number[64];
  for (Index i = 0; i < a.outerSize(); ++i)
    for (typename CsrMatrix<T>::InnerIterator it(a, i); it; ++it) {
      out += std::to_string(it.row() + 1) + " " + std::to_string(it.col() + 1) + " ";
      const auto end = std::to_chars(number, number + sizeof number, it.value()).ptr;
      out.append(number, end);
      out += '\n';
    }
  return out;
}

}  // namespace

MatrixFile::~MatrixFile() {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

template <class T>
std::shared_ptr<const MatrixFile> matrix_file(const Operator<T>& a) {
  const auto* dense = dynamic_cast<const DenseOperator<T>*>(&a);
  const auto* sparse = dynamic_cast<const SparseOperator<T>*>(&a);
  if (!dense && !sparse) throw PluginError("matrix mode needs a dense or sparse matrix operator");
  std::uint64_t h = 0;
  if (dense) {
    const auto& m = dense->matrix();
    h = fnv(m.data(), sizeof(T) * std::size_t(m.ld()) *
                          std::size_t(m.layout() == Layout::ColMajor ? m.cols() : m.rows()));
    h = fnv(&h, sizeof h, std::uint64_t(m.layout()));
  } else {
    const auto& m = sparse->matrix();
    h = fnv(m.valuePtr(), sizeof(T) * std::size_t(m.nonZeros()));
    h = fnv(m.innerIndexPtr(), sizeof(*m.innerIndexPtr()) * std::size_t(m.nonZeros()), h);
    h = fnv(m.outerIndexPtr(), sizeof(*m.outerIndexPtr()) * std::size_t(m.outerSize() + 1), h);
  }
  const std::string format = dense ? "npy" : "mtx";
  const auto key =
      std::make_tuple(format + char('0' + sizeof(T)), (long long)a.rows(), (long long)a.cols(), h);
  FileCache& c = cache();
  std::lock_guard lock(c.mutex);
  if (auto existing = c.files[key].lock()) return existing;
  auto file = std::make_shared<MatrixFile>();
  file->format = format;
  file->path = c.dir() / ("matrix" + std::to_string(c.counter++) + "." + format);
  write_file(file->path, dense ? npy_bytes(dense->matrix()) : mtx_bytes(sparse->matrix()));
  c.files[key] = file;
  c.recent.push_back(file);
  if (c.recent.size() > 2) c.recent.pop_front();  // a sweep goes matrix by matrix
  return file;
}

template std::shared_ptr<const MatrixFile> matrix_file(const Operator<float>&);
template std::shared_ptr<const MatrixFile> matrix_file(const Operator<double>&);

}  // namespace specbench
