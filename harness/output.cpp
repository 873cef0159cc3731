#include "harness/output.hpp"

#include <unistd.h>

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
      "normalized_norm", "iterations", "matvecs",   "time_s",    "status",
      "message"};
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
      {"status", r.status},
      {"message", r.message},
  };
  if (!r.u.empty()) j["u"] = r.u;
  if (!r.v.empty()) j["v"] = r.v;
  return j;
}

CsvWriter::CsvWriter(const std::filesystem::path& path) : out_(path, std::ios::trunc), path_(path) {
  if (!out_) throw std::runtime_error("cannot write " + path.string());
  const auto& cols = row_columns();
  for (std::size_t i = 0; i < cols.size(); ++i) out_ << (i ? "," : "") << cols[i];
  out_ << '\n' << std::flush;
}

void CsvWriter::write(const Row& r) {
  // Build the whole line first, then write it in one call: a kill leaves whole lines only
  // (up to a possibly missing last line, which readers skip).
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
  add(csv_field(r.status));
  // The message may be empty: keep the trailing field.
  line += ',' + csv_field(r.message);
  line += '\n';
  out_.write(line.data(), std::streamsize(line.size()));
  out_.flush();
  if (!out_) throw std::runtime_error("write failed: " + path_.string());
}

void write_file_atomic(const std::filesystem::path& path, const std::string& content) {
  auto tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
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
          {"cluster_size", r.cluster_size},
          {"method", r.method},
          {"lanczos_steps", r.lanczos_steps},
          {"refine_iterations", r.refine_iterations},
          {"time_s", p.ref_time_s},
          {"cache", p.ref_cache_hit ? "hit" : "miss"}};
}

}  // namespace specbench
