#pragma once
/// \file
/// Matrix families and matrix specs. A spec is `family:key=value,...` (or a path ending in
/// `.mtx`, short for `mtx:PATH`). Families register themselves with a parameter schema, like
/// estimators, and `specbench list` prints them. Every family generates a column-major double
/// matrix; float runs round it entry-wise (see harness/sweep.cpp).

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "algorithms/dense.hpp"
#include "algorithms/params.hpp"
#include "algorithms/random.hpp"
#include "algorithms/registry.hpp"

namespace specbench {

struct MatrixFamilyInfo {
  std::string name;
  std::string summary;  ///< one line for `specbench list`
  ParamSchema schema;
  std::function<DenseMatrix<double>(const ParamSet&)> generate;
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
/// (`family:k=v,...` in schema order with defaults filled in; `mtx:PATH` for files).
struct MatrixSpec {
  std::string family;
  ParamSet params;
  std::string text;
};

/// Parses and validates a spec against the family registry. Throws InvalidArgument naming the
/// spec and what is wrong (unknown family, unknown or mistyped parameter, impossible size).
MatrixSpec parse_matrix_spec(std::string_view text);

/// Generates (or loads) the matrix of a validated spec.
DenseMatrix<double> make_matrix(const MatrixSpec& spec);

/// A = U diag(s) V^T with U (m x k), V (n x k) the orthonormal Q factors of Gaussian matrices
/// drawn from `rng`, k = s.size() <= min(m, n). The singular values of A are s (to rounding).
DenseMatrix<double> with_spectrum(Index m, Index n, std::span<const double> s, Rng& rng);

}  // namespace specbench
