#include "harness/sweep.hpp"

#include <toml++/toml.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "harness/output.hpp"
#include "harness/provenance.hpp"

namespace specbench {
namespace {

using Clock = std::chrono::steady_clock;

/// Errors name the config file, the line and the key: "configs/x.toml:12: key 'seeds': ...".
class ConfigReader {
 public:
  explicit ConfigReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node* node, std::string_view key, std::string_view msg) const {
    std::ostringstream out;
    out << file_;
    if (node && node->source().begin) out << ":" << node->source().begin.line;
    out << ": ";
    if (!key.empty()) out << "key '" << key << "': ";
    out << msg;
    throw InvalidArgument(out.str());
  }

  void allow_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                  std::string_view where) const {
    for (const auto& [key, node] : table) {
      bool ok = false;
      for (auto a : allowed) ok = ok || key.str() == a;
      if (!ok) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(&node, key.str(), detail::concat("unknown key in ", where, "; accepted: ", list));
      }
    }
  }

  /// A scalar or an array of scalars, as the texts a user would write.
  std::vector<std::string> texts(const toml::node& node, std::string_view key) const {
    std::vector<std::string> out;
    auto one = [&](const toml::node& n) {
      if (auto s = n.as_string()) return s->get();
      if (auto i = n.as_integer()) return std::to_string(i->get());
      if (auto f = n.as_floating_point()) return format_value(ParamValue(f->get()));
      if (auto b = n.as_boolean()) return std::string(b->get() ? "true" : "false");
      fail(&n, key, "expected a string, number or boolean (or an array of them)");
    };
    if (auto arr = node.as_array()) {
      if (arr->empty()) fail(&node, key, "the list is empty");
      for (const auto& n : *arr) out.push_back(one(n));
    } else {
      out.push_back(one(node));
    }
    return out;
  }

  std::vector<long long> integers(const toml::node& node, std::string_view key,
                                  long long min) const {
    std::vector<long long> out;
    auto one = [&](const toml::node& n) {
      auto i = n.as_integer();
      if (!i) fail(&n, key, "expected an integer");
      if (i->get() < min) fail(&n, key, detail::concat("must be >= ", min, ", got ", i->get()));
      out.push_back(i->get());
    };
    if (auto arr = node.as_array()) {
      if (arr->empty()) fail(&node, key, "the list is empty");
      for (const auto& n : *arr) one(n);
    } else {
      one(node);
    }
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

/// Settings that a block inherits from [sweep] and may override.
struct Defaults {
  std::vector<std::uint64_t> seeds{0};
  std::vector<Precision> precisions{Precision::F64};
  std::vector<int> iterations;
};

void read_defaults(const ConfigReader& cfg, const toml::table& t, Defaults& d) {
  if (auto n = t.get("seeds")) {
    d.seeds.clear();
    if (n->is_integer()) {  // seeds = N means 0 .. N-1
      const auto count = cfg.integers(*n, "seeds", 1).front();
      for (long long s = 0; s < count; ++s) d.seeds.push_back(std::uint64_t(s));
    } else {
      for (auto s : cfg.integers(*n, "seeds", 0)) d.seeds.push_back(std::uint64_t(s));
    }
  }
  if (auto n = t.get("precisions")) {
    d.precisions.clear();
    for (const auto& p : cfg.texts(*n, "precisions")) {
      try {
        d.precisions.push_back(parse_precision(p));
      } catch (const InvalidArgument& e) {
        cfg.fail(n, "precisions", e.what());
      }
    }
  }
  if (auto n = t.get("iterations")) {
    d.iterations.clear();
    for (auto i : cfg.integers(*n, "iterations", 1)) d.iterations.push_back(int(i));
  }
}

/// Cartesian product of named value lists, in order (the last name varies fastest).
std::vector<std::vector<std::pair<std::string, std::string>>> cartesian(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& lists) {
  std::vector<std::vector<std::pair<std::string, std::string>>> out(1);
  for (const auto& [name, values] : lists) {
    std::vector<std::vector<std::pair<std::string, std::string>>> next;
    for (const auto& prefix : out)
      for (const auto& v : values) {
        next.push_back(prefix);
        next.back().emplace_back(name, v);
      }
    out = std::move(next);
  }
  return out;
}

void add_block(const ConfigReader& cfg, const toml::table& block, const Defaults& sweep_defaults,
               SweepPlan& plan, std::map<std::string, std::size_t>& matrix_index) {
  cfg.allow_keys(block, {"matrices", "estimators", "seeds", "precisions", "iterations", "drift"},
                 "[[block]]");
  Defaults d = sweep_defaults;
  read_defaults(cfg, block, d);
  Drift drift;
  if (const toml::node* node = block.get("drift")) {
    const toml::table* t = node->as_table();
    if (!t)
      cfg.fail(node, "drift", "expected a table: drift = { steps = T, eta = 0.01, seed = 0 }");
    cfg.allow_keys(*t, {"steps", "eta", "seed"}, "drift");
    const toml::node* steps = t->get("steps");
    if (!steps) cfg.fail(node, "drift", "needs steps = T (>= 1)");
    drift.steps = int(cfg.integers(*steps, "steps", 1).front());
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
  }

  const toml::node* matrices = block.get("matrices");
  if (!matrices) cfg.fail(&block, "matrices", "missing in [[block]]");
  std::vector<std::size_t> block_matrices;
  for (const auto& text : cfg.texts(*matrices, "matrices")) {
    MatrixSpec spec;
    try {
      spec = parse_matrix_spec(text);
      // Open and parse matrix files now: a bad file fails before any output is written.
      if (spec.family == "mtx" && !matrix_index.count(spec.text)) (void)make_matrix(spec);
    } catch (const InvalidArgument& e) {
      cfg.fail(matrices, "matrices", e.what());
    }
    auto [it, inserted] = matrix_index.emplace(spec.text, plan.matrices.size());
    if (inserted) plan.matrices.push_back(spec);
    block_matrices.push_back(it->second);
  }

  const toml::node* estimators = block.get("estimators");
  const toml::array* list = estimators ? estimators->as_array() : nullptr;
  if (!list || list->empty())
    cfg.fail(estimators ? estimators : &block, "estimators",
             "expected a non-empty array of tables ([[block.estimators]] with a 'name')");

  struct Group {
    EstimatorChoice choice;
    std::vector<int> checkpoints;
  };
  std::vector<Group> groups;
  for (const auto& entry_node : *list) {
    const toml::table* entry = entry_node.as_table();
    if (!entry) cfg.fail(&entry_node, "estimators", "each estimator must be a table with a 'name'");
    const toml::node* name_node = entry->get("name");
    if (!name_node || !name_node->is_string())
      cfg.fail(&entry_node, "name", "each [[block.estimators]] needs name = \"...\"");
    const std::string name = name_node->as_string()->get();
    const EstimatorInfo* info = nullptr;
    try {
      info = &EstimatorRegistry::instance().get(name, "estimator");
    } catch (const InvalidArgument& e) {
      cfg.fail(name_node, "name", e.what());
    }
    std::vector<std::pair<std::string, std::vector<std::string>>> lists;
    std::vector<int> checkpoints;
    bool iteration_listed = false;
    for (const auto& [key, node] : *entry) {
      if (key.str() == "name") continue;
      const ParamSpec* spec = info->schema.find(key.str());
      if (!spec)
        cfg.fail(&node, key.str(),
                 detail::concat("estimator '", name,
                                "' has no such parameter; accepted: ", info->schema.describe()));
      auto values = cfg.texts(node, key.str());
      for (const auto& v : values) {
        try {
          (void)ParamSchema::parse_value(*spec, v, "estimator '" + name + "'");
        } catch (const InvalidArgument& e) {
          cfg.fail(&node, key.str(), e.what());
        }
      }
      if (key.str() == info->iteration_param) {
        iteration_listed = true;
        if (info->nested && drift.steps == 0) {
          for (const auto& v : values) checkpoints.push_back(std::stoi(v));
          continue;
        }
      }
      lists.emplace_back(std::string(key.str()), values);
    }
    // The block's `iterations` set the iteration parameter unless the estimator lists it.
    // In a drift block every iteration count is its own trajectory (one call per step).
    if (!iteration_listed && !d.iterations.empty() && !info->iteration_param.empty()) {
      if (info->nested && drift.steps == 0) {
        checkpoints = d.iterations;
      } else {
        std::vector<std::string> values;
        for (int i : d.iterations) values.push_back(std::to_string(i));
        lists.emplace_back(info->iteration_param, values);
      }
    }
    for (const auto& combo : cartesian(lists)) {
      Group g;
      g.choice.info = info;
      try {
        g.choice.params = info->schema.resolve(combo, "estimator '" + name + "'");
      } catch (const InvalidArgument& e) {
        cfg.fail(&entry_node, "", e.what());
      }
      g.checkpoints = checkpoints;
      groups.push_back(std::move(g));
    }
  }

  for (std::size_t mi : block_matrices)
    for (Precision p : d.precisions)
      for (const auto& g : groups)
        for (std::uint64_t seed : d.seeds) {
          plan.runs.push_back({mi, p, g.choice, seed, g.checkpoints, drift});
          std::vector<int> unique = g.checkpoints;
          std::sort(unique.begin(), unique.end());
          unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
          plan.rows +=
              drift.steps > 0 ? std::size_t(drift.steps) + 1 : (unique.empty() ? 1 : unique.size());
        }
}

std::string format_seconds(double s) {
  std::ostringstream out;
  out.precision(s < 10 ? 2 : 0);
  out << std::fixed << s << " s";
  return out.str();
}

}  // namespace

SweepPlan load_sweep(const std::filesystem::path& config) {
  const ConfigReader cfg(config.string());
  std::ifstream in(config);
  if (!in) throw InvalidArgument(config.string() + ": cannot open the config file");
  std::stringstream buffer;
  buffer << in.rdbuf();

  SweepPlan plan;
  plan.config_path = config;
  plan.config_text = buffer.str();
  toml::table root;
  try {
    root = toml::parse(plan.config_text, config.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << config.string() << ":" << e.source().begin.line << ": " << e.description();
    throw InvalidArgument(out.str());
  }
  cfg.allow_keys(root, {"sweep", "block"}, "the config");

  Defaults defaults;
  plan.name = config.stem().string();
  plan.output = std::filesystem::path("results") / plan.name;
  if (const toml::node* sweep_node = root.get("sweep")) {
    const toml::table* sweep = sweep_node->as_table();
    if (!sweep) cfg.fail(sweep_node, "sweep", "expected a table [sweep]");
    cfg.allow_keys(*sweep, {"name", "output", "seeds", "precisions", "iterations"}, "[sweep]");
    if (auto n = sweep->get("name")) plan.name = cfg.texts(*n, "name").front();
    if (auto n = sweep->get("output")) plan.output = cfg.texts(*n, "output").front();
    read_defaults(cfg, *sweep, defaults);
  }

  const toml::node* blocks_node = root.get("block");
  const toml::array* blocks = blocks_node ? blocks_node->as_array() : nullptr;
  if (!blocks || blocks->empty())
    cfg.fail(blocks_node, "block",
             "the config needs at least one [[block]] with matrices and estimators");
  std::map<std::string, std::size_t> matrix_index;
  for (const auto& b : *blocks) {
    const toml::table* block = b.as_table();
    if (!block) cfg.fail(&b, "block", "expected [[block]] tables");
    add_block(cfg, *block, defaults, plan, matrix_index);
  }
  // Group runs by matrix, then precision, keeping config order within (stable).
  std::stable_sort(plan.runs.begin(), plan.runs.end(), [](const RunSpec& a, const RunSpec& b) {
    return std::tie(a.matrix, a.precision) < std::tie(b.matrix, b.precision) ||
           (std::tie(a.matrix, a.precision) == std::tie(b.matrix, b.precision) &&
            a.drift.key() < b.drift.key());
  });
  return plan;
}

void drift_step(DenseMatrix<double>& w, double eta, Rng& rng) {
  DenseMatrix<double> g(w.rows(), w.cols());
  fill_gaussian<double>(rng, g.values());
  const double norm_w = blas::nrm2(std::span<const double>(w.values()));
  const double norm_g = blas::nrm2(std::span<const double>(g.values()));
  if (norm_g == 0) return;
  blas::axpy(eta * norm_w / norm_g, std::span<const double>(g.values()), w.values());
}

SweepSummary run_sweep(const SweepPlan& plan, const SweepOptions& options) {
  SweepSummary summary;
  summary.output = options.output.empty() ? plan.output : options.output;
  std::filesystem::create_directories(summary.output);
  const auto started_at = utc_now();
  const auto start = Clock::now();

  nlohmann::json meta = {
      {"provenance", provenance()},
      {"config_path", plan.config_path.string()},
      {"config", plan.config_text},
      {"name", plan.name},
      {"output", summary.output.string()},
      {"runs", plan.runs.size()},
      {"rows_planned", plan.rows},
      {"started_utc", started_at},
      {"status", "running"},
      {"columns", row_columns()},
      {"references", nlohmann::json::array()},
  };
  const auto meta_path = summary.output / "meta.json";
  write_file_atomic(meta_path, meta.dump(2) + "\n");
  CsvWriter csv(summary.output / "runs.csv");

  auto last_progress = Clock::now();
  std::size_t done = 0;
  auto progress = [&](std::size_t runs_done) {
    done = runs_done;
    const auto now = Clock::now();
    if (!options.quiet &&
        (now - last_progress > std::chrono::seconds(1) || done == plan.runs.size())) {
      const double elapsed = std::chrono::duration<double>(now - start).count();
      const double left =
          elapsed / double(std::max<std::size_t>(done, 1)) * double(plan.runs.size() - done);
      std::cerr << "[" << done << "/" << plan.runs.size() << " runs] " << format_seconds(elapsed)
                << " elapsed, ~" << format_seconds(left) << " left\n";
      last_progress = now;
    }
  };
  auto write = [&](const Row& row) {
    csv.write(row);
    ++summary.rows;
    if (row.status == "error") ++summary.errors;
  };
  auto load = [&](const MatrixSpec& spec, const DenseMatrix<double>& a, Precision precision,
                  int step, std::optional<Problem>& problem, std::string& error) {
    problem.reset();
    try {
      problem = make_problem(spec, a, precision);
      auto ref = reference_to_json(*problem);
      if (step >= 0) ref["step"] = step;
      meta["references"].push_back(std::move(ref));
      if (!options.quiet && step <= 0)
        std::cerr << "matrix " << spec.text << " (" << problem->a64.rows() << " x "
                  << problem->a64.cols() << ", " << to_string(precision)
                  << "): reference sigma1 = " << problem->ref.sigma1_text << " +- "
                  << format_double(problem->ref.bound) << " in "
                  << format_seconds(problem->ref_time_s) << "\n";
    } catch (const std::exception& e) {
      error = e.what();
      if (!options.quiet) std::cerr << "matrix " << spec.text << ": error: " << e.what() << "\n";
    }
  };

  std::size_t i = 0;
  while (i < plan.runs.size()) {
    // Runs [i, j) share a matrix, a precision and a drift: one problem (per step), one reference.
    std::size_t j = i;
    while (j < plan.runs.size() && plan.runs[j].matrix == plan.runs[i].matrix &&
           plan.runs[j].precision == plan.runs[i].precision &&
           plan.runs[j].drift.key() == plan.runs[i].drift.key())
      ++j;
    const MatrixSpec& spec = plan.matrices[plan.runs[i].matrix];
    const Precision precision = plan.runs[i].precision;
    const Drift drift = plan.runs[i].drift;
    std::optional<Problem> problem;
    std::string problem_error;
    DenseMatrix<double> w;
    try {
      w = make_matrix(spec);
    } catch (const std::exception& e) {
      problem_error = e.what();
    }
    if (problem_error.empty())
      load(spec, w, precision, drift.steps > 0 ? 0 : -1, problem, problem_error);

    if (drift.steps == 0) {
      for (; i < j; ++i) {
        const RunSpec& run = plan.runs[i];
        std::vector<Row> rows;
        try {
          if (!problem) throw std::runtime_error(problem_error);
          rows = run_estimator(*problem, run.estimator, run.seed, run.checkpoints).rows;
        } catch (const std::exception& e) {
          rows.assign(1, failed_row(spec, precision, run.estimator, run.seed, e.what()));
        }
        for (const Row& row : rows) write(row);
        progress(done + 1);
      }
      continue;
    }

    // A drift group: every run steps through the same W_0, W_1, ..., carrying its own state.
    struct State {
      std::vector<double> u, v;
    };
    std::vector<State> state(j - i);
    Rng drift_rng(drift.seed);
    for (int t = 0; t <= drift.steps; ++t) {
      if (t > 0 && problem_error.empty()) {
        drift_step(w, drift.eta, drift_rng);
        load(spec, w, precision, t, problem, problem_error);
      }
      for (std::size_t k = i; k < j; ++k) {
        const RunSpec& run = plan.runs[k];
        State& st = state[k - i];
        Row row;
        try {
          if (!problem) throw std::runtime_error(problem_error);
          const bool takes_u = run.estimator.info->takes_start;
          row = run_estimator(*problem, run.estimator, run.seed, {}, true,
                              takes_u ? st.u : std::vector<double>{}, st.v)
                    .rows.front();
          st.u = row.u;
          st.v = row.v;
        } catch (const std::exception& e) {
          row = failed_row(spec, precision, run.estimator, run.seed, e.what());
        }
        row.step = t;
        write(row);
      }
    }
    progress(done + (j - i));
    i = j;
  }

  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  meta["status"] = "complete";
  meta["finished_utc"] = utc_now();
  meta["seconds"] = summary.seconds;
  meta["rows"] = summary.rows;
  meta["errors"] = summary.errors;
  write_file_atomic(meta_path, meta.dump(2) + "\n");
  return summary;
}

}  // namespace specbench
