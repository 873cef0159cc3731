#pragma once
/// \file
/// meta.json: a run's provenance, config, options and references.

#include <filesystem>
#include <nlohmann/json.hpp>

#include "harness/results/sink.hpp"

namespace specbench {

/// meta.json at the start of a run, status "running". A resumed run (context.previous_meta an
/// object) keeps the previous first start and references.
nlohmann::json start_meta(const RunContext& context);

/// Appends `ref` (a reference_to_json object, with "step" for a drift step) to `references`
/// unless it already holds the reference of that matrix, precision and step; true if appended.
bool add_reference(nlohmann::json& references, nlohmann::json ref);

/// Writes meta.json (indented by 2, a final newline) atomically.
void write_meta(const std::filesystem::path& path, const nlohmann::json& meta);

/// Reads and checks a meta.json written by specbench, for every command that reads one (resume,
/// merge, compare, record, history): the text must parse, be a JSON object, and each field the
/// readers use must have its type (name, status, config_hash, ... strings; runs, jobs, threads
/// ... integers; provenance and estimators objects whose known fields are strings; references
/// and columns arrays). Otherwise InvalidArgument "PATH: not a specbench meta.json (WHY)", so
/// that no reader meets a raw JSON type error naming no file. A missing or unreadable file is
/// "PATH: cannot open: REASON".
nlohmann::json read_meta_file(const std::filesystem::path& path);

}  // namespace specbench
