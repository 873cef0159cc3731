#pragma once
/// \file
/// Static registries filled at start-up by the files that define the entries, as Google
/// Benchmark's BENCHMARK macro fills its families: the harness never lists estimators or matrix
/// families by hand. `specbench list` prints them.
///
/// An estimator registers its name, its parameter schema and one type-erased entry point per
/// scalar type. The library is an OBJECT library, so the linker cannot drop a registration.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "algorithms/estimator.hpp"
#include "algorithms/operator.hpp"
#include "algorithms/options.hpp"
#include "algorithms/params.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

namespace specbench {

/// A name -> entry map that rejects duplicates and, on a miss, lists every accepted name.
template <class Info>
class Registry {
 public:
  static Registry& instance() {
    static Registry registry;
    return registry;
  }
  void add(Info info) {
    const std::string name = info.name;
    if (!entries_.emplace(name, std::move(info)).second)
      throw std::logic_error("duplicate registration of '" + name + "'");
  }
  const Info* find(const std::string& name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }
  /// The entry, or InvalidArgument "unknown <kind> 'x'; accepted: a, b, c".
  const Info& get(const std::string& name, std::string_view kind) const {
    const Info* info = find(name);
    SPECBENCH_REQUIRE(info != nullptr, "unknown ", kind, " '", name, "'; accepted: ", names_text());
    return *info;
  }
  /// Entries in name order.
  std::vector<const Info*> all() const {
    std::vector<const Info*> out;
    for (const auto& [name, info] : entries_) out.push_back(&info);
    return out;
  }
  std::string names_text() const {
    std::string out;
    for (const auto& [name, info] : entries_) out += (out.empty() ? "" : ", ") + name;
    return out;
  }

 private:
  std::map<std::string, Info> entries_;
};

template <class T>
using EstimatorFn = std::function<EstimateResult<T>(const Operator<T>&, const ParamSet&, Rng&,
                                                    const RunControl<T>&)>;

/// The common start-vector contract (EstimatorInfo::first_start): n standard normal numbers from
/// Rng(seed), as fill_gaussian draws them.
inline std::vector<double> gaussian_start(std::uint64_t seed, Index n) {
  Rng rng(seed);
  std::vector<double> v(static_cast<std::size_t>(n));
  fill_gaussian<double>(rng, v);
  return v;
}

struct EstimatorInfo {
  std::string name;
  std::string summary;  ///< one line for `specbench list`
  /// Where the estimator comes from: "built-in" (linked into specbench), or the plug-in that
  /// declared it (a shared library's path, an external command), shown by `specbench list`.
  std::string origin = "built-in";
  /// What the plug-in's code is, for the sweep's cell keys: "" for a built-in (the build is
  /// provenance), else a hash of the plug-in's code (a shared library's bytes; an external
  /// command, its description and the files it names), so that a resume or a compare never
  /// mixes rows of two versions of a plug-in, as an edited matrix file makes new cells.
  std::string code_hash;
  ParamSchema schema;
  /// The parameter that counts iterations (the sweep's `iterations` list sets it); "" if none.
  std::string iteration_param;
  /// True if one run to the largest iteration count yields every smaller count as a checkpoint
  /// (power, Lanczos). False if iterates are not nested (rsvd's power_iters): one run per value.
  bool nested = false;
  /// True if the estimator uses RunControl::start_u (`specbench estimate --start FILE`).
  bool takes_start = false;
  /// True for parameters with which the estimator does NOT keep its basis orthogonal (Lanczos
  /// without reorthogonalization): its vectors then depend on rounding far more than a
  /// backward-stable iteration's (Paige 1976), which `specbench compare` allows for. Empty:
  /// always orthogonal (or no basis).
  std::function<bool(const ParamSet&)> loses_orthogonality;
  /// True if the harness may run the estimator on 2^-e A (algorithms/scaled.hpp, exact) when the
  /// matrix's entries are so large or small that Gram products would overflow or underflow, and
  /// scale sigma back. False for an estimator that must reproduce another library operation for
  /// operation at every scale (torch_power).
  bool power_of_two_scaling = true;
  /// True if the estimator reports its own products and time (an external plug-in that reads
  /// the matrix itself): runs.csv `counted_by` says "plugin" instead of "harness".
  bool self_reported = false;
  /// A convergence theory the plots may overlay: "power" for power iteration's
  /// (sigma2/sigma1)^(4k) bound on rel_err (Trefethen & Bau, Thm 27.1); "" for none.
  std::string rate_theory;
  /// Products with A or A^T (a block of k columns counts k) of a run with these parameters and
  /// `iterations` iterations, for work estimates (`specbench run --dry-run`); empty: 2 per
  /// iteration (one A x and one A^T y).
  std::function<double(const ParamSet&, double iterations)> products;
  /// The start-vector contract: the right start vector (length n) the estimator draws first
  /// from its generator seeded with `seed` (in double; a float run rounds it), which theory
  /// checks bound convergence with (`specbench check`). Empty: no such contract.
  std::function<std::vector<double>(std::uint64_t seed, Index n)> first_start;
  EstimatorFn<float> run_f32;
  EstimatorFn<double> run_f64;

  template <class T>
  const EstimatorFn<T>& run() const {
    if constexpr (std::is_same_v<T, float>)
      return run_f32;
    else
      return run_f64;
  }
};

using EstimatorRegistry = Registry<EstimatorInfo>;

/// What an estimator knows about itself in terms of its typed options (define_estimator turns
/// these into the EstimatorInfo fields of the same names).
template <class Options>
struct TypedTraits {
  std::function<bool(const Options&)> loses_orthogonality;
  std::function<double(const Options&, double iterations)> products;
};

/// An EstimatorInfo whose schema, parameter binding and float/double entry points are generated
/// from one option table. `run` is a generic callable
/// `(const Operator<T>&, const Options&, Rng&, const RunControl<T>&) -> EstimateResult<T>`,
/// called with T = float and T = double (typically a lambda forwarding to the template).
template <class Options, class Run>
EstimatorInfo define_estimator(EstimatorInfo info, const OptionTable<Options>& table, Run run,
                               TypedTraits<Options> traits = {}) {
  info.schema = table.schema();
  info.run_f32 = [table, run](const Operator<float>& a, const ParamSet& p, Rng& rng,
                              const RunControl<float>& control) {
    return run(a, table.bind(p), rng, control);
  };
  info.run_f64 = [table, run](const Operator<double>& a, const ParamSet& p, Rng& rng,
                              const RunControl<double>& control) {
    return run(a, table.bind(p), rng, control);
  };
  if (traits.loses_orthogonality)
    info.loses_orthogonality = [table, f = traits.loses_orthogonality](const ParamSet& p) {
      return f(table.bind(p));
    };
  if (traits.products)
    info.products = [table, f = traits.products](const ParamSet& p, double iterations) {
      return f(table.bind(p), iterations);
    };
  return info;
}

/// Registers at static-initialization time: `const EstimatorRegistrar kRegister{{...}};`
struct EstimatorRegistrar {
  explicit EstimatorRegistrar(EstimatorInfo info) {
    EstimatorRegistry::instance().add(std::move(info));
  }
};

}  // namespace specbench
