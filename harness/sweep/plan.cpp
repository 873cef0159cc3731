#include "harness/sweep/plan.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "harness/hash.hpp"
#include "harness/results/output.hpp"

namespace specbench {
namespace {

/// What a matrix's cells depend on besides its text: a file by the SHA-256 of its bytes (an
/// edited file makes new cells, so a resume or a compare never mixes rows of two versions of
/// it), a generated family by the generators' version.
std::string matrix_content(const MatrixSpec& spec) {
  if (spec.file.empty()) return "gen-" + std::to_string(kGeneratorVersion);
  std::ifstream in(spec.file, std::ios::binary);
  if (!in) return "unreadable";  // unreadable now: its cells become error rows when reached
  Sha256 h;
  std::vector<char> buf(1 << 16);
  while (in.read(buf.data(), std::streamsize(buf.size())) || in.gcount() > 0)
    h.update(buf.data(), std::size_t(in.gcount()));
  return "sha256:" + h.hex();
}

/// The cell key: a hash of everything that determines the cell's rows.
std::string cell_key(const SweepPlan& plan, const RunSpec& run, const std::string& content) {
  std::ostringstream key;
  key << plan.matrices[run.matrix].text << '|' << content << '|' << to_string(run.precision) << '|'
      << run.estimator.info->name << '|' << run.estimator.params.to_string() << '|';
  for (int c : run.checkpoints) key << c << ',';
  key << '|' << run.seed << '|' << run.drift.steps << ',' << format_double(run.drift.eta) << ','
      << run.drift.seed;
  // A plug-in's code (built-ins add nothing: their keys stay those of earlier results).
  if (!run.estimator.info->code_hash.empty()) key << '|' << run.estimator.info->code_hash;
  return sha256_hex(key.str()).substr(0, 16);
}

}  // namespace

std::vector<int> unique_checkpoints(std::vector<int> checkpoints) {
  std::sort(checkpoints.begin(), checkpoints.end());
  checkpoints.erase(std::unique(checkpoints.begin(), checkpoints.end()), checkpoints.end());
  return checkpoints;
}

std::size_t planned_rows(const RunSpec& run) {
  if (run.drift.steps > 0) return std::size_t(run.drift.steps) + 1;
  const std::size_t checkpoints = unique_checkpoints(run.checkpoints).size();
  return checkpoints == 0 ? 1 : checkpoints;
}

void order_runs(SweepPlan& plan) {
  std::stable_sort(plan.runs.begin(), plan.runs.end(), [](const RunSpec& a, const RunSpec& b) {
    return std::tie(a.matrix, a.precision) < std::tie(b.matrix, b.precision) ||
           (std::tie(a.matrix, a.precision) == std::tie(b.matrix, b.precision) &&
            a.drift.key() < b.drift.key());
  });
}

void assign_cell_keys(SweepPlan& plan, const std::string& config) {
  std::vector<std::string> content;
  for (const MatrixSpec& spec : plan.matrices) content.push_back(matrix_content(spec));
  std::map<std::string, std::size_t> seen;
  for (auto& run : plan.runs) {
    run.cell = cell_key(plan, run, content[run.matrix]);
    run.rows = planned_rows(run);
    if (!seen.emplace(run.cell, 0).second)
      throw InvalidArgument(config + ": the same cell appears twice (" +
                            plan.matrices[run.matrix].text + ", " + run.estimator.info->name + " " +
                            run.estimator.params.to_string() + ", seed " +
                            std::to_string(run.seed) + "): remove the duplicate");
  }
}

std::vector<std::vector<std::size_t>> groups_of(const SweepPlan& plan,
                                                const std::vector<std::size_t>& runs) {
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t r : runs) {
    const RunSpec& run = plan.runs[r];
    if (!groups.empty()) {
      const RunSpec& prev = plan.runs[groups.back().front()];
      if (prev.matrix == run.matrix && prev.precision == run.precision &&
          prev.drift.key() == run.drift.key()) {
        groups.back().push_back(r);
        continue;
      }
    }
    groups.push_back({r});
  }
  return groups;
}

bool in_shard(std::size_t run, const SweepOptions& options) {
  return int(run % std::size_t(options.shards)) == options.shard - 1;
}

std::vector<Row> planned_error_rows(const RunSpec& run, const Row& like) {
  const std::vector<int> checkpoints = unique_checkpoints(run.checkpoints);
  const EstimatorInfo& info = *run.estimator.info;
  if (checkpoints.size() != run.rows || info.iteration_param.empty()) return {like};
  std::vector<Row> rows;
  for (int c : checkpoints) {
    Row row = like;
    ParamSet at = run.estimator.params;
    at.set(info.iteration_param, static_cast<long long>(c));
    row.params = at.to_string();
    row.checkpoint = c;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace specbench
