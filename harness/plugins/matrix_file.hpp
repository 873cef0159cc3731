#pragma once
/// \file
/// Matrix-mode plug-ins read the matrix from a file: the harness writes it once per matrix (and
/// precision) into a private temporary folder (mkdtemp, mode 0700; files 0600, O_EXCL), as
/// NumPy .npy (dense, Fortran order, '<f8' or '<f4': exactly what the cell's operator holds) or
/// Matrix Market coordinate (sparse storage; every value in shortest round-trip form, so that
/// reading it back is exact). Files are shared by the cells of one matrix and removed when the
/// last user and the small cache of recent matrices let go of them (and at exit).

#include <filesystem>
#include <memory>
#include <string>

#include "algorithms/operator.hpp"

namespace specbench {

struct MatrixFile {
  std::filesystem::path path;
  std::string format;  ///< "npy" or "mtx"
  ~MatrixFile();
};

/// The file of the matrix behind `a` (a DenseOperator or SparseOperator), written on first use.
/// Throws PluginError for any other operator or if the file cannot be written.
template <class T>
std::shared_ptr<const MatrixFile> matrix_file(const Operator<T>& a);

}  // namespace specbench
