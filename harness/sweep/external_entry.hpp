#pragma once
/// \file
/// Internal to sweep/: a [[block.estimators]] entry that names a command instead of a built-in
/// (harness/plugins/external.hpp): `command = [...]`, `mode = "operator" | "matrix"`,
/// `timeout = seconds`.

#include <toml++/toml.h>

#include <string>

#include "algorithms/registry.hpp"
#include "harness/sweep/config_reader.hpp"

namespace specbench {

/// The estimator of an entry with `command`: on first use its `COMMAND --describe` is run and
/// the result registered under the entry's name (origin: the command); an entry naming the same
/// command again reuses it. Exit-2 errors (InvalidArgument) name the config file, line and key,
/// and the command: a bad key, a describe that fails or prints a bad schema, a name already
/// taken by a built-in or by another command.
const EstimatorInfo& external_estimator(const ConfigReader& cfg, const toml::table& entry,
                                        const std::string& name);

/// True if `key` is one of the entry's own keys (not a parameter) for an external estimator.
bool is_external_entry_key(const std::string& key);

}  // namespace specbench
