#include "harness/sweep/config_reader.hpp"

#include <sstream>

#include "core/error.hpp"
#include "harness/results/output.hpp"

namespace specbench {

void ConfigReader::fail(const toml::node* node, std::string_view key, std::string_view msg) const {
  std::ostringstream out;
  out << file_;
  if (node && node->source().begin) out << ":" << node->source().begin.line;
  out << ": ";
  if (!key.empty()) out << "key '" << key << "': ";
  out << msg;
  throw InvalidArgument(out.str());
}

void ConfigReader::allow_keys(const toml::table& table,
                              std::initializer_list<std::string_view> allowed,
                              std::string_view where) const {
  for (const auto& [key, node] : table) {
    bool ok = false;
    for (auto a : allowed) ok = ok || key.str() == a;
    if (!ok) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(&node, key.str(), detail::concat("unknown key in ", where, "; accepted: ", list));
    }
  }
}

std::vector<std::string> ConfigReader::texts(const toml::node& node, std::string_view key) const {
  std::vector<std::string> out;
  auto one = [&](const toml::node& n) {
    if (auto s = n.as_string()) return s->get();
    if (auto i = n.as_integer()) return std::to_string(i->get());
    if (auto f = n.as_floating_point()) return format_value(ParamValue(f->get()));
    if (auto b = n.as_boolean()) return std::string(b->get() ? "true" : "false");
    fail(&n, key, "expected a string, number or boolean (or an array of them)");
  };
  if (auto arr = node.as_array()) {
    if (arr->empty()) fail(&node, key, "the list is empty");
    for (const auto& n : *arr) out.push_back(one(n));
  } else {
    out.push_back(one(node));
  }
  return out;
}

std::vector<long long> ConfigReader::integers(const toml::node& node, std::string_view key,
                                              long long min, long long max) const {
  std::vector<long long> out;
  auto one = [&](const toml::node& n) {
    auto i = n.as_integer();
    if (!i) fail(&n, key, "expected an integer");
    if (i->get() < min) fail(&n, key, detail::concat("must be >= ", min, ", got ", i->get()));
    if (i->get() > max) fail(&n, key, detail::concat("must be <= ", max, ", got ", i->get()));
    out.push_back(i->get());
  };
  if (auto arr = node.as_array()) {
    if (arr->empty()) fail(&node, key, "the list is empty");
    for (const auto& n : *arr) one(n);
  } else {
    one(node);
  }
  return out;
}

void read_defaults(const ConfigReader& cfg, const toml::table& t, Defaults& d) {
  if (auto n = t.get("seeds")) {
    d.seeds.clear();
    if (n->is_integer()) {  // seeds = N means 0 .. N-1
      const auto count = cfg.integers(*n, "seeds", 1, kMaxSeeds).front();
      for (long long s = 0; s < count; ++s) d.seeds.push_back(std::uint64_t(s));
    } else {
      for (auto s : cfg.integers(*n, "seeds", 0)) d.seeds.push_back(std::uint64_t(s));
    }
  }
  if (auto n = t.get("precisions")) {
    d.precisions.clear();
    for (const auto& p : cfg.texts(*n, "precisions")) {
      try {
        d.precisions.push_back(parse_precision(p));
      } catch (const InvalidArgument& e) {
        cfg.fail(n, "precisions", e.what());
      }
    }
  }
  if (auto n = t.get("iterations")) {
    d.iterations.clear();
    for (auto i : cfg.integers(*n, "iterations", 1, std::numeric_limits<int>::max()))
      d.iterations.push_back(int(i));
  }
}

}  // namespace specbench
