#include "algorithms/gram.hpp"

#include <algorithm>
#include <cstdint>

#include "core/parallel.hpp"

namespace specbench {
namespace gram_detail {
namespace {

constexpr int kPackBytes = 64;  ///< lanes of one dot product: 8 doubles or 16 floats
constexpr int kGroup = 4;       ///< rows per pipelined group

/// A 64-byte pack of lanes held as kPackBytes / N native vectors of N bytes.
template <class T, int N>
struct Simd {
  typedef T V __attribute__((vector_size(N)));
  typedef T VU __attribute__((vector_size(N), aligned(alignof(T))));  // unaligned access
  static constexpr int kVL = N / int(sizeof(T));                      // lanes per native vector
  static constexpr int kP = kPackBytes / N;                           // native vectors per pack
  static constexpr int kPL = kPackBytes / int(sizeof(T));             // lanes per pack
  struct Pack {
    V v[kP];
  };
  static Pack zero() {
    Pack r;
    for (int q = 0; q < kP; ++q) r.v[q] = V{};
    return r;
  }
  static Pack load(const T* p) {
    Pack r;
    for (int q = 0; q < kP; ++q) r.v[q] = *reinterpret_cast<const VU*>(p + q * kVL);
    return r;
  }
  static void store(T* p, const Pack& a) {
    for (int q = 0; q < kP; ++q) *reinterpret_cast<VU*>(p + q * kVL) = a.v[q];
  }
  /// acc += a * b, lane by lane
  static void mul_add(Pack& acc, const Pack& a, const Pack& b) {
    for (int q = 0; q < kP; ++q) acc.v[q] = acc.v[q] + a.v[q] * b.v[q];
  }
  /// acc += s * a
  static void scale_add(Pack& acc, T s, const Pack& a) {
    for (int q = 0; q < kP; ++q) acc.v[q] = acc.v[q] + s * a.v[q];
  }
  static Pack scale(T s, const Pack& a) {
    Pack r;
    for (int q = 0; q < kP; ++q) r.v[q] = s * a.v[q];
    return r;
  }
};

/// Rows [r0, r1) of the row-major B (ld, c columns): t = B x on them, part = their B^T t.
template <class T, int N>
inline void chunk_body(const T* b, Index ld, Index c, Index r0, Index r1, const T* x, T* t,
                       T* part) {
  using S = Simd<T, N>;
  using Pack = typename S::Pack;
  constexpr Index kPL = S::kPL;
  const Index cm = c - c % kPL;  // columns covered by whole packs; the rest are the tail
  auto row = [&](Index i) { return b + i * ld; };
  if (part != nullptr)
    for (Index j = 0; j < c; ++j) part[j] = T(0);

  // <row, x> from its pack accumulator: the tail columns j >= cm go to lane j - cm, then the
  // lanes are summed by halving (lane l += lane l + h for h = kPL/2, ..., 1).
  auto finish = [&](const Pack& acc, const T* r) {
    T lanes[kPL];
    S::store(lanes, acc);
    for (Index j = cm; j < c; ++j) lanes[j - cm] = lanes[j - cm] + r[j] * x[j];
    for (Index h = kPL / 2; h >= 1; h /= 2)
      for (Index l = 0; l < h; ++l) lanes[l] = lanes[l] + lanes[l + h];
    return lanes[0];
  };
  // t of rows [i0, i0 + g)
  auto dots = [&](Index i0, Index g) {
    Pack acc[kGroup];
    for (Index k = 0; k < g; ++k) acc[k] = S::zero();
    for (Index j = 0; j < cm; j += kPL) {
      const Pack xv = S::load(x + j);
      for (Index k = 0; k < g; ++k) S::mul_add(acc[k], S::load(row(i0 + k) + j), xv);
    }
    for (Index k = 0; k < g; ++k) t[i0 + k] = finish(acc[k], row(i0 + k));
  };
  // part += sum_k t_k row_k over rows [i0, i0 + g): s = t_0 r_0; s += t_k r_k; part += s. The
  // pipelined loop below performs exactly these operations for full groups.
  auto update_tail = [&](Index i0, Index g) {
    for (Index j = cm; j < c; ++j) {
      T s = t[i0] * row(i0)[j];
      for (Index k = 1; k < g; ++k) s = s + t[i0 + k] * row(i0 + k)[j];
      part[j] = part[j] + s;
    }
  };
  auto update = [&](Index i0, Index g) {
    for (Index j = 0; j < cm; j += kPL) {
      Pack s = S::scale(t[i0], S::load(row(i0) + j));
      for (Index k = 1; k < g; ++k) S::scale_add(s, t[i0 + k], S::load(row(i0 + k) + j));
      Pack p = S::load(part + j);
      for (int q = 0; q < S::kP; ++q) p.v[q] = p.v[q] + s.v[q];
      S::store(part + j, p);
    }
    update_tail(i0, g);
  };

  if (r1 <= r0) return;
  if (part == nullptr) {  // t only: the same dot products, no update
    for (Index i0 = r0; i0 < r1; i0 += kGroup) dots(i0, std::min<Index>(kGroup, r1 - i0));
    return;
  }
  Index i0 = r0, g = std::min<Index>(kGroup, r1 - r0);
  dots(i0, g);
  for (;;) {
    const Index i1 = i0 + g, g1 = std::min<Index>(kGroup, r1 - i1);
    if (g == kGroup && g1 == kGroup) {
      // Dot products of the next group (from memory) and the update with this group (from cache)
      // in one sweep over the columns.
      const T* rr[kGroup];
      const T* nr[kGroup];
      T tg[kGroup];
      Pack acc[kGroup];
      for (Index k = 0; k < kGroup; ++k) {
        rr[k] = row(i0 + k), nr[k] = row(i1 + k), tg[k] = t[i0 + k];
        acc[k] = S::zero();
      }
      for (Index j = 0; j < cm; j += kPL) {
        const Pack xv = S::load(x + j);
        for (Index k = 0; k < kGroup; ++k) S::mul_add(acc[k], S::load(nr[k] + j), xv);
        Pack s = S::scale(tg[0], S::load(rr[0] + j));
        for (Index k = 1; k < kGroup; ++k) S::scale_add(s, tg[k], S::load(rr[k] + j));
        Pack p = S::load(part + j);
        for (int q = 0; q < S::kP; ++q) p.v[q] = p.v[q] + s.v[q];
        S::store(part + j, p);
      }
      update_tail(i0, g);
      for (Index k = 0; k < kGroup; ++k) t[i1 + k] = finish(acc[k], nr[k]);
      i0 = i1;
      continue;
    }
    update(i0, g);
    if (g1 <= 0) break;
    i0 = i1, g = g1;
    dots(i0, g);
  }
}

template <class T, int N>
inline T stream_body(const T* p, std::size_t count) {
  using S = Simd<T, N>;
  constexpr std::size_t kPL = S::kPL;
  typename S::Pack acc[4] = {S::zero(), S::zero(), S::zero(), S::zero()};
  std::size_t k = 0;
  for (; k + 4 * kPL <= count; k += 4 * kPL)
    for (std::size_t a = 0; a < 4; ++a) {
      const auto v = S::load(p + k + a * kPL);
      for (int q = 0; q < S::kP; ++q) acc[a].v[q] = acc[a].v[q] + v.v[q];
    }
  T lanes[4][kPL];
  for (std::size_t a = 0; a < 4; ++a) S::store(lanes[a], acc[a]);
  T s = T(0);
  for (; k < count; ++k) s += p[k];
  for (std::size_t a = 0; a < 4; ++a)
    for (std::size_t l = 0; l < kPL; ++l) s += lanes[a][l];
  return s;
}

#define SPECBENCH_GRAM_ARGS(T) \
  const T *b, Index ld, Index c, Index r0, Index r1, const T *x, T *t, T *part
#define SPECBENCH_GRAM_PASS b, ld, c, r0, r1, x, t, part

#if defined(__x86_64__)
#define SPECBENCH_AVX512 "avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"
__attribute__((target(SPECBENCH_AVX512), flatten)) void chunk_avx512(SPECBENCH_GRAM_ARGS(double)) {
  chunk_body<double, 64>(SPECBENCH_GRAM_PASS);
}
__attribute__((target(SPECBENCH_AVX512), flatten)) void chunk_avx512(SPECBENCH_GRAM_ARGS(float)) {
  chunk_body<float, 64>(SPECBENCH_GRAM_PASS);
}
__attribute__((target("avx2,fma"), flatten)) void chunk_avx2(SPECBENCH_GRAM_ARGS(double)) {
  chunk_body<double, 32>(SPECBENCH_GRAM_PASS);
}
__attribute__((target("avx2,fma"), flatten)) void chunk_avx2(SPECBENCH_GRAM_ARGS(float)) {
  chunk_body<float, 32>(SPECBENCH_GRAM_PASS);
}
template <class T>
__attribute__((target(SPECBENCH_AVX512), flatten)) T stream_avx512(const T* p, std::size_t n) {
  return stream_body<T, 64>(p, n);
}
template <class T>
__attribute__((target("avx2,fma"), flatten)) T stream_avx2(const T* p, std::size_t n) {
  return stream_body<T, 32>(p, n);
}
bool has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
}
bool has_avx2() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif
__attribute__((flatten)) void chunk_sse2(SPECBENCH_GRAM_ARGS(double)) {
  chunk_body<double, 16>(SPECBENCH_GRAM_PASS);
}
__attribute__((flatten)) void chunk_sse2(SPECBENCH_GRAM_ARGS(float)) {
  chunk_body<float, 16>(SPECBENCH_GRAM_PASS);
}
template <class T>
__attribute__((flatten)) T stream_sse2(const T* p, std::size_t n) {
  return stream_body<T, 16>(p, n);
}

#if defined(__x86_64__)
const char* const kBaseline = "sse2";
#else
const char* const kBaseline = "generic";
#endif

template <class T>
ChunkKernel<T> select(const std::string& isa) {
  const auto isas = available_isas();
  const std::string pick = isa.empty() ? isas.front() : isa;
  SPECBENCH_REQUIRE(std::find(isas.begin(), isas.end(), pick) != isas.end(),
                    "gram: instruction set '", pick, "' is not available on this CPU");
#if defined(__x86_64__)
  if (pick == "avx512") return static_cast<ChunkKernel<T>>(chunk_avx512);
  if (pick == "avx2") return static_cast<ChunkKernel<T>>(chunk_avx2);
#endif
  return static_cast<ChunkKernel<T>>(chunk_sse2);
}

}  // namespace

std::vector<std::string> available_isas() {
  std::vector<std::string> out;
#if defined(__x86_64__)
  if (has_avx512()) out.emplace_back("avx512");
  if (has_avx2()) out.emplace_back("avx2");
#endif
  out.emplace_back(kBaseline);
  return out;
}

ChunkKernel<float> chunk_kernel_f32(const std::string& isa) {
  return select<float>(isa);
}
ChunkKernel<double> chunk_kernel_f64(const std::string& isa) {
  return select<double>(isa);
}

}  // namespace gram_detail

template <class T>
void gram_rows(const T* b, Index r, Index c, Index ld, std::span<const T> x, std::span<T> t,
               std::span<T> y, int threads, const std::string& isa) {
  using namespace gram_detail;
  SPECBENCH_REQUIRE(r >= 0 && c >= 0 && ld >= std::max<Index>(c, 1), "gram_rows: bad shape ", r,
                    " x ", c, " (ld ", ld, ")");
  SPECBENCH_REQUIRE(
      Index(x.size()) == c && (y.empty() || Index(y.size()) == c) && Index(t.size()) == r,
      "gram_rows: vector sizes ", x.size(), ", ", t.size(), ", ", y.size(), " do not fit ", r,
      " x ", c);
  SPECBENCH_REQUIRE(threads >= 1, "gram_rows: threads must be >= 1, got ", threads);
  const ChunkKernel<T> kernel = chunk_kernel<T>(isa);
  const Index chunks = (r + kChunkRows - 1) / kChunkRows;
  if (y.empty()) {  // t = B x alone, with the same arithmetic as the fused call
    run_parallel(chunks, int(std::min<Index>(threads, chunks)), [&](Index q) {
      kernel(b, ld, c, q * kChunkRows, std::min(r, (q + 1) * kChunkRows), x.data(), t.data(),
             nullptr);
    });
    return;
  }
  if (chunks == 0) {
    std::fill(y.begin(), y.end(), T(0));
    return;
  }
  // Every chunk accumulates into its own partial, then y = partials summed in chunk order. The
  // partials sit 2 KiB (mod 4 KiB) away from the rows of B: a store to part[j] and loads of
  // B(i, j) at the same address modulo 4 KiB would be falsely ordered by the CPU ("4K aliasing"),
  // which with a power-of-two leading dimension would hit every row.
  constexpr std::size_t kPage = 4096, kApart = 2048;
  const std::size_t stride = (std::size_t(c) * sizeof(T) + kPage - 1) / kPage * kPage / sizeof(T);
  thread_local std::vector<T> scratch;
  scratch.resize(std::size_t(chunks) * stride + 2 * kPage / sizeof(T));
  const auto at = [](const void* p) { return reinterpret_cast<std::uintptr_t>(p); };
  const std::size_t want = (at(b) + kApart) % kPage;
  const std::size_t shift = (want + kPage - at(scratch.data()) % kPage) % kPage;
  T* parts = reinterpret_cast<T*>(at(scratch.data()) + shift);  // shift is a multiple of sizeof(T)
  auto work = [&](Index q) {
    kernel(b, ld, c, q * Index(kChunkRows), std::min(r, (q + 1) * kChunkRows), x.data(), t.data(),
           parts + std::size_t(q) * stride);
  };
  run_parallel(chunks, int(std::min<Index>(threads, chunks)), work);
  std::copy(parts, parts + c, y.begin());
  for (Index q = 1; q < chunks; ++q) {
    const T* p = parts + std::size_t(q) * stride;
    for (Index j = 0; j < c; ++j) y[std::size_t(j)] += p[j];
  }
}

template <class T>
T stream_sum(const T* p, std::size_t count, int threads) {
  using namespace gram_detail;
  SPECBENCH_REQUIRE(threads >= 1, "stream_sum: threads must be >= 1, got ", threads);
  const std::string isa = available_isas().front();
  auto one = [&](const T* q, std::size_t n) -> T {
#if defined(__x86_64__)
    if (isa == "avx512") return stream_avx512<T>(q, n);
    if (isa == "avx2") return stream_avx2<T>(q, n);
#endif
    return stream_sse2<T>(q, n);
  };
  const std::size_t per = (count + std::size_t(threads) - 1) / std::size_t(threads);
  std::vector<T> sums(std::size_t(threads), T(0));
  run_parallel(threads, threads, [&](Index w) {
    const std::size_t lo = std::min(count, std::size_t(w) * per);
    sums[std::size_t(w)] = one(p + lo, std::min(count, lo + per) - lo);
  });
  T s = T(0);
  for (T v : sums) s += v;
  return s;
}

template void gram_rows<float>(const float*, Index, Index, Index, std::span<const float>,
                               std::span<float>, std::span<float>, int, const std::string&);
template void gram_rows<double>(const double*, Index, Index, Index, std::span<const double>,
                                std::span<double>, std::span<double>, int, const std::string&);
template float stream_sum<float>(const float*, std::size_t, int);
template double stream_sum<double>(const double*, std::size_t, int);

}  // namespace specbench
