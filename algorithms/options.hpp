#pragma once
/// \file
/// Estimator options declared once. An estimator's options are a plain struct whose member
/// initializers are the documented defaults, plus ONE field table naming each member:
///
///     const OptionTable<PowerOptions> kPowerOptions{
///         option("iters", &PowerOptions::iters, "maximum number of iterations", 1, 1e8),
///         option("warm", &PowerOptions::warm, "start from the previous step's v"),
///     };
///
/// From the table come the parameter schema (name, type, default, range, choices, help: what
/// `specbench list` prints and user text is checked against), the binding of a validated
/// ParamSet to the struct, and (algorithms/registry.hpp, `define_estimator`) the float and
/// double entry points. Integers and reals carry ranges; booleans are `bool` members; an enum
/// member lists its names. The defaults are read from a value-initialized struct, so a default
/// is never written twice.

#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "algorithms/params.hpp"
#include "core/error.hpp"

namespace specbench {

/// One row of an option table: the generated schema entry and how its value reaches the struct.
template <class Options>
struct OptionField {
  ParamSpec spec;
  std::function<void(Options&, const ParamValue&)> bind;
};

/// An int member with inclusive bounds [min, max].
template <class Options>
OptionField<Options> option(std::string name, int Options::*member, std::string help,
                            double min = std::numeric_limits<int>::min(),
                            double max = std::numeric_limits<int>::max()) {
  return {{.name = std::move(name),
           .type = ParamType::Int,
           .default_value = std::to_string(Options{}.*member),
           .help = std::move(help),
           .min = min,
           .max = max},
          [member](Options& o, const ParamValue& v) { o.*member = int(std::get<long long>(v)); }};
}

/// A double member with inclusive bounds [min, max] (values are finite: ParamSchema checks).
template <class Options>
OptionField<Options> option(std::string name, double Options::*member, std::string help,
                            double min = -std::numeric_limits<double>::infinity(),
                            double max = std::numeric_limits<double>::infinity()) {
  return {{.name = std::move(name),
           .type = ParamType::Real,
           .default_value = format_value(ParamValue(Options{}.*member)),
           .help = std::move(help),
           .min = min,
           .max = max},
          [member](Options& o, const ParamValue& v) { o.*member = std::get<double>(v); }};
}

/// A bool member: `true` or `false`.
template <class Options>
OptionField<Options> option(std::string name, bool Options::*member, std::string help) {
  return {{.name = std::move(name),
           .type = ParamType::Bool,
           .default_value = Options{}.*member ? "true" : "false",
           .help = std::move(help)},
          [member](Options& o, const ParamValue& v) { o.*member = std::get<bool>(v); }};
}

/// An enum member, written as one of `names` (name, value pairs; the default must be listed).
template <class Options, class Enum>
requires std::is_enum_v<Enum> OptionField<Options> option(
    std::string name, Enum Options::*member, std::vector<std::pair<std::string, Enum>> names,
    std::string help) {
  ParamSpec spec{.name = std::move(name), .type = ParamType::Choice, .help = std::move(help)};
  for (const auto& [text, value] : names) {
    spec.choices.push_back(text);
    if (value == Options{}.*member) spec.default_value = text;
  }
  if (spec.default_value.empty())
    throw std::logic_error("option '" + spec.name + "': the default value has no name");
  return {std::move(spec), [member, names](Options& o, const ParamValue& v) {
            const auto& text = std::get<std::string>(v);
            for (const auto& [n, value] : names)
              if (n == text) o.*member = value;
          }};
}

/// The option table of one estimator: its schema, and a validated ParamSet bound to the struct.
template <class Options>
class OptionTable {
 public:
  OptionTable(std::initializer_list<OptionField<Options>> fields) : fields_(fields) {}

  ParamSchema schema() const {
    std::vector<ParamSpec> specs;
    for (const auto& f : fields_) specs.push_back(f.spec);
    return ParamSchema(std::move(specs));
  }
  /// The struct with every field of the table set from `p` (resolved against schema()).
  Options bind(const ParamSet& p) const {
    Options o{};
    for (const auto& f : fields_) f.bind(o, p.get(f.spec.name));
    return o;
  }

 private:
  std::vector<OptionField<Options>> fields_;
};

}  // namespace specbench
