#pragma once
/// \file
/// The external-estimator protocol (README, "External estimators"): JSON lines for control,
/// each binary payload (little-endian float64, or float32 in an f32 run) announced by the JSON
/// line before it with its length in entries. The codec checks every length against what the
/// harness expects (m, n, a bounded block width) BEFORE reading or allocating, and every entry
/// for NaN/Inf, so nothing a plug-in sends can make the harness allocate without bound.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/plugins/child_process.hpp"

namespace specbench {

/// The protocol version the harness speaks (`"protocol": 1` in hello and start).
constexpr int kProtocolVersion = 1;
/// Longest control line accepted (a JSON object; vectors travel as binary).
constexpr std::size_t kMaxControlLine = 64 * 1024;
/// Widest block of vectors one request may carry.
constexpr long long kMaxBlockColumns = 1024;

/// One control line: a JSON object with a string member "type". Throws PluginError ("malformed
/// JSON from the plug-in: ...", quoting the start of the line) otherwise.
nlohmann::json parse_control_line(std::string_view line);

/// The line of a control message, '\n'-terminated.
std::string control_line(const nlohmann::json& message);

/// message[key] as an integer in [min, max]; PluginError naming the message type and key.
long long integer_field(const nlohmann::json& message, std::string_view key, long long min,
                        long long max);
/// message[key] as a finite number; PluginError naming the message type and key.
double real_field(const nlohmann::json& message, std::string_view key);
/// message[key] as a string, or `fallback` if absent; PluginError if it is not a string.
std::string text_field(const nlohmann::json& message, std::string_view key,
                       std::string_view fallback);

/// The entries of a payload in little-endian bytes.
template <class T>
std::string encode_vector(std::span<const T> x) {
  std::string bytes(x.size() * sizeof(T), '\0');
  std::memcpy(bytes.data(), x.data(), bytes.size());
  if constexpr (std::endian::native == std::endian::big)
    for (std::size_t i = 0; i < x.size(); ++i)
      std::reverse(bytes.begin() + i * sizeof(T), bytes.begin() + (i + 1) * sizeof(T));
  return bytes;
}

/// Makes x (filled with little-endian bytes) native, then refuses NaN/Inf: PluginError naming
/// `what` and the first index of a NaN or Inf entry.
template <class T>
void check_vector(std::span<T> x, std::string_view what) {
  if constexpr (std::endian::native == std::endian::big)
    for (T& xi : x) {
      auto* b = reinterpret_cast<char*>(&xi);
      std::reverse(b, b + sizeof(T));
    }
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]))
      throw PluginError(std::string(what) + ": entry " + std::to_string(i) + " is " +
                        (std::isnan(x[i]) ? "NaN" : "infinite"));
}

/// Decodes little-endian bytes (exactly x.size() entries) into x; see check_vector.
template <class T>
void decode_vector(std::string_view bytes, std::span<T> x, std::string_view what) {
  if (bytes.size() != x.size() * sizeof(T))
    throw PluginError(std::string(what) + ": " + std::to_string(bytes.size()) + " bytes for " +
                      std::to_string(x.size()) + " entries");
  std::memcpy(x.data(), bytes.data(), bytes.size());
  check_vector<T>(x, what);
}

/// A conversation with a plug-in over its stdin/stdout, all under one deadline (the cell's
/// timeout).
class Channel {
 public:
  Channel(ChildProcess& child, Deadline deadline) : child_(child), deadline_(deadline) {}
  void send(const nlohmann::json& message) { child_.write(control_line(message), deadline_); }
  /// A "vector" message announcing x.size() entries, then the payload, in one write.
  template <class T>
  void send_vector(std::span<const T> x) {
    child_.write(control_line({{"type", "vector"}, {"length", x.size()}}) + encode_vector<T>(x),
                 deadline_);
  }
  nlohmann::json receive() {
    return parse_control_line(child_.read_line(kMaxControlLine, deadline_));
  }
  /// The payload announced by `message` under `key` ("length", "u_length", ...), which must be
  /// `expected` entries: checked before anything is read or allocated.
  template <class T>
  std::vector<T> receive_vector(const nlohmann::json& message, std::string_view key,
                                std::size_t expected, std::string_view what) {
    const long long length = integer_field(message, key, 0, 1LL << 40);
    if (std::size_t(length) != expected)
      throw PluginError(std::string(what) + ": " + std::string(key) + " " + std::to_string(length) +
                        ", expected " + std::to_string(expected));
    std::vector<T> x(expected);
    child_.read_bytes(reinterpret_cast<char*>(x.data()), expected * sizeof(T), deadline_);
    check_vector<T>(std::span<T>(x), what);
    return x;
  }
  Deadline deadline() const { return deadline_; }

 private:
  ChildProcess& child_;
  Deadline deadline_;
};

}  // namespace specbench
