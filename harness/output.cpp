#include "harness/output.hpp"

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <stdexcept>

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
  static const std::vector<std::string> columns = {
      "matrix",          "family",     "m",         "n",         "precision",
      "storage",         "estimator",  "params",    "seed",      "step",
      "checkpoint",      "sigma",      "sigma_ref", "ref_bound", "sigma2_ref",
      "cluster_size",    "rel_err",    "u_cos_err", "v_cos_err", "residual",
      "normalized_norm", "iterations", "matvecs",   "time_s",    "time_spread",
      "status",          "message",    "cell"};
  return columns;
}

std::string format_double(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

nlohmann::json row_to_json(const Row& r) {
  nlohmann::json j = {
      {"matrix", r.matrix},
      {"family", r.family},
      {"m", r.m},
      {"n", r.n},
      {"precision", r.precision},
      {"storage", r.storage},
      {"estimator", r.estimator},
      {"params", r.params},
      {"seed", r.seed},
      {"step", r.step >= 0 ? nlohmann::json(r.step) : nlohmann::json(nullptr)},
      {"checkpoint", r.checkpoint},
      {"sigma", json_number(r.sigma)},
      {"sigma_ref", json_number(r.sigma_ref)},
      {"ref_bound", json_number(r.ref_bound)},
      {"sigma2_ref", json_number(r.sigma2_ref)},
      {"cluster_size", r.cluster_size},
      {"rel_err", json_number(r.rel_err)},
      {"u_cos_err", json_number(r.u_cos_err)},
      {"v_cos_err", json_number(r.v_cos_err)},
      {"residual", json_number(r.residual)},
      {"normalized_norm", json_number(r.normalized_norm)},
      {"iterations", r.iterations},
      {"matvecs", r.matvecs},
      {"time_s", r.time_s},
      {"time_spread", r.time_spread},
      {"status", r.status},
      {"message", r.message},
      {"cell", r.cell},
  };
  if (!r.u.empty()) j["u"] = r.u;
  if (!r.v.empty()) j["v"] = r.v;
  return j;
}

std::string csv_line_field(const std::string& field) {
  return csv_field(field);
}

std::string csv_header() {
  std::string line;
  for (const auto& c : row_columns()) line += (line.empty() ? "" : ",") + c;
  return line + "\n";
}

std::string csv_line(const Row& r) {
  std::string line;
  auto add = [&](const std::string& field) {
    if (!line.empty()) line += ',';
    line += field;
  };
  add(csv_field(r.matrix));
  add(csv_field(r.family));
  add(std::to_string(r.m));
  add(std::to_string(r.n));
  add(r.precision);
  add(r.storage);
  add(csv_field(r.estimator));
  add(csv_field(r.params));
  add(std::to_string(r.seed));
  add(r.step >= 0 ? std::to_string(r.step) : std::string());
  add(std::to_string(r.checkpoint));
  for (double x : {r.sigma, r.sigma_ref, r.ref_bound, r.sigma2_ref}) add(format_double(x));
  add(std::to_string(r.cluster_size));
  for (double x : {r.rel_err, r.u_cos_err, r.v_cos_err, r.residual, r.normalized_norm})
    add(format_double(x));
  add(std::to_string(r.iterations));
  add(std::to_string(r.matvecs));
  add(format_double(r.time_s));
  add(format_double(r.time_spread));
  add(csv_field(r.status));
  // The message may be empty: keep the field.
  line += ',' + csv_field(r.message);
  line += ',' + csv_field(r.cell);
  return line + '\n';
}

CsvWriter::CsvWriter(const std::filesystem::path& path, bool append)
    : out_(path, append ? std::ios::app : std::ios::trunc), path_(path) {
  if (!out_) throw std::runtime_error("cannot write " + path.string());
  if (!append) write_text(csv_header());
}

void CsvWriter::write(const std::vector<Row>& rows) {
  // All rows of a cell in one write: a kill leaves whole cells, or a torn last cell that the
  // resume logic detects (its rows are fewer than expected, or its last line is cut).
  std::string text;
  for (const Row& r : rows) text += csv_line(r);
  write_text(text);
}

void CsvWriter::write_text(const std::string& text) {
  out_.write(text.data(), std::streamsize(text.size()));
  out_.flush();
  if (!out_) throw std::runtime_error("write failed: " + path_.string());
}

CsvTable read_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidArgument(path.string() + ": cannot open");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CsvTable table;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, after_quote = false;
  std::size_t line_start = 0;
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
      if (table.header.empty())
        table.header = std::move(fields);
      else
        table.rows.push_back(std::move(fields));
      fields.clear();
      line_start = k + 1;
    } else if (c != '\r') {
      field += c;
    }
  }
  // Anything after the last newline is a torn line (a write cut short): not a row.
  table.complete_bytes = line_start;
  table.torn = line_start < text.size();
  return table;
}

void write_file_atomic(const std::filesystem::path& path, const std::string& content) {
  // Unique per process and call: concurrent writers (threads of one sweep) never share a file.
  static std::atomic<unsigned long long> counter{0};
  auto tmp = path;
  tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

nlohmann::json reference_to_json(const Problem& p) {
  const Reference& r = p.ref;
  return {{"matrix", p.spec.text},
          {"m", p.a64.rows()},
          {"n", p.a64.cols()},
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
