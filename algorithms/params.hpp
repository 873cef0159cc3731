#pragma once
/// \file
/// Typed parameter schemas (names, types, defaults, ranges, help) and validated parameter sets.
/// Estimators and matrix families declare a schema; user text such as `steps=30,reorth=full` is
/// resolved against it, and anything unknown or mistyped is rejected with a message that lists
/// what is accepted.

#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace specbench {

enum class ParamType { Int, Real, Bool, Choice, String };

std::string_view to_string(ParamType t);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Int;
  std::string default_value;  ///< as text; "" with required = true means no default
  std::string help;
  std::vector<std::string> choices;                       ///< accepted values of a Choice
  double min = -std::numeric_limits<double>::infinity();  ///< inclusive bounds of Int and Real
  double max = std::numeric_limits<double>::infinity();
  bool required = false;
};

using ParamValue = std::variant<long long, double, bool, std::string>;

/// Text of a value as the user would write it (shortest round-trip form for reals).
std::string format_value(const ParamValue& v);

/// A complete, validated set of parameter values (every schema entry has a value).
class ParamSet {
 public:
  long long get_int(std::string_view name) const;
  double get_real(std::string_view name) const;
  bool get_bool(std::string_view name) const;
  const std::string& get_string(std::string_view name) const;  ///< Choice or String
  const ParamValue& get(std::string_view name) const;
  bool has(std::string_view name) const { return values_.find(name) != values_.end(); }
  void set(const std::string& name, ParamValue v) { values_[name] = std::move(v); }
  /// `k=v,k=v` in schema order: the canonical text of these parameters.
  std::string to_string() const;
  std::vector<std::pair<std::string, ParamValue>> items() const;

 private:
  friend class ParamSchema;
  std::vector<std::string> order_;
  std::map<std::string, ParamValue, std::less<>> values_;
};

class ParamSchema {
 public:
  ParamSchema() = default;
  ParamSchema(std::vector<ParamSpec> specs);  // NOLINT: implicit from a braced list is intended
  const std::vector<ParamSpec>& specs() const { return specs_; }
  const ParamSpec* find(std::string_view name) const;

  /// Validates `given` (name -> text) against the schema and fills defaults. `owner` names the
  /// estimator or family in error messages ("estimator 'power'").
  ParamSet resolve(const std::vector<std::pair<std::string, std::string>>& given,
                   std::string_view owner) const;
  /// Parses one value of parameter `spec`; throws InvalidArgument naming owner, name and value.
  static ParamValue parse_value(const ParamSpec& spec, std::string_view text,
                                std::string_view owner);
  /// "iters (int >= 0, default 100), tol (real, default 0)": for error messages.
  std::string describe() const;

 private:
  std::vector<ParamSpec> specs_;
};

/// A parsed `name:key=value,key=value` spec (name alone is fine). Keys keep their order.
struct NamedSpec {
  std::string name;
  std::vector<std::pair<std::string, std::string>> params;
};

/// Splits `name:k=v,...`; throws InvalidArgument for a missing name, an item without '=',
/// an empty key or a key given twice. `what` names the option in messages ("--estimator").
NamedSpec parse_named_spec(std::string_view text, std::string_view what);

}  // namespace specbench
