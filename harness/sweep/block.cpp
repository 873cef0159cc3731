#include "harness/sweep/block.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "harness/sweep/external_entry.hpp"
#include "harness/sweep/plan.hpp"

namespace specbench {
namespace {

using NamedValues = std::vector<std::pair<std::string, std::vector<std::string>>>;
using Combination = std::vector<std::pair<std::string, std::string>>;

/// Cartesian product of named value lists, in order (the last name varies fastest).
std::vector<Combination> cartesian(const NamedValues& lists) {
  std::vector<Combination> out(1);
  for (const auto& [name, values] : lists) {
    std::vector<Combination> next;
    for (const auto& prefix : out)
      for (const auto& v : values) {
        next.push_back(prefix);
        next.back().emplace_back(name, v);
      }
    out = std::move(next);
  }
  return out;
}

/// The block's `drift = { steps, eta, seed }`, or no drift.
Drift read_drift(const ConfigReader& cfg, const toml::table& block, const SweepPlan& plan) {
  Drift drift;
  const toml::node* node = block.get("drift");
  if (!node) return drift;
  const toml::table* t = node->as_table();
  if (!t) cfg.fail(node, "drift", "expected a table: drift = { steps = T, eta = 0.01, seed = 0 }");
  cfg.allow_keys(*t, {"steps", "eta", "seed"}, "drift");
  // The serial timing phase re-times plain cells only (a drift run's state chains through its
  // steps): rather than ignore the request, refuse the combination.
  if (plan.timing_repeats > 0)
    cfg.fail(node, "drift",
             "drift blocks are not re-timed by [sweep] timing = { repeats = R } (their time_s "
             "is the accuracy run's): drop `timing`, or run drift blocks in a config of their "
             "own");
  const toml::node* steps = t->get("steps");
  if (!steps) cfg.fail(node, "drift", "needs steps = T (>= 1)");
  drift.steps = int(cfg.integers(*steps, "steps", 1, kMaxDriftSteps).front());
  if (const toml::node* seed = t->get("seed"))
    drift.seed = std::uint64_t(cfg.integers(*seed, "seed", 0).front());
  if (const toml::node* eta = t->get("eta")) {
    const auto v = eta->value<double>();
    if (!v || !std::isfinite(*v) || *v < 0)
      cfg.fail(eta, "eta", "expected a finite number >= 0 (the relative size of each step)");
    drift.eta = *v;
  } else {
    cfg.fail(node, "drift", "needs eta = (the relative Frobenius size of each step, e.g. 0.01)");
  }
  return drift;
}

/// The block's matrices as indices into plan.matrices (new ones appended).
std::vector<std::size_t> read_matrices(const ConfigReader& cfg, const toml::table& block,
                                       const Defaults& d, SweepPlan& plan,
                                       std::map<std::string, std::size_t>& matrix_index) {
  const toml::node* matrices = block.get("matrices");
  if (!matrices) cfg.fail(&block, "matrices", "missing in [[block]]");
  std::vector<std::size_t> block_matrices;
  for (const auto& text : cfg.texts(*matrices, "matrices")) {
    MatrixSpec spec;
    try {
      // Relative paths in a config are relative to the config's folder (not the working
      // directory), so a config runs the same from anywhere.
      spec = parse_matrix_spec(text, cfg.folder());
      // Open and parse matrix files now: a bad file fails before any output is written.
      if (spec.family == "mtx" && !matrix_index.count(spec.text)) {
        const bool f32 = std::find(d.precisions.begin(), d.precisions.end(), Precision::F32) !=
                         d.precisions.end();
        if (is_sparse_only(spec)) {
          const auto matrix = make_sparse_matrix(spec);
          if (f32) require_float_range(spec, matrix);
        } else {
          const auto matrix = make_matrix(spec);
          if (f32) require_float_range(spec, matrix);
        }
      }
    } catch (const InvalidArgument& e) {
      cfg.fail(matrices, "matrices", e.what());
    }
    auto [it, inserted] = matrix_index.emplace(spec.text, plan.matrices.size());
    if (inserted) plan.matrices.push_back(spec);
    block_matrices.push_back(it->second);
  }
  return block_matrices;
}

/// One estimator with one combination of parameters, and its checkpoints (nested runs).
struct Group {
  EstimatorChoice choice;
  std::vector<int> checkpoints;
};

/// The registry entry an estimator table names.
const EstimatorInfo& named_estimator(const ConfigReader& cfg, const toml::node& entry_node) {
  const toml::table* entry = entry_node.as_table();
  if (!entry) cfg.fail(&entry_node, "estimators", "each estimator must be a table with a 'name'");
  const toml::node* name_node = entry->get("name");
  if (!name_node || !name_node->is_string())
    cfg.fail(&entry_node, "name", "each [[block.estimators]] needs name = \"...\"");
  if (entry->contains("command"))  // an external estimator (harness/plugins/)
    return external_estimator(cfg, *entry, name_node->as_string()->get());
  try {
    return EstimatorRegistry::instance().get(name_node->as_string()->get(), "estimator");
  } catch (const InvalidArgument& e) {
    cfg.fail(name_node, "name", e.what());
  }
}

/// The value lists of an estimator table's parameters, each value checked against the schema.
/// The iteration parameter of a nested estimator outside drift becomes checkpoints instead (one
/// run reports them all); without it, the block's `iterations` set it. In a drift block every
/// iteration count is its own trajectory (one call per step).
NamedValues parameter_lists(const ConfigReader& cfg, const toml::table& entry,
                            const EstimatorInfo& info, const Defaults& d, const Drift& drift,
                            std::vector<int>& checkpoints) {
  const bool nested = info.nested && drift.steps == 0;
  NamedValues lists;
  bool iteration_listed = false;
  for (const auto& [key, node] : entry) {
    if (key.str() == "name" ||
        (entry.contains("command") && is_external_entry_key(std::string(key.str()))))
      continue;
    const ParamSpec* spec = info.schema.find(key.str());
    if (!spec)
      cfg.fail(&node, key.str(),
               detail::concat("estimator '", info.name,
                              "' has no such parameter; accepted: ", info.schema.describe()));
    auto values = cfg.texts(node, key.str());
    for (const auto& v : values) {
      try {
        (void)ParamSchema::parse_value(*spec, v, "estimator '" + info.name + "'");
      } catch (const InvalidArgument& e) {
        cfg.fail(&node, key.str(), e.what());
      }
    }
    if (key.str() == info.iteration_param) {
      iteration_listed = true;
      if (nested) {
        for (const auto& v : values) {
          const long long k = std::stoll(v);  // an integer in the schema's range (checked above)
          if (k > std::numeric_limits<int>::max())
            cfg.fail(&node, key.str(),
                     detail::concat("must be <= ", std::numeric_limits<int>::max(), ", got ", k));
          checkpoints.push_back(int(k));
        }
        continue;
      }
    }
    lists.emplace_back(std::string(key.str()), values);
  }
  if (!iteration_listed && !d.iterations.empty() && !info.iteration_param.empty()) {
    // the sweep's iteration counts set the estimator's iteration parameter: its range holds
    const ParamSpec* spec = info.schema.find(info.iteration_param);
    for (int i : d.iterations) {
      try {
        (void)ParamSchema::parse_value(*spec, std::to_string(i), "estimator '" + info.name + "'");
      } catch (const InvalidArgument& e) {
        cfg.fail(&entry, "iterations",
                 detail::concat(e.what(), " (set by the block's or [sweep]'s iterations)"));
      }
    }
    if (nested) {
      checkpoints = d.iterations;
    } else {
      std::vector<std::string> values;
      for (int i : d.iterations) values.push_back(std::to_string(i));
      lists.emplace_back(info.iteration_param, values);
    }
  }
  return lists;
}

/// Every estimator of the block with every combination of its parameter lists, in order.
std::vector<Group> read_estimators(const ConfigReader& cfg, const toml::table& block,
                                   const Defaults& d, const Drift& drift) {
  const toml::node* estimators = block.get("estimators");
  const toml::array* list = estimators ? estimators->as_array() : nullptr;
  if (!list || list->empty())
    cfg.fail(estimators ? estimators : &block, "estimators",
             "expected a non-empty array of tables ([[block.estimators]] with a 'name')");
  std::vector<Group> groups;
  for (const auto& entry_node : *list) {
    const EstimatorInfo& info = named_estimator(cfg, entry_node);
    std::vector<int> checkpoints;
    const auto lists = parameter_lists(cfg, *entry_node.as_table(), info, d, drift, checkpoints);
    for (const auto& combo : cartesian(lists)) {
      Group g;
      g.choice.info = &info;
      try {
        g.choice.params = info.schema.resolve(combo, "estimator '" + info.name + "'");
      } catch (const InvalidArgument& e) {
        cfg.fail(&entry_node, "", e.what());
      }
      g.checkpoints = checkpoints;
      groups.push_back(std::move(g));
    }
  }
  return groups;
}

}  // namespace

void add_block(const ConfigReader& cfg, const toml::table& block, const Defaults& sweep_defaults,
               SweepPlan& plan, std::map<std::string, std::size_t>& matrix_index) {
  cfg.allow_keys(block, {"matrices", "estimators", "seeds", "precisions", "iterations", "drift"},
                 "[[block]]");
  Defaults d = sweep_defaults;
  read_defaults(cfg, block, d);
  const Drift drift = read_drift(cfg, block, plan);
  const auto block_matrices = read_matrices(cfg, block, d, plan, matrix_index);
  const auto groups = read_estimators(cfg, block, d, drift);
  for (std::size_t mi : block_matrices)
    for (Precision p : d.precisions)
      for (const auto& g : groups)
        for (std::uint64_t seed : d.seeds) {
          plan.runs.push_back({mi, p, g.choice, seed, g.checkpoints, drift});
          plan.rows += planned_rows(plan.runs.back());
        }
}

}  // namespace specbench
