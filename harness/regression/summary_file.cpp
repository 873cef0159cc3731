#include "harness/regression/summary_file.hpp"

#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>

#include "core/error.hpp"
#include "harness/results/output.hpp"

namespace specbench::regression {
namespace {

namespace fs = std::filesystem;
constexpr std::size_t kKeys = std::size(kSummaryKeys);

/// Where a field sits, for messages: "PATH:LINE: column 'NAME'".
struct Place {
  const fs::path& path;
  std::size_t line;
  const std::string& column;
};

[[noreturn]] void bad_field(const Place& at, const std::string& text, const char* what) {
  throw InvalidArgument(at.path.string() + ":" + std::to_string(at.line) + ": column '" +
                        at.column + "': " + what + ": '" + text.substr(0, 80) + "'");
}

template <class Int>
Int parse_int(const Place& at, const std::string& s) {
  Int x{};
  if (!parse_int_field(s, x)) bad_field(at, s, "not an integer");
  return x;
}

double parse_real(const Place& at, const std::string& s) {
  double x = 0;
  if (!parse_double_field(s, x)) bad_field(at, s, "not a number");
  return x;
}

/// The header: the key columns first, in order; returns the statistics' names.
std::vector<std::string> check_header(const fs::path& path, const std::vector<std::string>& h) {
  for (const char* k : kSummaryKeys) {
    bool found = false;
    for (const auto& name : h) found = found || name == k;
    SPECBENCH_REQUIRE(found, path.string(), ": not a specbench summary.csv (no column '", k, "')");
  }
  for (std::size_t i = 0; i < kKeys; ++i)
    SPECBENCH_REQUIRE(h[i] == kSummaryKeys[i], path.string(),
                      ": not a specbench summary.csv (column ", i + 1, " is '", h[i],
                      "', expected '", kSummaryKeys[i], "')");
  return {h.begin() + kKeys, h.end()};
}

SummaryRow parse_row(const fs::path& path, std::size_t line, const std::vector<std::string>& header,
                     const std::vector<std::string>& f) {
  auto at = [&](std::size_t i) { return Place{path, line, header[i]}; };
  SummaryRow r{.estimator = f[0], .params = f[1], .family = f[2], .precision = f[5]};
  r.m = parse_int<long long>(at(3), f[3]);
  r.n = parse_int<long long>(at(4), f[4]);
  r.checkpoint = parse_int<long long>(at(6), f[6]);
  if (!f[7].empty()) {
    r.step = parse_int<int>(at(7), f[7]);
    if (r.step < 0) bad_field(at(7), f[7], "a negative drift step");
  }
  for (std::size_t i = kKeys; i < f.size(); ++i) r.values.push_back(parse_real(at(i), f[i]));
  return r;
}

}  // namespace

SummaryFile read_summary(const fs::path& path) {
  SummaryFile file;
  std::vector<std::string> header;
  const bool torn =
      tokenize_csv(read_text(path), [&](std::vector<std::string>& fields, std::size_t line) {
        if (line == 1) {
          header = std::move(fields);
          file.statistics = check_header(path, header);
          return;
        }
        if (fields.size() != header.size())
          throw InvalidArgument(path.string() + ":" + std::to_string(line) + ": " +
                                std::to_string(fields.size()) + " fields, the header has " +
                                std::to_string(header.size()));
        file.rows.push_back(parse_row(path, line, header, fields));
        file.lines.push_back(line);
      });
  if (header.empty()) check_header(path, header);  // an empty file: no column 'estimator'
  SPECBENCH_REQUIRE(!torn, path.string(), ":",
                    file.lines.empty() ? std::size_t(2) : file.lines.back() + 1,
                    ": a torn last line (no newline): the file is damaged");
  return file;
}

}  // namespace specbench::regression
