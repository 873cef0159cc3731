#include "harness/results/meta.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "harness/results/columns.hpp"
#include "harness/results/output.hpp"

namespace specbench {
namespace {

/// How time_s was measured, in words and as a mode.
const char* timing_text(const RunContext& c) {
  if (c.timing_repeats > 0) return "serial phase: 1 warm-up + timing_repeats runs per cell";
  return c.jobs > 1 ? "contended: measured while other cells ran (jobs > 1)"
                    : "serial: measured in the accuracy run (jobs = 1)";
}

const char* timing_mode(const RunContext& c) {
  if (c.timing_repeats > 0) return "serial-phase";
  return c.jobs > 1 ? "contended" : "serial";
}

const char* type_name(ColumnType t) {
  switch (t) {
    case ColumnType::Text:
      return "text";
    case ColumnType::Integer:
      return "integer";
    case ColumnType::Seed:
      return "seed";
    case ColumnType::Real:
      return "real";
    case ColumnType::Step:
      return "step";
    case ColumnType::Status:
      return "status";
  }
  return "text";
}

/// runs.csv's column table (name, type, unit), for the scripts' typed reader
/// (scripts/specbench_results.py).
nlohmann::json column_table() {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : run_columns())
    out.push_back({{"name", c.name}, {"type", type_name(c.type)}, {"unit", c.unit}});
  return out;
}

}  // namespace

nlohmann::json start_meta(const RunContext& c) {
  nlohmann::json meta = {
      {"provenance", c.provenance},
      {"config_path", c.config_path.string()},
      {"config", c.config_text},
      {"config_hash", c.config_hash},
      {"name", c.name},
      {"output", c.output.string()},
      {"runs", c.cells},
      {"rows_planned", c.rows_planned},
      {"jobs", c.jobs},
      {"threads", c.threads},
      {"shard", std::to_string(c.shard) + "/" + std::to_string(c.shards)},
      {"resumed_cells", c.resumed_cells},
      {"timing_repeats", c.timing_repeats},
      {"timing", timing_text(c)},
      {"timing_mode", timing_mode(c)},
      {"tolerances", c.tolerances},
      {"started_utc", c.started_utc},
      {"last_started_utc", c.started_utc},
      {"status", "running"},
      {"columns", column_table()},
      {"estimators", nlohmann::json::object()},
      {"references", nlohmann::json::array()},
  };
  // What the scripts need to know about each estimator of the sweep (its iteration parameter,
  // defaults, theory), so that no script names an estimator.
  for (const EstimatorInfo* info : c.estimators)
    meta["estimators"][info->name] = estimator_json(*info);
  // A resumed run continues the previous one: its first start, and the references of the cells
  // it already finished (this invocation adds only those it computes).
  if (c.previous_meta.is_object()) {
    meta["started_utc"] = c.previous_meta.value("started_utc", c.started_utc);
    meta["references"] = c.previous_meta.value("references", nlohmann::json::array());
  }
  return meta;
}

bool add_reference(nlohmann::json& references, nlohmann::json ref) {
  auto key = [](const nlohmann::json& r) {
    return r.value("matrix", "") + '|' + r.value("precision", "") + '|' +
           (r.contains("step") ? r["step"].dump() : std::string());
  };
  const std::string k = key(ref);
  for (const auto& r : references)
    if (key(r) == k) return false;
  references.push_back(std::move(ref));
  return true;
}

void write_meta(const std::filesystem::path& path, const nlohmann::json& meta) {
  write_file_atomic(path, meta.dump(2) + "\n");
}

}  // namespace specbench

namespace specbench {
namespace {

const char* json_type_name(const nlohmann::json& j) {
  return j.type_name();  // "null", "object", "array", "string", "number", "boolean"
}

/// Whether `j` has the type `want` ("string", "integer", "object", "array").
bool has_type(const nlohmann::json& j, std::string_view want) {
  if (want == "string") return j.is_string();
  if (want == "integer") return j.is_number_integer();
  if (want == "object") return j.is_object();
  return j.is_array();
}

/// The first field of `obj` among `fields` present with another type than its own: "KEY is a
/// TYPE, expected a WANT"; empty if none.
std::string wrong_field(const nlohmann::json& obj, const std::string& prefix,
                        std::initializer_list<std::pair<const char*, const char*>> fields) {
  for (const auto& [key, want] : fields) {
    const auto it = obj.find(key);
    if (it != obj.end() && !has_type(*it, want))
      return "'" + prefix + key + "' is " + json_type_name(*it) + ", expected " + want;
  }
  return "";
}

}  // namespace

nlohmann::json read_meta_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InvalidArgument(path.string() + ": cannot open: " +
                          (std::filesystem::exists(path) ? std::strerror(errno) : "no such file"));
  const auto refuse = [&](const std::string& why) {
    throw InvalidArgument(path.string() + ": not a specbench meta.json (" + why + ")");
  };
  nlohmann::json meta;
  try {
    meta = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    refuse(std::string("does not parse: ") + e.what());
  }
  if (!meta.is_object())
    refuse(std::string("a JSON ") + json_type_name(meta) + ", expected an object");
  std::string why =
      wrong_field(meta, "", {{"name", "string"},           {"status", "string"},
                             {"config_hash", "string"},    {"config_path", "string"},
                             {"config", "string"},         {"output", "string"},
                             {"shard", "string"},          {"started_utc", "string"},
                             {"finished_utc", "string"},   {"last_started_utc", "string"},
                             {"timing", "string"},         {"timing_mode", "string"},
                             {"runs", "integer"},          {"rows_planned", "integer"},
                             {"jobs", "integer"},          {"threads", "integer"},
                             {"resumed_cells", "integer"}, {"timing_repeats", "integer"},
                             {"provenance", "object"},     {"estimators", "object"},
                             {"references", "array"},      {"columns", "array"}});
  if (why.empty() && meta.contains("provenance"))
    why = wrong_field(meta["provenance"], "provenance.",
                      {{"git_commit", "string"},
                       {"git_dirty", "string"},
                       {"blas", "string"},
                       {"hostname", "string"},
                       {"cpu", "string"}});
  if (!why.empty()) refuse(why);
  return meta;
}

}  // namespace specbench
