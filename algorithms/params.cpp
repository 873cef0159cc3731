#include "algorithms/params.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "core/error.hpp"

namespace specbench {

std::string_view to_string(ParamType t) {
  switch (t) {
    case ParamType::Int:
      return "int";
    case ParamType::Real:
      return "real";
    case ParamType::Bool:
      return "bool";
    case ParamType::Choice:
      return "choice";
    case ParamType::String:
      return "string";
  }
  return "unknown";
}

std::string format_value(const ParamValue& v) {
  if (const auto* i = std::get_if<long long>(&v)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, *d);  // shortest text that round-trips
    return std::string(buf, r.ptr);
  }
  return std::get<std::string>(v);
}

const ParamValue& ParamSet::get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end())
    throw std::logic_error("parameter '" + std::string(name) + "' is not in this parameter set");
  return it->second;
}
long long ParamSet::get_int(std::string_view name) const {
  return std::get<long long>(get(name));
}
double ParamSet::get_real(std::string_view name) const {
  return std::get<double>(get(name));
}
bool ParamSet::get_bool(std::string_view name) const {
  return std::get<bool>(get(name));
}
const std::string& ParamSet::get_string(std::string_view name) const {
  return std::get<std::string>(get(name));
}

std::vector<std::pair<std::string, ParamValue>> ParamSet::items() const {
  std::vector<std::pair<std::string, ParamValue>> out;
  for (const auto& name : order_) out.emplace_back(name, values_.find(name)->second);
  for (const auto& [name, value] : values_)  // values set outside the schema, if any
    if (std::find(order_.begin(), order_.end(), name) == order_.end())
      out.emplace_back(name, value);
  return out;
}

std::string ParamSet::to_string() const {
  std::string out;
  for (const auto& [name, value] : items()) {
    if (!out.empty()) out += ',';
    out += name + "=" + format_value(value);
  }
  return out;
}

ParamSchema::ParamSchema(std::vector<ParamSpec> specs) : specs_(std::move(specs)) {}

const ParamSpec* ParamSchema::find(std::string_view name) const {
  for (const auto& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

std::string ParamSchema::describe() const {
  if (specs_.empty()) return "(none)";
  std::ostringstream out;
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const auto& s = specs_[i];
    if (i) out << ", ";
    out << s.name << " (" << to_string(s.type);
    if (s.type == ParamType::Choice) {
      out << ":";
      for (std::size_t c = 0; c < s.choices.size(); ++c) out << (c ? "|" : " ") << s.choices[c];
    }
    if (std::isfinite(s.min)) out << " >= " << s.min;
    if (std::isfinite(s.max)) out << " <= " << s.max;
    if (s.required)
      out << ", required";
    else
      out << ", default " << (s.default_value.empty() ? "\"\"" : s.default_value);
    out << ")";
  }
  return out.str();
}

ParamValue ParamSchema::parse_value(const ParamSpec& spec, std::string_view text,
                                    std::string_view owner) {
  auto fail = [&](std::string_view why) {
    return InvalidArgument(
        detail::concat(owner, ": parameter '", spec.name, "' = '", text, "' ", why));
  };
  auto check_range = [&](double x) {
    if (x < spec.min || x > spec.max) {
      std::ostringstream r;
      r << "is out of range [" << spec.min << ", " << spec.max << "]";
      throw fail(r.str());
    }
  };
  switch (spec.type) {
    case ParamType::Int: {
      long long x = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        throw fail("is not an integer");
      check_range(double(x));
      return x;
    }
    case ParamType::Real: {
      double x = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
      if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        throw fail("is not a real number");
      if (!std::isfinite(x)) throw fail("is not finite");
      check_range(x);
      return x;
    }
    case ParamType::Bool:
      if (text == "true") return true;
      if (text == "false") return false;
      throw fail("is not a boolean (true or false)");
    case ParamType::Choice: {
      for (const auto& c : spec.choices)
        if (c == text) return std::string(text);
      std::string accepted;
      for (const auto& c : spec.choices) accepted += (accepted.empty() ? "" : ", ") + c;
      throw fail("is not one of: " + accepted);
    }
    case ParamType::String:
      if (text.empty()) throw fail("is empty");
      return std::string(text);
  }
  throw fail("has an unknown type");
}

ParamSet ParamSchema::resolve(const std::vector<std::pair<std::string, std::string>>& given,
                              std::string_view owner) const {
  ParamSet out;
  for (const auto& [name, text] : given) {
    const ParamSpec* spec = find(name);
    SPECBENCH_REQUIRE(spec != nullptr, owner, ": unknown parameter '", name,
                      "'; accepted: ", describe());
    SPECBENCH_REQUIRE(!out.has(name), owner, ": parameter '", name, "' given twice");
    try {
      out.values_[name] = parse_value(*spec, text, owner);
    } catch (const InvalidArgument& e) {  // a mistyped value: also say what is accepted
      throw InvalidArgument(detail::concat(e.what(), "; accepted: ", describe()));
    }
  }
  for (const auto& spec : specs_) {
    out.order_.push_back(spec.name);
    if (out.has(spec.name)) continue;
    SPECBENCH_REQUIRE(!spec.required, owner, ": parameter '", spec.name,
                      "' is required; accepted: ", describe());
    out.values_[spec.name] = parse_value(spec, spec.default_value, owner);
  }
  return out;
}

NamedSpec parse_named_spec(std::string_view text, std::string_view what) {
  NamedSpec out;
  const auto colon = text.find(':');
  out.name = std::string(text.substr(0, colon));
  SPECBENCH_REQUIRE(!out.name.empty(), what, " '", text, "': missing name before ':'");
  if (colon == std::string_view::npos) return out;
  std::string_view rest = text.substr(colon + 1);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto eq = item.find('=');
    SPECBENCH_REQUIRE(eq != std::string_view::npos && eq > 0, what, " '", text, "': item '", item,
                      "' is not of the form key=value");
    std::string key(item.substr(0, eq));
    for (const auto& [k, v] : out.params)
      SPECBENCH_REQUIRE(k != key, what, " '", text, "': key '", key, "' given twice");
    out.params.emplace_back(std::move(key), std::string(item.substr(eq + 1)));
  }
  return out;
}

}  // namespace specbench
