#pragma once
/// \file
/// Internal to sweep/: reading a TOML config with errors that name the file, the line and the
/// key ("configs/x.toml:12: key 'seeds': ..."), and the settings a [[block]] inherits from
/// [sweep].

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/experiment/experiment.hpp"

namespace specbench {

/// Errors name the config file, the line and the key: "configs/x.toml:12: key 'seeds': ...".
class ConfigReader {
 public:
  explicit ConfigReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node* node, std::string_view key, std::string_view msg) const;

  /// Refuses any key of `table` not in `allowed`, listing the accepted ones.
  void allow_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                  std::string_view where) const;

  /// A scalar or an array of scalars, as the texts a user would write.
  std::vector<std::string> texts(const toml::node& node, std::string_view key) const;

  /// An integer or an array of integers, each in [min, max] (refused naming file, line and key
  /// otherwise: a count is never cast down unchecked).
  std::vector<long long> integers(const toml::node& node, std::string_view key, long long min,
                                  long long max = std::numeric_limits<long long>::max()) const;

  const std::string& file() const { return file_; }
  /// The folder relative paths in the config resolve against.
  std::filesystem::path folder() const { return std::filesystem::path(file_).parent_path(); }

 private:
  std::string file_;
};

/// At most this many seeds per block: the plan holds a cell per seed (and per matrix, precision
/// and estimator), so the bound keeps a typo (`seeds = 268435457`) from allocating without bound;
/// a million seeds is already more than any sweep finishes.
constexpr long long kMaxSeeds = 1'000'000;
/// At most this many drift steps (each is a matrix update and a reference).
constexpr long long kMaxDriftSteps = 1'000'000;

/// Settings that a block inherits from [sweep] and may override.
struct Defaults {
  std::vector<std::uint64_t> seeds{0};
  std::vector<Precision> precisions{Precision::F64};
  std::vector<int> iterations;
};

/// Overrides `d` with the seeds, precisions and iterations that `t` sets.
void read_defaults(const ConfigReader& cfg, const toml::table& t, Defaults& d);

}  // namespace specbench
