// `COMMAND --describe`: an external estimator's schema, and its EstimatorInfo.
#include <algorithm>
#include <cmath>
#include <fstream>

#include "harness/hash.hpp"
#include "harness/plugins/child_process.hpp"
#include "harness/plugins/external.hpp"
#include "harness/plugins/protocol.hpp"
#include "harness/shell.hpp"

namespace specbench {
namespace {

/// Longest --describe output accepted.
constexpr std::size_t kMaxDescription = 256 * 1024;

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw PluginError("--describe: " + where + ": " + what);
}

/// The cell keys' hash of an external estimator's code: its mode, its description and the
/// bytes of every word of the command that names a regular file (the script; argv[0] too when
/// it is the program itself), relative to the folder it runs in. Files it imports are not
/// followed (the README says so).
std::string external_code_hash(const ExternalCommand& command, const std::string& description) {
  Sha256 h;
  const std::string head = command.text() + (command.mode == ExternalMode::Matrix ? "|m|" : "|o|");
  h.update(head.data(), head.size());
  h.update(description.data(), description.size());
  bool named_file = false;
  for (std::size_t i = command.argv.size(); i-- > 0;) {
    if (i == 0 && named_file) break;  // an interpreter running a script: the script is the code
    std::filesystem::path p = command.argv[i];
    if (p.is_relative()) p = command.cwd / p;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) continue;
    std::ifstream in(p, std::ios::binary);
    std::vector<char> buf(1 << 16);
    while (in.read(buf.data(), std::streamsize(buf.size())) || in.gcount() > 0)
      h.update(buf.data(), std::size_t(in.gcount()));
    named_file = true;
  }
  return "ext-sha256:" + h.hex();
}

/// A default or bound as the text ParamSchema parses.
std::string value_text(const nlohmann::json& v, ParamType type, const std::string& where) {
  switch (type) {
    case ParamType::Int:
      if (!v.is_number_integer()) bad(where, "must be an integer");
      return std::to_string(v.get<long long>());
    case ParamType::Real:
      if (!v.is_number() || !std::isfinite(v.get<double>())) bad(where, "must be a finite number");
      return format_value(ParamValue(v.get<double>()));
    case ParamType::Bool:
      if (!v.is_boolean()) bad(where, "must be true or false");
      return v.get<bool>() ? "true" : "false";
    case ParamType::Choice:
    case ParamType::String:
      if (!v.is_string()) bad(where, "must be a string");
      return v.get<std::string>();
  }
  return {};
}

ParamSpec parse_param(const nlohmann::json& p, std::size_t index) {
  const std::string where = "params[" + std::to_string(index) + "]";
  if (!p.is_object()) bad(where, "must be an object with name, type, default");
  for (const auto& [key, value] : p.items())
    if (key != "name" && key != "type" && key != "default" && key != "min" && key != "max" &&
        key != "choices" && key != "help")
      bad(where,
          "unknown key '" + key + "' (accepted: name, type, default, min, max, choices, help)");
  ParamSpec spec;
  if (!p.contains("name") || !p["name"].is_string() || p["name"].get<std::string>().empty())
    bad(where, "needs a non-empty string 'name'");
  spec.name = p["name"].get<std::string>();
  const auto& reserved = reserved_entry_keys();
  if (std::find(reserved.begin(), reserved.end(), spec.name) != reserved.end())
    bad(where, "'" + spec.name + "' is a key of the config entry itself, not a parameter name");
  const std::string type = p.value("type", std::string());
  const std::string named = where + " '" + spec.name + "'";
  if (type == "int")
    spec.type = ParamType::Int;
  else if (type == "real")
    spec.type = ParamType::Real;
  else if (type == "bool")
    spec.type = ParamType::Bool;
  else if (type == "string")
    spec.type = p.contains("choices") ? ParamType::Choice : ParamType::String;
  else
    bad(named, "'type' must be one of int, real, string, bool");
  if (p.contains("choices")) {
    if (spec.type != ParamType::Choice || !p["choices"].is_array() || p["choices"].empty())
      bad(named, "'choices' must be a non-empty list of strings (string parameters only)");
    for (const auto& c : p["choices"])
      spec.choices.push_back(value_text(c, spec.type, named + " choices"));
  }
  for (const char* bound : {"min", "max"})
    if (p.contains(bound)) {
      if (spec.type != ParamType::Int && spec.type != ParamType::Real)
        bad(named, std::string("'") + bound + "' is for int and real parameters");
      if (!p[bound].is_number() || !std::isfinite(p[bound].get<double>()))
        bad(named, std::string("'") + bound + "' must be a finite number");
      (bound[1] == 'i' ? spec.min : spec.max) = p[bound].get<double>();
    }
  if (!p.contains("default")) bad(named, "needs a 'default'");
  spec.default_value = value_text(p["default"], spec.type, named + " default");
  spec.help = p.value("help", std::string());
  try {
    (void)ParamSchema::parse_value(spec, spec.default_value, "the plug-in");
  } catch (const InvalidArgument& e) {
    bad(named, std::string("its default is not valid: ") + e.what());
  }
  return spec;
}

}  // namespace

void parse_description(const nlohmann::json& d, EstimatorInfo& info) {
  if (!d.is_object()) bad("the output", "must be one JSON object");
  for (const auto& [key, value] : d.items())
    if (key != "summary" && key != "params" && key != "iteration_param" && key != "nested" &&
        key != "protocol")
      bad("key '" + key + "'",
          "unknown (accepted: summary, params, iteration_param, nested, protocol)");
  if (d.contains("protocol") && d["protocol"] != kProtocolVersion)
    bad("protocol", "this harness speaks protocol " + std::to_string(kProtocolVersion));
  if (!d.contains("summary") || !d["summary"].is_string()) bad("summary", "needs a string");
  info.summary = d["summary"].get<std::string>();
  std::vector<ParamSpec> specs;
  if (d.contains("params")) {
    if (!d["params"].is_array()) bad("params", "must be a list of objects");
    for (std::size_t i = 0; i < d["params"].size(); ++i) {
      specs.push_back(parse_param(d["params"][i], i));
      for (std::size_t j = 0; j + 1 < specs.size(); ++j)
        if (specs[j].name == specs.back().name) bad("params", "'" + specs[j].name + "' twice");
    }
  }
  info.schema = ParamSchema(specs);
  info.iteration_param = d.value("iteration_param", std::string());
  if (!info.iteration_param.empty()) {
    const ParamSpec* it = info.schema.find(info.iteration_param);
    if (!it || it->type != ParamType::Int)
      bad("iteration_param", "'" + info.iteration_param + "' is not an int parameter");
  }
  if (d.contains("nested") && !d["nested"].is_boolean()) bad("nested", "must be true or false");
  info.nested = d.value("nested", false) && !info.iteration_param.empty();
}

std::string ExternalCommand::text() const {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    out += shell_quote(a);
  }
  return out;
}

EstimatorInfo describe_external(const std::string& name, const ExternalCommand& command) {
  std::vector<std::string> argv = command.argv;
  argv.push_back("--describe");
  ChildProcess child(argv, command.cwd);
  const Deadline deadline = deadline_in(command.timeout_s);
  std::string text;
  EstimatorInfo info;
  try {
    child.close_stdin();
    try {
      for (;;) text += child.read_line(kMaxDescription - text.size(), deadline) + "\n";
    } catch (const PluginTimeout&) {
      throw;
    } catch (const PluginError& e) {
      if (std::string(e.what()).find("closed its stdout") == std::string::npos) throw;
      text += child.take_buffered();  // a last line without its '\n'
      if (text.empty()) throw;
    }
    const std::string ended = child.finish(deadline);
    if (ended != "exited with status 0") throw PluginError("--describe " + ended);
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded())
      throw PluginError("--describe did not print one JSON object: '" + text.substr(0, 80) + "'");
    parse_description(json, info);
  } catch (const PluginError& e) {
    child.kill();
    const std::string tail = child.stderr_tail();
    const bool timeout = dynamic_cast<const PluginTimeout*>(&e) != nullptr;
    const std::string what = timeout ? "--describe timed out after " +
                                           format_value(ParamValue(command.timeout_s)) +
                                           " s (timeout in the config) " + e.what() + "; killed"
                                     : std::string(e.what());
    throw PluginError(what + (tail.empty() ? "" : "; stderr: " + tail));
  }
  info.name = name;
  info.origin = command.text();
  info.code_hash = external_code_hash(command, text);
  info.power_of_two_scaling = false;  // the plug-in sees A itself (matrix mode), unscaled
  info.self_reported = command.mode == ExternalMode::Matrix;
  info.run_f32 = [command](const Operator<float>& a, const ParamSet& p, Rng& rng,
                           const RunControl<float>& c) {
    return run_external(command, a, p, rng, c);
  };
  info.run_f64 = [command](const Operator<double>& a, const ParamSet& p, Rng& rng,
                           const RunControl<double>& c) {
    return run_external(command, a, p, rng, c);
  };
  return info;
}

}  // namespace specbench
