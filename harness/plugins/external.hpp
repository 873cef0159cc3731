#pragma once
/// \file
/// External-process estimators: an estimator that is a command, in any language, speaking the
/// protocol of harness/plugins/protocol.hpp (README, "External estimators"). `describe_external`
/// runs `COMMAND --describe` for its schema and returns an EstimatorInfo whose run_f32/run_f64
/// start the command once per cell, so that plans, schema validation, --dry-run, meta.json,
/// summaries, plots and compare treat it like a built-in.
///
/// Two modes. Operator: reverse communication; the plug-in asks for products with A and A^T
/// (and Gaussian numbers from the cell's generator), which the harness answers through the
/// cell's counted operator: products and time are the harness's. Matrix: the plug-in reads the
/// matrix from a private temporary file (.npy dense, .mtx sparse) and reports its own products
/// and time (runs.csv `counted_by` = plugin).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "algorithms/registry.hpp"

namespace specbench {

enum class ExternalMode { Operator, Matrix };

struct ExternalCommand {
  std::vector<std::string> argv;  ///< argv[0] is searched in PATH if it has no '/'
  std::filesystem::path cwd;      ///< the command runs here (the config's folder)
  ExternalMode mode = ExternalMode::Operator;
  double timeout_s = 60;  ///< per cell (and for --describe), from spawn to exit
  /// The command as one shell-quoted line (origin, messages).
  std::string text() const;
};

/// Parameter names the config entry itself uses: a plug-in may not declare them.
inline const std::vector<std::string>& reserved_entry_keys() {
  static const std::vector<std::string> keys{"name", "command", "mode", "timeout"};
  return keys;
}

/// Fills info's summary, schema, iteration_param and nested from a --describe object:
/// {"summary": "...", "params": [{"name", "type": int|real|string|bool, "default", "min",
/// "max", "choices", "help"}], "iteration_param": "iters", "nested": true}. Throws PluginError
/// naming the offending key.
void parse_description(const nlohmann::json& description, EstimatorInfo& info);

/// Runs `COMMAND --describe` (under the command's timeout) and returns the EstimatorInfo named
/// `name` (origin: the command). Throws PluginError saying what failed, with stderr's tail.
EstimatorInfo describe_external(const std::string& name, const ExternalCommand& command);

/// One cell of an external estimator (the body of its run_f32 / run_f64). Throws PluginError
/// (an error row) if the plug-in fails in any way; bad parameters were refused before.
template <class T>
EstimateResult<T> run_external(const ExternalCommand& command, const Operator<T>& a,
                               const ParamSet& params, Rng& rng, const RunControl<T>& control);

/// The parameters as the start message sends them: name -> typed JSON value.
nlohmann::json params_json(const ParamSet& params);

}  // namespace specbench
