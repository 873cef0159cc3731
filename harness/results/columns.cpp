#include "harness/results/columns.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <system_error>

#include "core/error.hpp"
#include "harness/results/output.hpp"

namespace specbench {
namespace {

using T = ColumnType;

[[noreturn]] void bad_field(const std::filesystem::path& path, std::size_t line, const RunColumn& c,
                            const std::string& text, const char* what) {
  throw InvalidArgument(path.string() + ":" + std::to_string(line) + ": column '" +
                        std::string(c.name) + "': " + what + ": '" + text.substr(0, 80) + "'");
}

template <class Int>
Int parse_int(const std::filesystem::path& path, std::size_t line, const RunColumn& c,
              const std::string& s) {
  Int x{};
  if (!parse_int_field(s, x)) bad_field(path, line, c, s, "not an integer");
  return x;
}

double parse_real(const std::filesystem::path& path, std::size_t line, const RunColumn& c,
                  const std::string& s) {
  double x = 0;
  if (!parse_double_field(s, x)) bad_field(path, line, c, s, "not a number");
  return x;
}

/// Parses one field into its Row member.
void parse_field(const std::filesystem::path& path, std::size_t line, const RunColumn& c,
                 const std::string& s, Row& row) {
  switch (c.type) {
    case T::Text:
      row.*std::get<std::string Row::*>(c.member) = s;
      return;
    case T::Status:
      if (!parse_run_status(s, row.*std::get<RunStatus Row::*>(c.member)))
        bad_field(path, line, c, s,
                  "unknown status (accepted: converged, max_iterations, "
                  "breakdown, error)");
      return;
    case T::Real:
      row.*std::get<double Row::*>(c.member) = parse_real(path, line, c, s);
      return;
    case T::Seed:
      row.*std::get<std::uint64_t Row::*>(c.member) = parse_int<std::uint64_t>(path, line, c, s);
      return;
    case T::Step: {
      int step = -1;
      if (!s.empty()) {
        step = parse_int<int>(path, line, c, s);
        if (step < 0) bad_field(path, line, c, s, "a negative drift step");
      }
      row.*std::get<int Row::*>(c.member) = step;
      return;
    }
    case T::Integer:
      if (std::holds_alternative<int Row::*>(c.member))
        row.*std::get<int Row::*>(c.member) = parse_int<int>(path, line, c, s);
      else
        row.*std::get<long long Row::*>(c.member) = parse_int<long long>(path, line, c, s);
      return;
  }
}

}  // namespace

const std::vector<RunColumn>& run_columns() {
  static const std::vector<RunColumn> columns = {
      {"matrix", T::Text, "", &Row::matrix},
      {"family", T::Text, "", &Row::family},
      {"m", T::Integer, "", &Row::m},
      {"n", T::Integer, "", &Row::n},
      {"precision", T::Text, "", &Row::precision},
      {"storage", T::Text, "", &Row::storage},
      {"estimator", T::Text, "", &Row::estimator},
      {"params", T::Text, "", &Row::params},
      {"seed", T::Seed, "", &Row::seed},
      {"step", T::Step, "", &Row::step},
      {"checkpoint", T::Integer, "", &Row::checkpoint},
      {"sigma", T::Real, "", &Row::sigma},
      {"sigma_ref", T::Real, "", &Row::sigma_ref},
      {"ref_bound", T::Real, "", &Row::ref_bound},
      {"sigma2_ref", T::Real, "", &Row::sigma2_ref},
      {"cluster_size", T::Integer, "", &Row::cluster_size},
      {"rel_err", T::Real, "", &Row::rel_err},
      {"u_cos_err", T::Real, "", &Row::u_cos_err},
      {"v_cos_err", T::Real, "", &Row::v_cos_err},
      {"residual", T::Real, "", &Row::residual},
      {"normalized_norm", T::Real, "", &Row::normalized_norm},
      {"iterations", T::Integer, "", &Row::iterations},
      {"matvecs", T::Integer, "", &Row::matvecs},
      {"time_s", T::Real, "s", &Row::time_s},
      {"time_spread", T::Real, "", &Row::time_spread},
      {"counted_by", T::Text, "", &Row::counted_by},
      {"status", T::Status, "", &Row::status},
      {"message", T::Text, "", &Row::message},
      {"cell", T::Text, "", &Row::cell},
  };
  return columns;
}

std::string csv_field_text(const RunColumn& c, const Row& row) {
  switch (c.type) {
    case T::Text:
      return csv_line_field(row.*std::get<std::string Row::*>(c.member));
    case T::Status:
      return std::string(to_string(row.*std::get<RunStatus Row::*>(c.member)));
    case T::Real:
      return format_double(row.*std::get<double Row::*>(c.member));
    case T::Seed:
      return std::to_string(row.*std::get<std::uint64_t Row::*>(c.member));
    case T::Step: {
      const int step = row.*std::get<int Row::*>(c.member);
      return step >= 0 ? std::to_string(step) : std::string();
    }
    case T::Integer:
      if (std::holds_alternative<int Row::*>(c.member))
        return std::to_string(row.*std::get<int Row::*>(c.member));
      return std::to_string(row.*std::get<long long Row::*>(c.member));
  }
  return {};
}

RunsFile read_runs(const std::filesystem::path& path) {
  const auto& columns = run_columns();
  RunsFile file;
  bool header_seen = false;
  std::vector<const RunColumn*> present;  // the header's columns
  file.torn =
      tokenize_csv(read_text(path), [&](std::vector<std::string>& fields, std::size_t line) {
        if (!header_seen) {
          header_seen = true;
          // A file of the columns before `counted_by` (added for external estimators) reads
          // with counted_by = "harness", its default: older baselines stay readable for
          // compare, record and history.
          file.legacy = fields.size() + 1 == columns.size();
          for (const auto& c : columns)
            if (!file.legacy || c.name != "counted_by") present.push_back(&c);
          bool same = fields.size() == present.size();
          for (std::size_t k = 0; same && k < fields.size(); ++k)
            same = fields[k] == present[k]->name;
          if (!same)
            throw InvalidArgument(path.string() +
                                  ":1: has other columns than a runs.csv of this "
                                  "specbench (" +
                                  std::to_string(fields.size()) + " columns, " +
                                  std::to_string(columns.size()) + " expected, first '" +
                                  (fields.empty() ? std::string() : fields[0].substr(0, 40)) +
                                  "'): written by another version, or not a runs.csv");
          return;
        }
        if (fields.size() != present.size())
          throw InvalidArgument(path.string() + ":" + std::to_string(line) + ": " +
                                std::to_string(fields.size()) + " fields, the header has " +
                                std::to_string(present.size()) +
                                (fields.size() == 1 && fields[0].empty() ? " (a blank line)" : ""));
        Row row;
        for (std::size_t k = 0; k < present.size(); ++k)
          parse_field(path, line, *present[k], fields[k], row);
        file.rows.push_back(std::move(row));
        file.lines.push_back(line);
      });
  if (!header_seen) throw InvalidArgument(path.string() + ":1: empty (no header line)");
  return file;
}

}  // namespace specbench
