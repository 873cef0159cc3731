#include "harness/plugins/shared_library.hpp"

#include <dlfcn.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <string>

#include "algorithms/registry.hpp"
#include "core/error.hpp"
#include "harness/hash.hpp"
#include "harness/plugins/plugin_run.hpp"
#include "include/specbench/plugin.h"

namespace specbench {
namespace {

// Bounds on what a plug-in may declare: far above any real plug-in, low enough that a corrupt
// table (a garbage count) is refused before it is walked.
constexpr std::int32_t kMaxEstimators = 1024, kMaxParams = 256;
constexpr std::size_t kMaxText = 4096;  // a name, summary, help or default: one line of text

std::mutex& plugins_mutex() {
  static std::mutex m;
  return m;
}

std::vector<LoadedPlugin>& plugins() {
  static std::vector<LoadedPlugin> p;
  return p;
}

/// A C string from the plug-in, or InvalidArgument: NULL (unless allowed) or longer than a
/// line (a pointer into garbage).
std::string text(const char* s, const std::string& what, const std::string& where,
                 bool allow_null = false) {
  if (!s) {
    SPECBENCH_REQUIRE(allow_null, where, ": ", what, " is NULL");
    return {};
  }
  const std::size_t length = strnlen(s, kMaxText + 1);
  SPECBENCH_REQUIRE(length <= kMaxText, where, ": ", what, " is longer than ", kMaxText,
                    " characters");
  return std::string(s, length);
}

/// [a-z][a-z0-9_]*: the names the spec syntax `name:key=value` and CSV fields accept as they are.
bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

ParamSpec read_param(const specbench_param_spec& p, const std::string& where) {
  ParamSpec spec;
  spec.name = text(p.name, "a parameter's name", where);
  const std::string at = where + ": parameter '" + spec.name + "'";
  SPECBENCH_REQUIRE(valid_name(spec.name), at, ": the name must match [a-z][a-z0-9_]*");
  switch (p.type) {
    case SPECBENCH_PARAM_INT:
      spec.type = ParamType::Int;
      break;
    case SPECBENCH_PARAM_REAL:
      spec.type = ParamType::Real;
      break;
    case SPECBENCH_PARAM_BOOL:
      spec.type = ParamType::Bool;
      break;
    case SPECBENCH_PARAM_CHOICE:
      spec.type = ParamType::Choice;
      break;
    case SPECBENCH_PARAM_STRING:
      spec.type = ParamType::String;
      break;
    default:
      SPECBENCH_REQUIRE(false, at, ": unknown type ", p.type);
  }
  spec.help = text(p.help, "help", at);
  if (spec.type == ParamType::Choice) {
    SPECBENCH_REQUIRE(p.choices != nullptr, at, ": a choice parameter needs choices");
    std::set<std::string> seen;
    for (int i = 0; p.choices[i] != nullptr; ++i) {
      SPECBENCH_REQUIRE(i < kMaxParams, at, ": more than ", kMaxParams, " choices");
      const std::string c = text(p.choices[i], "a choice", at);
      SPECBENCH_REQUIRE(valid_name(c), at, ": choice '", c, "' must match [a-z][a-z0-9_]*");
      SPECBENCH_REQUIRE(seen.insert(c).second, at, ": choice '", c, "' given twice");
      spec.choices.push_back(c);
    }
    SPECBENCH_REQUIRE(!spec.choices.empty(), at, ": a choice parameter needs choices");
  }
  if (spec.type == ParamType::Int || spec.type == ParamType::Real) {
    SPECBENCH_REQUIRE(!std::isnan(p.min) && !std::isnan(p.max) && p.min <= p.max, at,
                      ": the bounds [", p.min, ", ", p.max, "] are not an interval");
    spec.min = p.min <= -1e308 ? -HUGE_VAL : p.min;
    spec.max = p.max >= 1e308 ? HUGE_VAL : p.max;
  }
  if (p.default_value == nullptr) {
    spec.required = true;
  } else {
    spec.default_value = text(p.default_value, "the default", at);
    // the default must be a value the schema itself accepts
    (void)ParamSchema::parse_value(spec, spec.default_value, at);
  }
  return spec;
}

EstimatorInfo read_estimator(const specbench_estimator& e, const std::string& origin) {
  EstimatorInfo info;
  info.name = text(e.name, "an estimator's name", origin);
  const std::string where = origin + ": estimator '" + info.name + "'";
  SPECBENCH_REQUIRE(valid_name(info.name), where, ": the name must match [a-z][a-z0-9_]*");
  if (const EstimatorInfo* existing = EstimatorRegistry::instance().find(info.name))
    SPECBENCH_REQUIRE(false, where, ": the name is already taken by ", existing->origin);
  info.summary = text(e.summary, "summary", where);
  info.origin = origin;
  SPECBENCH_REQUIRE(e.n_params >= 0 && e.n_params <= kMaxParams, where, ": n_params = ", e.n_params,
                    " (0 to ", kMaxParams, ")");
  SPECBENCH_REQUIRE(e.n_params == 0 || e.params != nullptr, where, ": params is NULL");
  std::vector<ParamSpec> specs;
  std::set<std::string> names;
  for (std::int32_t i = 0; i < e.n_params; ++i) {
    specs.push_back(read_param(e.params[i], where));
    SPECBENCH_REQUIRE(names.insert(specs.back().name).second, where, ": parameter '",
                      specs.back().name, "' declared twice");
  }
  info.schema = ParamSchema(specs);
  info.iteration_param = text(e.iteration_param, "iteration_param", where, true);
  if (!info.iteration_param.empty()) {
    const ParamSpec* p = info.schema.find(info.iteration_param);
    SPECBENCH_REQUIRE(p != nullptr && p->type == ParamType::Int, where, ": iteration_param '",
                      info.iteration_param, "' is not one of its int parameters");
  }
  info.nested = e.nested != 0 && !info.iteration_param.empty();
  SPECBENCH_REQUIRE(e.run != nullptr, where, ": run is NULL");
  info.run_f32 = plugin_run<float>(&e, origin);
  info.run_f64 = plugin_run<double>(&e, origin);
  return info;
}

std::string file_sha256(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  Sha256 h;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) h.update(buf, std::size_t(in.gcount()));
  return h.hex();
}

}  // namespace

void load_plugin_library(const std::filesystem::path& path) {
  std::error_code ec;
  const auto canonical = std::filesystem::canonical(path, ec);
  SPECBENCH_REQUIRE(!ec, path.string(), ": no such plug-in library");
  SPECBENCH_REQUIRE(std::filesystem::is_regular_file(canonical), path.string(),
                    ": not a regular file");
  const std::string origin = canonical.string();
  const std::lock_guard lock(plugins_mutex());
  for (const auto& p : plugins())
    if (p.path == origin) return;  // loaded already (--plugin and a config naming the same file)

  // RTLD_LOCAL: the plug-in's symbols do not leak into later plug-ins; the handle is kept for
  // the life of the process (its tables are referenced by the registry).
  void* handle = ::dlopen(origin.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    SPECBENCH_REQUIRE(false, origin, ": cannot load the plug-in: ", why ? why : "dlopen failed");
  }
  using Entry = const specbench_plugin* (*)();
  ::dlerror();
  auto entry = reinterpret_cast<Entry>(::dlsym(handle, SPECBENCH_PLUGIN_ENTRY));
  if (!entry) {
    ::dlclose(handle);
    SPECBENCH_REQUIRE(false, origin, ": not a specbench plug-in (it exports no ",
                      SPECBENCH_PLUGIN_ENTRY, "; see include/specbench/plugin.h)");
  }
  const specbench_plugin* table = entry();
  SPECBENCH_REQUIRE(table != nullptr, origin, ": ", SPECBENCH_PLUGIN_ENTRY, "() returned NULL");
  SPECBENCH_REQUIRE(table->abi_version == SPECBENCH_PLUGIN_ABI_VERSION, origin,
                    ": built for plug-in ABI version ", table->abi_version,
                    "; this specbench speaks version ", SPECBENCH_PLUGIN_ABI_VERSION,
                    " (rebuild it against this include/specbench/plugin.h)");
  SPECBENCH_REQUIRE(table->n_estimators >= 1 && table->n_estimators <= kMaxEstimators, origin,
                    ": n_estimators = ", table->n_estimators, " (1 to ", kMaxEstimators, ")");
  SPECBENCH_REQUIRE(table->estimators != nullptr, origin, ": estimators is NULL");

  LoadedPlugin loaded;
  loaded.path = origin;
  loaded.name = text(table->name, "the plug-in's name", origin);
  loaded.sha256 = file_sha256(canonical);
  // Every estimator is checked before any is registered: a bad library adds nothing.
  std::vector<EstimatorInfo> infos;
  std::set<std::string> names;
  for (std::int32_t i = 0; i < table->n_estimators; ++i) {
    infos.push_back(read_estimator(table->estimators[i], origin));
    SPECBENCH_REQUIRE(names.insert(infos.back().name).second, origin, ": estimator '",
                      infos.back().name, "' declared twice");
  }
  for (auto& info : infos) {
    info.code_hash = "so-sha256:" + loaded.sha256;
    loaded.estimators.push_back(info.name);
    EstimatorRegistry::instance().add(std::move(info));
  }
  plugins().push_back(std::move(loaded));
}

void load_plugin_libraries(const std::vector<std::string>& paths) {
  for (const auto& p : paths) load_plugin_library(p);
}

const std::vector<LoadedPlugin>& loaded_plugins() {
  return plugins();
}

}  // namespace specbench
