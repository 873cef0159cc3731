#pragma once
/// \file
/// Matrix families and matrix specs. A spec is `family:key=value,...` (or a path ending in
/// `.mtx`, short for `mtx:PATH`). Families register themselves with a parameter schema, like
/// estimators, and `specbench list` prints them. Every family generates a column-major double
/// matrix; float runs round it entry-wise (see harness/sweep/sweep.cpp).

#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "algorithms/dense.hpp"
#include "algorithms/params.hpp"
#include "algorithms/registry.hpp"
#include "algorithms/sparse.hpp"
#include "core/random.hpp"

namespace specbench {

struct MatrixFamilyInfo {
  std::string name;
  std::string summary;  ///< one line for `specbench list`
  ParamSchema schema;
  std::function<DenseMatrix<double>(const ParamSet&)> generate;
  /// Sparse families (laplace2d, ...) generate CSR instead, never a dense matrix: set this and
  /// leave `generate` empty. Their reference is the sparse certified one
  /// (reference/sparse_reference.hpp).
  std::function<CsrMatrix<double>(const ParamSet&)> generate_sparse;
  /// Optional parse-time checks that a schema cannot express (a rate that must be < 1 for one
  /// choice of another parameter). Throws InvalidArgument; `spec` is the user's text.
  std::function<void(const ParamSet&, std::string_view spec)> validate;
};

using MatrixFamilyRegistry = Registry<MatrixFamilyInfo>;

struct MatrixFamilyRegistrar {
  explicit MatrixFamilyRegistrar(MatrixFamilyInfo info) {
    MatrixFamilyRegistry::instance().add(std::move(info));
  }
};

/// A validated matrix spec: the family, its complete parameters, and the canonical text
/// (`family:k=v,...` in schema order with defaults filled in; `mtx:PATH` for files, with PATH as
/// written, so that the text, and the cell keys made from it, do not depend on where the
/// repository or the working directory is).
/// The version of the generated families: part of every cell key of a generated matrix. Bump it
/// whenever a family's output changes for the same spec (a new generator, a fixed bug), so that
/// resumes and compares never mix matrices of two generators under one key.
inline constexpr int kGeneratorVersion = 1;

struct MatrixSpec {
  std::string family;
  ParamSet params;  ///< for files, `path` is the path opened (see `file`)
  std::string text;
  /// Files only: the path opened, i.e. PATH resolved against the base folder of
  /// parse_matrix_spec (a config's folder); equal to PATH when it is absolute or no base is given.
  std::filesystem::path file;
};

/// Parses and validates a spec against the family registry. Throws InvalidArgument naming the
/// spec and what is wrong (unknown family, unknown or mistyped parameter, impossible size).
/// A relative file path is resolved against `base_dir` (the folder of the config that names it;
/// empty: the working directory).
MatrixSpec parse_matrix_spec(std::string_view text, const std::filesystem::path& base_dir = {});

/// The spec as `specbench estimate --matrix` takes it from the working directory: `text`, but
/// for files `mtx:` followed by the resolved path.
std::string command_spec(const MatrixSpec& spec);

/// Generates (or loads) the matrix of a validated spec. A sparse-only matrix (is_sparse_only) has
/// no dense matrix: InvalidArgument naming the spec and the command that cannot take it.
DenseMatrix<double> make_matrix(const MatrixSpec& spec, std::string_view what = "this command");

/// True for matrices that exist only as CSR, never dense: the sparse families (laplace2d,
/// laplace3d) and Matrix Market coordinate files whose dense form exceeds kMaxDenseEntries
/// (the file's size line is read to tell).
bool is_sparse_only(const MatrixSpec& spec);

/// The CSR matrix of a sparse-only spec.
CsrMatrix<double> make_sparse_matrix(const MatrixSpec& spec);

/// A = U diag(s) V^T with U (m x k), V (n x k) the orthonormal Q factors of Gaussian matrices
/// drawn from `rng`, k = s.size() <= min(m, n). The singular values of A are s (to rounding).
DenseMatrix<double> with_spectrum(Index m, Index n, std::span<const double> s, Rng& rng);

}  // namespace specbench
