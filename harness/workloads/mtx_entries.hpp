#pragma once
/// \file
/// The entry store of the Matrix Market reader (mtx.cpp): what bounds its memory by the entries
/// a file actually holds.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "algorithms/dense.hpp"
#include "algorithms/sparse.hpp"

namespace specbench::detail {

/// The entries read so far and the dense matrix they build. Memory grows with the entries read,
/// never with what a size line merely declares: entries are buffered as 16-byte triplets until
/// they number m n / 8, and only then is the m x n matrix (8 m n bytes) allocated and the buffer
/// replayed into it. Until then the store holds at most 16 bytes per entry read; after, at most
/// 8 m n + 2 m n bytes for at least m n / 8 entries read, i.e. 80 bytes per entry. The one
/// exception is a coordinate file with fewer than m n / 8 entries: its matrix is allocated by
/// take(), after every entry has been read and checked, and is within kMaxDenseEntries.
class EntryStore {
 public:
  /// `assign`: array files give each position once (assign, keeping the sign of a zero);
  /// coordinate files sum duplicates.
  EntryStore(long long m, long long n, bool assign)
      : m_(m), n_(n), assign_(assign), threshold_(std::max<long long>(1, m * n / 8)) {}

  /// Entry (i, j) = x, 0-based (i < m, j < n: both below 2^28, see kMaxDenseEntries).
  void put(long long i, long long j, double x) {
    if (!dense_) {
      if (buffer_.size() == buffer_.capacity())  // grow by doubling, never past the threshold
        buffer_.reserve(std::size_t(std::min<long long>(
            threshold_, std::max<long long>(64, 2 * (long long)buffer_.capacity()))));
      buffer_.push_back({std::uint32_t(i), std::uint32_t(j), x});
      if ((long long)buffer_.size() >= threshold_) densify();
      return;
    }
    write(i, j, x);
  }

  /// Bytes held now (the buffer's capacity, or the matrix): what the bound above is about.
  std::size_t bytes() const {
    return dense_ ? a_.values().size() * sizeof(double) : buffer_.capacity() * sizeof(Entry);
  }

  DenseMatrix<double> take() {
    densify();
    return std::move(a_);
  }

 private:
  struct Entry {
    std::uint32_t i, j;
    double x;
  };
  void write(long long i, long long j, double x) {
    if (assign_)
      a_(i, j) = x;
    else
      a_(i, j) += x;
  }
  void densify() {
    if (dense_) return;
    a_ = DenseMatrix<double>(m_, n_);
    dense_ = true;
    for (const Entry& e : buffer_) write(e.i, e.j, e.x);
    std::vector<Entry>().swap(buffer_);
  }

  long long m_, n_;
  bool assign_;
  long long threshold_;
  bool dense_ = false;
  std::vector<Entry> buffer_;
  DenseMatrix<double> a_;
};

/// Where the entries go: a dense matrix (EntryStore), or triplets for CSR (a sparse-only file:
/// memory grows with the entries read, 24 bytes each, duplicates summed at the end).
struct TripletStore {
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  void put(long long i, long long j, double x) { entries.emplace_back(i, j, x); }
};

}  // namespace specbench::detail
