// load_sweep: a TOML config read, validated and expanded into a SweepPlan.
#include <toml++/toml.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "harness/hash.hpp"
#include "harness/plugins/shared_library.hpp"
#include "harness/sweep/block.hpp"
#include "harness/sweep/config_reader.hpp"
#include "harness/sweep/plan.hpp"
#include "harness/sweep/sweep.hpp"

namespace specbench {
namespace {

std::string read_config_text(const std::filesystem::path& config) {
  std::ifstream in(config);
  if (!in) throw InvalidArgument(config.string() + ": cannot open the config file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

toml::table parse_config(const std::string& text, const std::filesystem::path& config) {
  try {
    return toml::parse(text, config.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << config.string() << ":" << e.source().begin.line << ": " << e.description();
    throw InvalidArgument(out.str());
  }
}

/// [sweep] tolerances = [...]: positive finite numbers.
std::vector<double> read_tolerances(const ConfigReader& cfg, const toml::node& n) {
  std::vector<double> tolerances;
  const toml::array* arr = n.as_array();
  if (!arr || arr->empty())
    cfg.fail(&n, "tolerances", "expected a list of numbers, e.g. [1e-2, 1e-6]");
  for (const auto& t : *arr) {
    const auto v = t.value<double>();
    if (!v || !(*v > 0) || !std::isfinite(*v))
      cfg.fail(&t, "tolerances", "expected positive finite numbers");
    tolerances.push_back(*v);
  }
  return tolerances;
}

/// [sweep] timing = { repeats = R }.
int read_timing_repeats(const ConfigReader& cfg, const toml::node& n) {
  const toml::table* t = n.as_table();
  if (!t) cfg.fail(&n, "timing", "expected a table: timing = { repeats = 3 }");
  cfg.allow_keys(*t, {"repeats"}, "timing");
  const toml::node* r = t->get("repeats");
  return r ? int(cfg.integers(*r, "repeats", 0, 1000).front()) : 0;
}

/// The [sweep] table: the sweep's name, output, tolerances and timing, and the defaults its
/// blocks inherit.
void read_sweep_table(const ConfigReader& cfg, const toml::node& sweep_node, SweepPlan& plan,
                      Defaults& defaults) {
  const toml::table* sweep = sweep_node.as_table();
  if (!sweep) cfg.fail(&sweep_node, "sweep", "expected a table [sweep]");
  cfg.allow_keys(
      *sweep,
      {"name", "output", "seeds", "precisions", "iterations", "tolerances", "timing", "plugins"},
      "[sweep]");
  // plugins = ["lib/x.so", ...]: shared-library estimators (include/specbench/plugin.h), loaded
  // before the blocks name them; relative paths are taken from the config's folder.
  if (auto n = sweep->get("plugins")) {
    const toml::array* list = n->as_array();
    if (!list) cfg.fail(n, "plugins", "expected a list of shared-library paths");
    for (const auto& item : *list) {
      const auto* path = item.as_string();
      if (!path) cfg.fail(&item, "plugins", "expected a path (a string)");
      const std::filesystem::path lib(path->get());
      try {
        load_plugin_library(lib.is_relative() ? cfg.folder() / lib : lib);
      } catch (const InvalidArgument& e) {
        cfg.fail(&item, "plugins", e.what());
      }
    }
  }
  if (auto n = sweep->get("name")) plan.name = cfg.texts(*n, "name").front();
  if (auto n = sweep->get("tolerances")) plan.tolerances = read_tolerances(cfg, *n);
  if (auto n = sweep->get("timing")) plan.timing_repeats = read_timing_repeats(cfg, *n);
  if (auto n = sweep->get("output")) {
    const std::filesystem::path out(cfg.texts(*n, "output").front());
    plan.output = out.is_relative() ? (cfg.folder() / out).lexically_normal() : out;
  }
  read_defaults(cfg, *sweep, defaults);
}

void read_blocks(const ConfigReader& cfg, const toml::table& root, const Defaults& defaults,
                 SweepPlan& plan) {
  const toml::node* blocks_node = root.get("block");
  const toml::array* blocks = blocks_node ? blocks_node->as_array() : nullptr;
  if (!blocks || blocks->empty())
    cfg.fail(blocks_node, "block",
             "the config needs at least one [[block]] with matrices and estimators");
  std::map<std::string, std::size_t> matrix_index;
  for (const auto& b : *blocks) {
    const toml::table* block = b.as_table();
    if (!block) cfg.fail(&b, "block", "expected [[block]] tables");
    add_block(cfg, *block, defaults, plan, matrix_index);
  }
}

/// The config's identity: its content as parsed, re-serialized by toml++ (comments, layout and
/// key order do not matter), without [sweep] output (where results go changes no result).
std::string config_identity(const toml::table& root) {
  toml::table canonical = root;
  if (toml::table* sweep = canonical["sweep"].as_table()) sweep->erase("output");
  std::ostringstream text;
  text << canonical;
  return sha256_hex(text.str());
}

}  // namespace

SweepPlan load_sweep(const std::filesystem::path& config) {
  const ConfigReader cfg(config.string());
  SweepPlan plan;
  plan.config_path = config;
  plan.config_text = read_config_text(config);
  const toml::table root = parse_config(plan.config_text, config);
  cfg.allow_keys(root, {"sweep", "block"}, "the config");

  Defaults defaults;
  plan.name = config.stem().string();
  plan.output = std::filesystem::path("results") / plan.name;
  if (const toml::node* sweep_node = root.get("sweep"))
    read_sweep_table(cfg, *sweep_node, plan, defaults);
  read_blocks(cfg, root, defaults, plan);
  plan.config_hash = config_identity(root);
  order_runs(plan);
  assign_cell_keys(plan, config.string());
  return plan;
}

}  // namespace specbench
