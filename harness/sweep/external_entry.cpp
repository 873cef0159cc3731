#include "harness/sweep/external_entry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "harness/plugins/child_process.hpp"
#include "harness/plugins/external.hpp"

namespace specbench {
namespace {

/// The external estimators registered so far, by name: their command, for reuse.
std::map<std::string, std::string>& registered() {
  static std::map<std::string, std::string> commands;
  return commands;
}

ExternalCommand read_command(const ConfigReader& cfg, const toml::table& entry) {
  ExternalCommand command;
  const toml::node* node = entry.get("command");
  const toml::array* list = node->as_array();
  if (!list || list->empty())
    cfg.fail(node, "command",
             "expected a non-empty list of strings, e.g. [\"/usr/bin/python3\", \"plugin.py\"]");
  for (const auto& word : *list) {
    if (!word.is_string() || word.as_string()->get().empty())
      cfg.fail(&word, "command", "every word of the command must be a non-empty string");
    command.argv.push_back(word.as_string()->get());
  }
  // Relative paths in a config are relative to its folder: the command runs there.
  command.cwd = std::filesystem::absolute(cfg.folder().empty() ? "." : cfg.folder());
  if (const toml::node* mode = entry.get("mode")) {
    const auto text = mode->value<std::string>();
    if (text == "operator")
      command.mode = ExternalMode::Operator;
    else if (text == "matrix")
      command.mode = ExternalMode::Matrix;
    else
      cfg.fail(mode, "mode", "expected \"operator\" or \"matrix\"");
  }
  if (const toml::node* timeout = entry.get("timeout")) {
    const auto seconds = timeout->value<double>();
    if (!seconds || !std::isfinite(*seconds) || *seconds <= 0 || *seconds > 1e6)
      cfg.fail(timeout, "timeout", "expected seconds per cell, a number in (0, 1e6]");
    command.timeout_s = *seconds;
  }
  return command;
}

}  // namespace

bool is_external_entry_key(const std::string& key) {
  const auto& keys = reserved_entry_keys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

const EstimatorInfo& external_estimator(const ConfigReader& cfg, const toml::table& entry,
                                        const std::string& name) {
  if (const char* off = std::getenv("SPECBENCH_EXTERNAL"); off && std::string(off) == "off")
    cfg.fail(entry.get("command"), "command",
             "external estimators are disabled here (SPECBENCH_EXTERNAL=off)");
  const ExternalCommand command = read_command(cfg, entry);
  const std::string identity =
      command.text() + (command.mode == ExternalMode::Matrix ? " [matrix]" : " [operator]") +
      " timeout " + std::to_string(command.timeout_s) + " in " + command.cwd.string();
  auto& registry = EstimatorRegistry::instance();
  if (const EstimatorInfo* known = registry.find(name)) {
    const auto it = registered().find(name);
    if (it != registered().end() && it->second == identity) return *known;
    cfg.fail(entry.get("name"), "name",
             "'" + name + "' is already an estimator (from " + known->origin +
                 "); give the command " + command.text() + " another name");
  }
  EstimatorInfo info;
  try {
    info = describe_external(name, command);
  } catch (const PluginError& e) {
    cfg.fail(entry.get("command"), "command", command.text() + ": " + e.what());
  }
  registry.add(std::move(info));
  registered()[name] = identity;
  return *registry.find(name);
}

}  // namespace specbench
