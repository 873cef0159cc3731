#pragma once
/// \file
/// The tokens of a Matrix Market line and their numbers (mtx.cpp): locale-independent, exact
/// (from_chars), telling a number that is too large from one that is not a number.

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>

namespace specbench::detail::mtx {

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/// The next whitespace-delimited token of `rest` ("" at the end); `rest` moves past it.
inline std::string_view next_token(std::string_view& rest) {
  std::size_t b = 0;
  while (b < rest.size() && is_space(rest[b])) ++b;
  std::size_t e = b;
  while (e < rest.size() && !is_space(rest[e])) ++e;
  std::string_view token = rest.substr(b, e - b);
  rest = rest.substr(e);
  return token;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// from_chars does not accept a leading '+'; Matrix Market writers sometimes emit one.
inline std::string_view strip_plus(std::string_view t) {
  if (t.size() > 1 && t[0] == '+' && t[1] != '+' && t[1] != '-') return t.substr(1);
  return t;
}

enum class Parsed { Ok, NotANumber, OutOfRange };

inline Parsed parse_int(std::string_view token, long long& x) {
  const std::string_view t = strip_plus(token);
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
  if (ec == std::errc::result_out_of_range) return Parsed::OutOfRange;
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) return Parsed::NotANumber;
  return Parsed::Ok;
}

/// Decimal exponent of the leading non-zero digit of a decimal number text (that from_chars has
/// already accepted): negative means |x| < 1. Used to tell underflow from overflow, since
/// from_chars reports both as result_out_of_range.
inline long long decimal_magnitude(std::string_view t) {
  std::size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
  long long position = 0;  // decimal exponent of the current digit, relative to the units digit
  long long int_digits = 0;
  for (std::size_t k = i; k < t.size() && std::isdigit(static_cast<unsigned char>(t[k])); ++k)
    ++int_digits;
  long long leading = std::numeric_limits<long long>::min();
  position = int_digits - 1;
  for (; i < t.size() && t[i] != 'e' && t[i] != 'E'; ++i) {
    if (t[i] == '.') continue;
    if (t[i] != '0' && leading == std::numeric_limits<long long>::min()) leading = position;
    --position;
  }
  long long exponent = 0;
  if (i < t.size()) {
    std::string_view e = strip_plus(t.substr(i + 1));
    if (std::from_chars(e.data(), e.data() + e.size(), exponent).ec != std::errc())
      exponent = (!e.empty() && e[0] == '-') ? -(1LL << 40) : (1LL << 40);  // saturate
  }
  if (leading == std::numeric_limits<long long>::min()) return -(1LL << 40);  // all zeros
  return leading + std::clamp(exponent, -(1LL << 40), 1LL << 40);
}

inline Parsed parse_real(std::string_view token, double& x) {
  const std::string_view t = strip_plus(token);
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
  if (t.empty() || ptr != t.data() + t.size() ||
      (ec != std::errc() && ec != std::errc::result_out_of_range))
    return Parsed::NotANumber;
  if (ec == std::errc::result_out_of_range) {
    // Below the smallest subnormal: the correctly rounded value is a signed zero. Above DBL_MAX:
    // overflow, reported as an Inf entry.
    if (decimal_magnitude(t) < 0) {
      x = t[0] == '-' ? -0.0 : 0.0;
      return Parsed::Ok;
    }
    return Parsed::OutOfRange;
  }
  return Parsed::Ok;
}

}  // namespace specbench::detail::mtx
