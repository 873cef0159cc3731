#include "harness/plugins/protocol.hpp"

namespace specbench {
namespace {

std::string type_of(const nlohmann::json& message) {
  const auto it = message.find("type");
  return it != message.end() && it->is_string() ? it->get<std::string>() : "?";
}

[[noreturn]] void bad_field(const nlohmann::json& message, std::string_view key,
                            std::string_view what) {
  const auto it = message.find(key);
  throw PluginError("message '" + type_of(message) + "': key '" + std::string(key) + "' " +
                    std::string(what) +
                    (it == message.end() ? " (missing)" : ", got " + it->dump().substr(0, 80)));
}

}  // namespace

nlohmann::json parse_control_line(std::string_view line) {
  nlohmann::json message = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  const auto quote = [&] {
    std::string start(line.substr(0, 80));
    for (char& c : start)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return "'" + start + (line.size() > 80 ? "...'" : "'");
  };
  if (message.is_discarded()) throw PluginError("malformed JSON from the plug-in: " + quote());
  if (!message.is_object() || !message.contains("type") || !message["type"].is_string())
    throw PluginError("a control line that is not a JSON object with a string 'type': " + quote());
  return message;
}

std::string control_line(const nlohmann::json& message) {
  return message.dump() + "\n";
}

long long integer_field(const nlohmann::json& message, std::string_view key, long long min,
                        long long max) {
  const auto it = message.find(key);
  if (it == message.end() || !it->is_number_integer())
    bad_field(message, key, "must be an integer");
  const long long v = it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t(max)
                          ? max + (max < std::numeric_limits<long long>::max())
                          : it->get<long long>();
  if (v < min || v > max)
    bad_field(message, key, "must be in " + std::to_string(min) + ".." + std::to_string(max));
  return v;
}

double real_field(const nlohmann::json& message, std::string_view key) {
  const auto it = message.find(key);
  if (it == message.end() || !it->is_number() || !std::isfinite(it->get<double>()))
    bad_field(message, key, "must be a finite number");
  return it->get<double>();
}

std::string text_field(const nlohmann::json& message, std::string_view key,
                       std::string_view fallback) {
  const auto it = message.find(key);
  if (it == message.end()) return std::string(fallback);
  if (!it->is_string()) bad_field(message, key, "must be a string");
  return it->get<std::string>();
}

}  // namespace specbench
