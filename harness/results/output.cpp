#include "harness/results/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>

#include "harness/results/columns.hpp"

namespace specbench {
namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

nlohmann::json json_number(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

}  // namespace

const std::vector<std::string>& row_columns() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& c : run_columns()) out.emplace_back(c.name);
    return out;
  }();
  return names;
}

std::string format_double(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

bool parse_double_field(const std::string& s, double& out) {
  if (s == "nan") return out = std::numeric_limits<double>::quiet_NaN(), true;
  if (s == "inf") return out = std::numeric_limits<double>::infinity(), true;
  if (s == "-inf") return out = -std::numeric_limits<double>::infinity(), true;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

nlohmann::json row_to_json(const Row& r) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& c : run_columns()) {
    nlohmann::json& v = j[std::string(c.name)];
    switch (c.type) {
      case ColumnType::Text:
        v = r.*std::get<std::string Row::*>(c.member);
        break;
      case ColumnType::Status:
        v = std::string(to_string(r.*std::get<RunStatus Row::*>(c.member)));
        break;
      case ColumnType::Real:
        v = json_number(r.*std::get<double Row::*>(c.member));
        break;
      case ColumnType::Seed:
        v = r.*std::get<std::uint64_t Row::*>(c.member);
        break;
      case ColumnType::Step: {
        const int step = r.*std::get<int Row::*>(c.member);
        v = step >= 0 ? nlohmann::json(step) : nlohmann::json(nullptr);
        break;
      }
      case ColumnType::Integer:
        if (std::holds_alternative<int Row::*>(c.member))
          v = r.*std::get<int Row::*>(c.member);
        else
          v = r.*std::get<long long Row::*>(c.member);
        break;
    }
  }
  if (!r.u.empty()) j["u"] = r.u;
  if (!r.v.empty()) j["v"] = r.v;
  return j;
}

nlohmann::json schema_json(const ParamSchema& schema) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : schema.specs()) {
    nlohmann::json j = {
        {"name", p.name}, {"type", to_string(p.type)}, {"help", p.help}, {"required", p.required}};
    if (!p.required) j["default"] = p.default_value;
    if (!p.choices.empty()) j["choices"] = p.choices;
    if (std::isfinite(p.min)) j["min"] = p.min;
    if (std::isfinite(p.max)) j["max"] = p.max;
    params.push_back(j);
  }
  return params;
}

nlohmann::json estimator_json(const EstimatorInfo& e) {
  return {
      {"name", e.name},     {"summary", e.summary},         {"iteration_param", e.iteration_param},
      {"nested", e.nested}, {"rate_theory", e.rate_theory}, {"params", schema_json(e.schema)},
      {"origin", e.origin}};
}

std::string csv_line_field(const std::string& field) {
  return csv_field(field);
}

std::string csv_header() {
  std::string line;
  for (const auto& c : run_columns()) {
    if (&c != &run_columns().front()) line.push_back(',');
    line.append(c.name);
  }
  line.push_back('\n');
  return line;
}

std::string csv_line(const Row& r) {
  std::string line;
  for (const auto& c : run_columns()) {
    if (!line.empty() || &c != &run_columns().front()) line += ',';
    line += csv_field_text(c, r);
  }
  return line + '\n';
}

void write_runs_file(const std::filesystem::path& path, const std::vector<Row>& rows) {
  std::string text = csv_header();
  for (const Row& row : rows) text += csv_line(row);
  write_file_atomic(path, text);
}

CsvWriter::CsvWriter(const std::filesystem::path& path, bool append) : path_(path) {
  if (!append) {
    AtomicFile file(path);
    file.write(csv_header());
    fd_ = file.commit_keep_open();
    return;
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0 && errno == ELOOP)
    throw InvalidArgument(path.string() + " is a symbolic link: refusing to append through it");
  if (fd_ < 0)
    throw std::runtime_error("cannot open " + path.string() +
                             " to append: " + std::strerror(errno));
  struct stat st {};
  // A second hard link would be another file's contents, made in a shared folder.
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
    ::close(fd_);
    fd_ = -1;
    throw InvalidArgument(path.string() +
                          " is not a regular file with one link: refusing to append to it");
  }
}

CsvWriter::~CsvWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void CsvWriter::close() {
  if (fd_ < 0) return;
  const int r = ::fsync(fd_), error = errno;
  ::close(fd_);
  fd_ = -1;
  if (r != 0)
    throw std::runtime_error("write failed: " + path_.string() + ": " + std::strerror(error));
}

void CsvWriter::write(const std::vector<Row>& rows) {
  // All rows of a cell in one write: a kill leaves whole cells, or a torn last cell that the
  // resume logic detects (its rows are fewer than expected, or its last line is cut).
  std::string text;
  for (const Row& r : rows) text += csv_line(r);
  write_text(text);
}

void CsvWriter::write_text(const std::string& text) {
  if (fd_ < 0) throw std::logic_error("CsvWriter::write after close");
  // One writer per folder (the folder lock): the end of the file is where this write starts.
  const off_t before = ::lseek(fd_, 0, SEEK_END);
  try {
    write_all(fd_, text, path_);
  } catch (...) {
    // Cut a partial write back to the last whole cell (best effort: a resume also drops a torn
    // line), so that a full disk leaves no torn row behind.
    if (before >= 0) (void)!::ftruncate(fd_, before);
    throw;
  }
}

bool tokenize_csv(const std::string& text,
                  const std::function<void(std::vector<std::string>&, std::size_t)>& on_line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, after_quote = false;
  std::size_t line = 1, line_start = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (quoted) {
      if (c == '"') {
        if (k + 1 < text.size() && text[k + 1] == '"') {
          field += '"';
          ++k;
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !after_quote) {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      after_quote = false;
    } else if (c == '\n') {
      fields.push_back(std::move(field));
      field.clear();
      after_quote = false;
      on_line(fields, line);
      fields.clear();
      ++line;
      line_start = k + 1;
    } else if (c != '\r') {
      field += c;
    }
  }
  return line_start < text.size();
}

std::string read_text(const std::filesystem::path& path) {
  std::string why;
  const int fd = open_regular_file(path, /*follow_links=*/true, why);
  if (fd < 0)
    throw InvalidArgument(path.string() + ": cannot open" + (why.empty() ? "" : " (" + why + ")"));
  try {
    std::string text = read_all(fd, path, std::string().max_size());
    ::close(fd);
    return text;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

CsvTable read_csv(const std::filesystem::path& path) {
  CsvTable table;
  table.torn =
      tokenize_csv(read_text(path), [&](std::vector<std::string>& fields, std::size_t line) {
        if (line == 1) {
          table.header = std::move(fields);
          return;
        }
        // Every consumer indexes rows by the header's columns: a row of another length is refused
        // here, naming its line (a blank line, a deleted or an extra field).
        if (fields.size() != table.header.size())
          throw InvalidArgument(path.string() + ":" + std::to_string(line) + ": " +
                                std::to_string(fields.size()) + " fields, the header has " +
                                std::to_string(table.header.size()));
        table.rows.push_back(std::move(fields));
      });
  return table;
}

nlohmann::json reference_to_json(const Problem& p) {
  const Reference& r = p.ref;
  return {{"matrix", p.spec.text},
          {"m", p.rows()},
          {"n", p.cols()},
          {"precision", std::string(to_string(p.precision))},
          {"sigma1", r.sigma1_text},
          {"sigma2", r.sigma2},
          {"bound", r.bound},
          {"digits", r.digits},
          {"gap_ratio", r.sigma1 > 0 ? r.sigma2 / r.sigma1 : 0.0},
          {"vector_radius", r.vector_radius},
          {"cluster_size", r.cluster_size},
          {"method", r.method},
          {"lanczos_steps", r.lanczos_steps},
          {"refine_iterations", r.refine_iterations},
          {"time_s", p.ref_time_s},
          {"cache", p.ref_cache_hit ? "hit" : "miss"}};
}

}  // namespace specbench
