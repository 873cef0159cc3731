#include "harness/sweep/sweep.hpp"

#include <toml++/toml.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/parallel.hpp"
#include "harness/hash.hpp"
#include "harness/provenance.hpp"
#include "harness/reference_cache.hpp"
#include "harness/results/columns.hpp"
#include "harness/results/lock.hpp"
#include "harness/results/output.hpp"
#include "harness/results/summary.hpp"

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
  /// The folder relative paths in the config resolve against.
  std::filesystem::path folder() const { return std::filesystem::path(file_).parent_path(); }

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
    // The serial timing phase re-times plain cells only (a drift run's state chains through its
    // steps): rather than ignore the request, refuse the combination.
    if (plan.timing_repeats > 0)
      cfg.fail(node, "drift",
               "drift blocks are not re-timed by [sweep] timing = { repeats = R } (their time_s "
               "is the accuracy run's): drop `timing`, or run drift blocks in a config of their "
               "own");
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
      // Relative paths in a config are relative to the config's folder (not the working
      // directory), so a config runs the same from anywhere.
      spec = parse_matrix_spec(text, cfg.folder());
      // Open and parse matrix files now: a bad file fails before any output is written.
      if (spec.family == "mtx" && !matrix_index.count(spec.text)) {
        const auto matrix = make_matrix(spec);
        if (std::find(d.precisions.begin(), d.precisions.end(), Precision::F32) !=
            d.precisions.end())
          require_float_range(spec, matrix);
      }
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
    cfg.allow_keys(*sweep,
                   {"name", "output", "seeds", "precisions", "iterations", "tolerances", "timing"},
                   "[sweep]");
    if (auto n = sweep->get("name")) plan.name = cfg.texts(*n, "name").front();
    if (auto n = sweep->get("tolerances")) {
      plan.tolerances.clear();
      const toml::array* arr = n->as_array();
      if (!arr || arr->empty())
        cfg.fail(n, "tolerances", "expected a list of numbers, e.g. [1e-2, 1e-6]");
      for (const auto& t : *arr) {
        const auto v = t.value<double>();
        if (!v || !(*v > 0) || !std::isfinite(*v))
          cfg.fail(&t, "tolerances", "expected positive finite numbers");
        plan.tolerances.push_back(*v);
      }
    }
    if (auto n = sweep->get("timing")) {
      const toml::table* t = n->as_table();
      if (!t) cfg.fail(n, "timing", "expected a table: timing = { repeats = 3 }");
      cfg.allow_keys(*t, {"repeats"}, "timing");
      if (auto r = t->get("repeats"))
        plan.timing_repeats = int(cfg.integers(*r, "repeats", 0).front());
    }
    if (auto n = sweep->get("output")) {
      const std::filesystem::path out(cfg.texts(*n, "output").front());
      plan.output = out.is_relative() ? (cfg.folder() / out).lexically_normal() : out;
    }
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
  // The config's identity: its content as parsed, re-serialized by toml++ (comments, layout and
  // key order do not matter), without [sweep] output (where results go changes no result).
  {
    toml::table canonical = root;
    if (toml::table* sweep = canonical["sweep"].as_table()) sweep->erase("output");
    std::ostringstream text;
    text << canonical;
    plan.config_hash = sha256_hex(text.str());
  }
  // Group runs by matrix, then precision, keeping config order within (stable).
  std::stable_sort(plan.runs.begin(), plan.runs.end(), [](const RunSpec& a, const RunSpec& b) {
    return std::tie(a.matrix, a.precision) < std::tie(b.matrix, b.precision) ||
           (std::tie(a.matrix, a.precision) == std::tie(b.matrix, b.precision) &&
            a.drift.key() < b.drift.key());
  });
  // Cell keys: a hash of everything that determines the cell's rows, the matrix by its content:
  // a file by the SHA-256 of its bytes (an edited file makes new cells, so a resume or a compare
  // never mixes rows of two versions of it), a generated family by the generators' version.
  std::vector<std::string> content(plan.matrices.size());
  for (std::size_t k = 0; k < plan.matrices.size(); ++k) {
    const MatrixSpec& spec = plan.matrices[k];
    if (spec.file.empty()) {
      content[k] = "gen-" + std::to_string(kGeneratorVersion);
      continue;
    }
    std::ifstream in(spec.file, std::ios::binary);
    if (!in) {  // unreadable now: its cells become error rows when the sweep reaches them
      content[k] = "unreadable";
      continue;
    }
    Sha256 h;
    std::vector<char> buf(1 << 16);
    while (in.read(buf.data(), std::streamsize(buf.size())) || in.gcount() > 0)
      h.update(buf.data(), std::size_t(in.gcount()));
    content[k] = "sha256:" + h.hex();
  }
  std::map<std::string, std::size_t> seen;
  for (auto& run : plan.runs) {
    std::ostringstream key;
    key << plan.matrices[run.matrix].text << '|' << content[run.matrix] << '|'
        << to_string(run.precision) << '|' << run.estimator.info->name << '|'
        << run.estimator.params.to_string() << '|';
    for (int c : run.checkpoints) key << c << ',';
    key << '|' << run.seed << '|' << run.drift.steps << ',' << format_double(run.drift.eta) << ','
        << run.drift.seed;
    run.cell = sha256_hex(key.str()).substr(0, 16);
    std::vector<int> unique = run.checkpoints;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    run.rows = run.drift.steps > 0 ? std::size_t(run.drift.steps) + 1
                                   : (unique.empty() ? 1 : unique.size());
    if (!seen.emplace(run.cell, 0).second)
      throw InvalidArgument(config.string() + ": the same cell appears twice (" +
                            plan.matrices[run.matrix].text + ", " + run.estimator.info->name + " " +
                            run.estimator.params.to_string() + ", seed " +
                            std::to_string(run.seed) + "): remove the duplicate");
  }
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

namespace {

/// Progress on stderr: a redrawn bar when stderr is a terminal, a plain line every 5 s
/// otherwise (logs of batch jobs).
class Progress {
 public:
  Progress(std::size_t total, bool quiet) : total_(total), quiet_(quiet), tty_(::isatty(2)) {}
  void message(const std::string& text) {
    if (quiet_) return;
    std::lock_guard lock(mutex_);
    if (tty_ && drawn_) std::cerr << "\r\033[K";
    std::cerr << text << "\n";
    drawn_ = false;
  }
  void advance(std::size_t cells) {
    if (quiet_) return;
    std::lock_guard lock(mutex_);
    done_ += cells;
    const auto now = Clock::now();
    const bool last = done_ == total_;
    if (!last && now - last_ < (tty_ ? std::chrono::milliseconds(200) : std::chrono::seconds(5)))
      return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? double(done_) / elapsed : 0;
    const double left = rate > 0 ? double(total_ - done_) / rate : 0;
    std::ostringstream line;
    if (tty_) {
      const int width = 30, filled = total_ ? int(width * done_ / total_) : width;
      line << "\r\033[K[" << std::string(std::size_t(filled), '#')
           << std::string(std::size_t(width - filled), '.') << "] ";
    }
    line << done_ << "/" << total_ << " cells, " << std::fixed << std::setprecision(1) << rate
         << " cells/s, " << format_seconds(elapsed) << " elapsed, ETA " << format_seconds(left);
    std::cerr << line.str() << (tty_ && !last ? "" : "\n") << std::flush;
    drawn_ = tty_ && !last;
  }

 private:
  std::mutex mutex_;
  std::size_t total_, done_ = 0;
  bool quiet_, tty_, drawn_ = false;
  Clock::time_point start_ = Clock::now(), last_ = Clock::now() - std::chrono::hours(1);
};

/// The runs of the plan in groups that share a matrix, a precision and a drift.
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

}  // namespace

namespace {

/// Whether `list` (meta.json references) already has the reference of `ref`'s matrix,
/// precision and drift step.
bool contains_reference(const nlohmann::json& list, const nlohmann::json& ref) {
  auto key = [](const nlohmann::json& r) {
    return r.value("matrix", "") + '|' + r.value("precision", "") + '|' +
           (r.contains("step") ? r["step"].dump() : std::string());
  };
  const std::string k = key(ref);
  for (const auto& r : list)
    if (key(r) == k) return true;
  return false;
}

/// A failed cell still writes exactly its planned rows (one per checkpoint, with that checkpoint
/// and its parameters), each a copy of the error row `like`: the cell is complete, so a resume
/// keeps it instead of rerunning it every time.
std::vector<Row> planned_error_rows(const RunSpec& run, const Row& like) {
  std::vector<int> checkpoints = run.checkpoints;
  std::sort(checkpoints.begin(), checkpoints.end());
  checkpoints.erase(std::unique(checkpoints.begin(), checkpoints.end()), checkpoints.end());
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

}  // namespace

ResumeState inspect_output(const SweepPlan& plan, const std::filesystem::path& output) {
  ResumeState state;
  state.done.assign(plan.runs.size(), 0);
  const auto runs_path = output / "runs.csv";
  if (!std::filesystem::exists(runs_path)) return state;
  state.exists = true;
  const std::string advice = "; use --fresh to start over, or another --out";
  RunsFile table;
  try {
    table = read_runs(runs_path);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string(e.what()) + advice);
  }
  const auto meta_path = output / "meta.json";
  if (std::filesystem::exists(meta_path)) {
    nlohmann::json meta;
    try {
      std::ifstream in(meta_path);
      meta = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      throw InvalidArgument(meta_path.string() + " does not parse (" + e.what() + ")" + advice);
    }
    SPECBENCH_REQUIRE(meta.is_object(), meta_path.string(), " is not a JSON object", advice);
    // Only a run of this config, by this build on this machine, is continued: other rows would
    // not be comparable with the ones added now.
    const std::string name = meta.value("name", "");
    if (name != plan.name)
      throw InvalidArgument(output.string() + " holds a run of config '" + name + "' (" +
                            meta.value("config_path", "?") + "), not of '" + plan.name + "'" +
                            advice);
    const auto now = provenance();
    const std::pair<const char*, const char*> same[] = {{"git_commit", "specbench commit"},
                                                        {"git_dirty", "working tree dirty flag"},
                                                        {"blas", "BLAS library and kernel"},
                                                        {"hostname", "host"}};
    for (const auto& [key, what] : same) {
      const auto then = meta.value("/provenance"_json_pointer / key, std::string());
      const auto here = now.value(key, std::string());
      if (then != here)
        throw InvalidArgument(output.string() + " was written with " + what + " '" + then +
                              "', this is '" + here + "': its rows may not be comparable" + advice);
    }
    state.previous_meta = std::move(meta);
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < plan.runs.size(); ++r) index[plan.runs[r].cell] = r;
  std::map<std::size_t, std::size_t> counts;
  for (std::size_t k = 0; k < table.rows.size(); ++k) {
    const Row& row = table.rows[k];
    const auto it = index.find(row.cell);
    if (it == index.end())
      throw InvalidArgument(
          runs_path.string() + ":" + std::to_string(table.lines[k]) +
          ": a row of a cell this config does not have (" + row.matrix + ", " + row.estimator +
          ", cell " + row.cell +
          "): the config, or a matrix file it names, changed since it was written" + advice);
    ++counts[it->second];
  }
  for (const auto& [r, n] : counts) {
    if (n == plan.runs[r].rows) {
      state.done[r] = 1;
      ++state.done_cells;
      state.kept_rows += n;
    } else {
      state.dropped_rows += n;  // an incomplete cell (killed mid-write): redone
    }
  }
  state.torn = table.torn;
  return state;
}

void describe_plan(const SweepPlan& plan, const ResumeState& state, const SweepOptions& options,
                   std::ostream& out) {
  std::size_t mine = 0, done = 0;
  double flops = 0;
  std::map<std::string, double> ref_flops;
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    if (int(r % std::size_t(options.shards)) != options.shard - 1) continue;
    ++mine;
    if (state.done[r]) {
      ++done;
      continue;
    }
    const RunSpec& run = plan.runs[r];
    // Work estimate: products with the matrix (2 m n flops each; how many, the registry says)
    // for the iteration count, and the reference (~ 4 m n min(m, n)) once per matrix and
    // precision.
    const auto& p = run.estimator.params;
    const std::string& it = run.estimator.info->iteration_param;
    // A nested run goes to its largest checkpoint (the iteration parameter is set to it).
    double count = it.empty() ? 1.0 : double(p.get_int(it));
    if (!run.checkpoints.empty())
      count = double(*std::max_element(run.checkpoints.begin(), run.checkpoints.end()));
    const ParamSet& mp = plan.matrices[run.matrix].params;
    double m = 1000, n = 1000;  // files: unknown size until read; assume 1000 x 1000
    if (mp.has("m") && mp.has("n")) {
      m = double(mp.get_int("m"));
      n = double(mp.get_int("n"));
    } else if (mp.has("out") && mp.has("in")) {
      m = double(mp.get_int("out"));
      n = double(mp.get_int("in")) *
          (mp.has("kh") ? double(mp.get_int("kh") * mp.get_int("kw")) : 1);
    }
    const double steps = double(std::max(1, run.drift.steps + 1));
    const auto& products = run.estimator.info->products;
    flops += steps * 2 * m * n * (products ? products(p, count) : 2 * count);
    ref_flops[plan.matrices[run.matrix].text + std::string(to_string(run.precision))] =
        steps * 4 * m * n * std::min(m, n);
  }
  double refs = 0;
  for (const auto& [k, f] : ref_flops) refs += f;
  out << "sweep '" << plan.name << "': " << plan.matrices.size() << " matrices, "
      << plan.runs.size() << " cells, " << plan.rows << " rows\n";
  if (options.shards > 1)
    out << "shard " << options.shard << "/" << options.shards << ": " << mine << " cells\n";
  out << "done: " << done << " of " << mine << " cells" << (state.exists ? "" : " (no output yet)")
      << "; to run: " << mine - done << "\n";
  out << "work: ~" << std::setprecision(3) << flops / 1e9 << " Gflop in estimators, ~" << refs / 1e9
      << " Gflop in references (cached references cost nothing)\n";
  out << "cells (cell key, status, matrix, precision, estimator, seed):\n";
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    if (int(r % std::size_t(options.shards)) != options.shard - 1) continue;
    const RunSpec& run = plan.runs[r];
    out << "  " << run.cell << "  " << (state.done[r] ? "done" : "todo") << "  "
        << plan.matrices[run.matrix].text << "  " << to_string(run.precision) << "  "
        << run.estimator.info->name << ":" << run.estimator.params.to_string() << "  seed "
        << run.seed;
    if (!run.checkpoints.empty()) {
      out << "  checkpoints";
      for (int c : run.checkpoints) out << " " << c;
    }
    if (run.drift.steps > 0) out << "  drift steps=" << run.drift.steps << " eta=" << run.drift.eta;
    out << "\n";
  }
}

void explain_cell(const SweepPlan& plan, const std::string& cell, std::ostream& out) {
  for (const RunSpec& run : plan.runs) {
    if (run.cell != cell) continue;
    const auto& spec = plan.matrices[run.matrix];
    out << "cell " << cell << ": " << spec.text << ", " << to_string(run.precision) << ", "
        << run.estimator.info->name << ":" << run.estimator.params.to_string() << ", seed "
        << run.seed << ", " << run.rows << " row(s)\n";
    if (run.drift.steps > 0) {
      out << "a drift run (steps=" << run.drift.steps << ", eta=" << run.drift.eta
          << "): its matrices W_t exist only inside the sweep; step 0 is reproduced by\n";
    } else {
      out << "reproduce each row with:\n";
    }
    std::vector<int> counts = run.checkpoints;
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
    if (counts.empty()) counts.push_back(0);
    for (int c : counts) {
      ParamSet p = run.estimator.params;
      if (c > 0) p.set(run.estimator.info->iteration_param, static_cast<long long>(c));
      out << "  specbench estimate --matrix '" << command_spec(spec) << "' --estimator '"
          << run.estimator.info->name << ":" << p.to_string() << "' --precision "
          << to_string(run.precision) << " --seed " << run.seed << "\n";
      if (run.drift.steps > 0) break;
    }
    return;
  }
  throw InvalidArgument("no cell '" + cell + "' in this config (see --dry-run for the cells)");
}

SweepSummary run_sweep(const SweepPlan& plan, const SweepOptions& options) {
  SweepSummary summary;
  summary.output = options.output.empty() ? plan.output : options.output;
  SPECBENCH_REQUIRE(options.jobs >= 1, "--jobs must be >= 1, got ", options.jobs);
  SPECBENCH_REQUIRE(options.threads >= 1, "--threads must be >= 1, got ", options.threads);
  SPECBENCH_REQUIRE(options.shards >= 1 && options.shard >= 1 && options.shard <= options.shards,
                    "--shard K/N needs 1 <= K <= N, got ", options.shard, "/", options.shards);
  std::filesystem::create_directories(summary.output);
  // One writer per folder, for the whole run: a second run (or a merge into it) exits 2 now.
  const FolderLock lock(summary.output, FolderLock::Mode::Exclusive);
  const auto runs_path = summary.output / "runs.csv", meta_path = summary.output / "meta.json";
  const auto started_at = utc_now();
  const auto start = Clock::now();

  // ---- resume: keep the finished cells of an earlier (killed or partial) run ----
  ResumeState state;
  state.done.assign(plan.runs.size(), 0);
  if (!options.fresh) state = inspect_output(plan, summary.output);
  if (options.fresh) {
    // Start over: every output of the previous run goes, so nothing stale sits beside the new.
    for (const char* name : {"runs.csv", "summary.csv", "meta.json", "compare.md", "compare.json"})
      std::filesystem::remove(summary.output / name);
    std::filesystem::remove_all(summary.output / "figures");
  }
  if (state.exists && !options.fresh && (state.dropped_rows > 0 || state.torn)) {
    // Rewrite runs.csv without the incomplete cells and the torn line, atomically.
    const RunsFile table = read_runs(runs_path);
    std::map<std::string, char> done_cells;
    for (std::size_t r = 0; r < plan.runs.size(); ++r)
      if (state.done[r]) done_cells[plan.runs[r].cell] = 1;
    std::string text = csv_header();
    for (const Row& row : table.rows)  // the writer is canonical: each line comes back as it was
      if (done_cells.count(row.cell)) text += csv_line(row);
    write_file_atomic(runs_path, text);
  }
  std::vector<std::size_t> todo;
  for (std::size_t r = 0; r < plan.runs.size(); ++r)
    if (!state.done[r] && int(r % std::size_t(options.shards)) == options.shard - 1)
      todo.push_back(r);
  summary.rows = state.kept_rows;

  nlohmann::json meta = {
      {"provenance", provenance()},
      {"config_path", plan.config_path.string()},
      {"config", plan.config_text},
      {"config_hash", plan.config_hash},
      {"name", plan.name},
      {"output", summary.output.string()},
      {"runs", plan.runs.size()},
      {"rows_planned", plan.rows},
      {"jobs", options.jobs},
      {"threads", options.threads},
      {"shard", std::to_string(options.shard) + "/" + std::to_string(options.shards)},
      {"resumed_cells", state.done_cells},
      {"timing_repeats", plan.timing_repeats},
      {"timing", plan.timing_repeats > 0 ? "serial phase: 1 warm-up + timing_repeats runs per cell"
                 : options.jobs > 1      ? "contended: measured while other cells ran (jobs > 1)"
                                         : "serial: measured in the accuracy run (jobs = 1)"},
      {"timing_mode", plan.timing_repeats > 0 ? "serial-phase"
                      : options.jobs > 1      ? "contended"
                                              : "serial"},
      {"tolerances", plan.tolerances},
      {"started_utc", started_at},
      {"last_started_utc", started_at},
      {"status", "running"},
      {"columns", row_columns()},
      {"estimators", nlohmann::json::object()},
      {"references", nlohmann::json::array()},
  };
  // What the scripts need to know about each estimator of the sweep (its iteration parameter,
  // defaults, theory), so that no script names an estimator.
  for (const RunSpec& run : plan.runs)
    meta["estimators"][run.estimator.info->name] = estimator_json(*run.estimator.info);
  // A resumed run continues the previous one: its first start, and the references of the cells
  // it already finished (this invocation adds only those it computes).
  if (state.exists && state.previous_meta.is_object()) {
    meta["started_utc"] = state.previous_meta.value("started_utc", started_at);
    meta["references"] = state.previous_meta.value("references", nlohmann::json::array());
  }
  write_file_atomic(meta_path, meta.dump(2) + "\n");
  CsvWriter csv(runs_path, state.exists && !options.fresh);

  Progress progress(todo.size(), options.quiet);
  if (state.done_cells > 0)
    progress.message("resuming: " + std::to_string(state.done_cells) + " cells already done" +
                     (state.dropped_rows ? ", " + std::to_string(state.dropped_rows) +
                                               " rows of incomplete cells dropped"
                                         : ""));
  std::mutex meta_mutex;
  bool meta_dirty = false;  // references added since meta.json was last written
  auto note_reference = [&](const Problem& p, int step) {
    auto ref = reference_to_json(p);
    if (step >= 0) ref["step"] = step;
    std::lock_guard lock(meta_mutex);
    if (contains_reference(meta["references"], ref)) return;
    meta["references"].push_back(std::move(ref));
    meta_dirty = true;
  };
  // Rows are written through here: meta.json first if it gained references, so a kill never
  // leaves rows whose reference meta.json lacks (a resume does not recompute the references of
  // finished cells), and meta.json is rewritten at most once per write of rows.
  auto write_rows = [&](const std::vector<Row>& rows) {
    {
      std::lock_guard lock(meta_mutex);
      if (meta_dirty) write_file_atomic(meta_path, meta.dump(2) + "\n");
      meta_dirty = false;
    }
    csv.write(rows);
  };
  auto tag = [](std::vector<Row>& rows, const RunSpec& run) {
    for (Row& r : rows) r.cell = run.cell;
  };

  // ---- windows of `jobs` groups: problems built in parallel, cells run in parallel, then the
  // serial timing phase, then the rows written (a kill loses at most the window in flight) ----
  const auto groups = groups_of(plan, todo);
  const auto window = std::size_t(options.jobs);
  for (std::size_t g0 = 0; g0 < groups.size(); g0 += window) {
    const std::size_t g1 = std::min(groups.size(), g0 + window);
    std::vector<std::optional<Problem>> problems(g1 - g0);
    std::vector<std::string> problem_errors(g1 - g0);
    parallel_for(g1 - g0, options.jobs, [&](std::size_t k) {
      const RunSpec& run = plan.runs[groups[g0 + k].front()];
      if (run.drift.steps > 0) return;  // drift groups build their own problems, step by step
      const MatrixSpec& spec = plan.matrices[run.matrix];
      try {
        problems[k] = make_problem(spec, make_matrix(spec), run.precision);
        note_reference(*problems[k], -1);
        progress.message("matrix " + spec.text + " (" + std::to_string(problems[k]->a64.rows()) +
                         " x " + std::to_string(problems[k]->a64.cols()) + ", " +
                         std::string(to_string(run.precision)) +
                         "): reference sigma1 = " + problems[k]->ref.sigma1_text + " +- " +
                         format_double(problems[k]->ref.bound) + " in " +
                         format_seconds(problems[k]->ref_time_s) +
                         (problems[k]->ref_cache_hit ? " (cached)" : ""));
      } catch (const std::exception& e) {
        problem_errors[k] = e.what();
        progress.message("matrix " + spec.text + ": error: " + e.what());
      }
    });

    // Tasks: every cell of a plain group, every drift group as one task.
    struct Task {
      std::size_t group;
      std::vector<std::size_t> runs;
    };
    std::vector<Task> tasks;
    std::map<std::size_t, std::size_t> group_of;  // run -> its group in this window
    for (std::size_t k = 0; k < g1 - g0; ++k) {
      for (std::size_t r : groups[g0 + k]) group_of[r] = k;
      if (plan.runs[groups[g0 + k].front()].drift.steps > 0)
        tasks.push_back({k, groups[g0 + k]});
      else
        for (std::size_t r : groups[g0 + k]) tasks.push_back({k, {r}});
    }
    std::map<std::size_t, std::vector<Row>> results;
    std::mutex results_mutex;
    const bool retime = plan.timing_repeats > 0;
    parallel_for(tasks.size(), options.jobs, [&](std::size_t t) {
      const Task& task = tasks[t];
      std::map<std::size_t, std::vector<Row>> out;
      const RunSpec& first = plan.runs[task.runs.front()];
      const MatrixSpec& spec = plan.matrices[first.matrix];
      if (first.drift.steps == 0) {
        const RunSpec& run = first;
        std::vector<Row> rows;
        try {
          const auto& problem = problems[task.group];
          if (!problem) throw std::runtime_error(problem_errors[task.group]);
          rows = run_estimator(*problem, run.estimator, run.seed, run.checkpoints, false, {}, {},
                               options.threads)
                     .rows;
          // An estimator that threw mid-run returns one error row: the cell's planned rows.
          if (rows.size() != run.rows && !rows.empty() && rows.front().status == RunStatus::Error)
            rows = planned_error_rows(run, rows.front());
        } catch (const std::exception& e) {
          rows = planned_error_rows(
              run, failed_row(spec, run.precision, run.estimator, run.seed, e.what()));
        }
        out[task.runs.front()] = std::move(rows);
      } else {
        // A drift group: every run steps through the same W_0, W_1, ..., with its own state.
        const Drift drift = first.drift;
        std::optional<Problem> problem;
        std::string error;
        DenseMatrix<double> w;
        auto load = [&](int step) {
          problem.reset();
          try {
            if (step == 0) w = make_matrix(spec);
            problem = make_problem(spec, w, first.precision);
            note_reference(*problem, step);
          } catch (const std::exception& e) {
            error = e.what();
          }
        };
        load(0);
        std::vector<std::vector<double>> us(task.runs.size()), vs(task.runs.size());
        Rng drift_rng(drift.seed);
        for (int step = 0; step <= drift.steps; ++step) {
          if (step > 0 && error.empty()) {
            drift_step(w, drift.eta, drift_rng);
            load(step);
          }
          for (std::size_t k = 0; k < task.runs.size(); ++k) {
            const RunSpec& run = plan.runs[task.runs[k]];
            Row row;
            try {
              if (!problem) throw std::runtime_error(error);
              const bool takes_u = run.estimator.info->takes_start;
              row = run_estimator(*problem, run.estimator, run.seed, {}, true,
                                  takes_u ? us[k] : std::vector<double>{}, vs[k], options.threads)
                        .rows.front();
              us[k] = row.u;
              vs[k] = row.v;
              row.u.clear();
              row.v.clear();
            } catch (const std::exception& e) {
              row = failed_row(spec, run.precision, run.estimator, run.seed, e.what());
            }
            row.step = step;
            out[task.runs[k]].push_back(std::move(row));
          }
        }
      }
      std::lock_guard lock(results_mutex);
      if (retime) {
        for (auto& [r, rows] : out) results[r] = std::move(rows);
        return;
      }
      // No timing phase: each cell's rows are written as soon as it finishes (a kill loses only
      // the cells in flight).
      for (auto& [r, rows] : out) {
        tag(rows, plan.runs[r]);
        write_rows(rows);
        summary.rows += rows.size();
        for (const Row& row : rows) summary.errors += row.status == RunStatus::Error;
      }
      progress.advance(out.size());
    });

    // Serial timing phase ([sweep] timing = { repeats = R }, R >= 1): with other cells running,
    // the times above measure contention, not the estimator. Each plain cell runs again, alone:
    // one warm-up, then R timed runs; time_s is their median at every checkpoint and
    // time_spread (max - min) / median. Drift rows keep their accuracy-run times. The rows of
    // the window are written after it (a kill loses the window in flight).
    if (retime) {
      for (auto& [r, rows] : results) {
        const RunSpec& run = plan.runs[r];
        if (run.drift.steps > 0 || rows.empty() || rows.front().status == RunStatus::Error)
          continue;
        const Problem& p = *problems[group_of.at(r)];
        std::vector<std::vector<double>> times(rows.size());
        const int warmups = 1, timed = plan.timing_repeats;
        for (int rep = 0; rep < warmups + timed; ++rep) {
          const auto again = run_estimator(p, run.estimator, run.seed, run.checkpoints, false, {},
                                           {}, options.threads)
                                 .rows;
          if (rep < warmups) continue;
          for (std::size_t k = 0; k < rows.size() && k < again.size(); ++k)
            times[k].push_back(again[k].time_s);
        }
        for (std::size_t k = 0; k < rows.size(); ++k) {
          if (times[k].empty()) continue;
          const double med = quantile(times[k], 0.5);
          const auto [lo, hi] = std::minmax_element(times[k].begin(), times[k].end());
          rows[k].time_s = med;
          rows[k].time_spread = med > 0 ? (*hi - *lo) / med : 0;
        }
      }
    }

    // Write the window's cells in plan order (timing phase only; otherwise already written).
    for (auto& [r, rows] : results) {
      tag(rows, plan.runs[r]);
      write_rows(rows);
      summary.rows += rows.size();
      for (const Row& row : rows) summary.errors += row.status == RunStatus::Error;
    }
    if (retime) progress.advance(results.size());
  }

  // ---- summary.csv from the whole runs.csv (resumed rows included) ----
  write_summary(read_runs(runs_path).rows, plan.tolerances, summary.output / "summary.csv");
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  meta["status"] = options.shards > 1 ? "shard complete" : "complete";
  meta["finished_utc"] = utc_now();
  meta["seconds"] = summary.seconds;
  meta["rows"] = summary.rows;
  meta["errors"] = summary.errors;
  write_file_atomic(meta_path, meta.dump(2) + "\n");
  return summary;
}

SweepSummary merge_outputs(const std::vector<std::filesystem::path>& inputs,
                           const std::filesystem::path& output, bool partial) {
  SPECBENCH_REQUIRE(!inputs.empty(), "merge: no input directories");
  {
    std::map<std::filesystem::path, std::filesystem::path> seen;
    for (const auto& dir : inputs) {
      std::error_code ec;
      const auto canonical = std::filesystem::weakly_canonical(dir, ec);
      const auto [it, fresh] = seen.emplace(ec ? dir : canonical, dir);
      SPECBENCH_REQUIRE(fresh, "merge: ", dir.string(), " is given twice (also as ",
                        it->second.string(), ")");
    }
  }
  const auto start = Clock::now();
  nlohmann::json first_meta;
  std::vector<std::string> columns;
  std::string text = csv_header();
  std::map<std::string, std::string> cell_source;    // cell -> the input it came from
  std::map<std::string, std::string> cell_rows;      // cell -> its rows
  std::map<std::string, std::string> cell_accuracy;  // cell -> its rows without timing
  std::vector<std::string> cell_order;
  SweepSummary summary;
  summary.output = output;
  nlohmann::json references = nlohmann::json::array();
  // The inputs are read under shared locks (a run still writing one is refused), the output is
  // written under an exclusive one; an output folder created here is removed again on failure.
  std::vector<std::unique_ptr<FolderLock>> locks;
  for (const auto& dir : inputs)
    if (std::filesystem::is_directory(dir))
      locks.push_back(std::make_unique<FolderLock>(dir, FolderLock::Mode::Shared));
  const bool created = !std::filesystem::exists(output);
  std::filesystem::create_directories(output);
  struct RemoveIfFailed {
    std::filesystem::path dir;
    bool armed;
    ~RemoveIfFailed() {
      std::error_code ec;
      if (armed && std::uncaught_exceptions() > 0) std::filesystem::remove_all(dir, ec);
    }
  } cleanup{output, created};
  locks.push_back(std::make_unique<FolderLock>(output, FolderLock::Mode::Exclusive));
  for (const auto& dir : inputs) {
    nlohmann::json meta;
    try {
      std::ifstream in(dir / "meta.json");
      if (!in) throw std::runtime_error("cannot open");
      meta = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      throw InvalidArgument("merge: " + (dir / "meta.json").string() + ": " + e.what());
    }
    if (first_meta.is_null()) {
      first_meta = meta;
    } else {
      SPECBENCH_REQUIRE(meta.value("config_hash", "") == first_meta.value("config_hash", ""),
                        "merge: ", dir.string(), " was run with another config than ",
                        inputs.front().string(), " (config_hash differs)");
      SPECBENCH_REQUIRE(meta["provenance"]["git_commit"] == first_meta["provenance"]["git_commit"],
                        "merge: ", dir.string(), " was written by specbench commit ",
                        meta["provenance"]["git_commit"].get<std::string>(), ", ",
                        inputs.front().string(), " by ",
                        first_meta["provenance"]["git_commit"].get<std::string>());
    }
    SPECBENCH_REQUIRE(meta.value("status", "") != "running", "merge: ", dir.string(),
                      " is still running or was killed (status 'running'): finish or resume it");
    for (const auto& ref : meta.value("references", nlohmann::json::array()))
      if (!contains_reference(references, ref)) references.push_back(ref);
    RunsFile table;
    try {
      table = read_runs(dir / "runs.csv");
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string("merge: ") + e.what());
    }
    SPECBENCH_REQUIRE(!table.torn, "merge: ", (dir / "runs.csv").string(),
                      " ends in a torn line (a run was killed mid-write): resume it first");
    std::map<std::string, std::string> mine, accuracy;
    for (Row row : table.rows) {
      if (!mine.count(row.cell)) cell_order.push_back(row.cell);
      mine[row.cell] += csv_line(row);
      row.time_s = row.time_spread = 0;  // timing may differ between inputs; accuracy may not
      accuracy[row.cell] += csv_line(row);
    }
    for (const auto& [cell, rows] : mine) {
      auto [it, inserted] = cell_accuracy.emplace(cell, accuracy[cell]);
      if (inserted) {
        cell_rows[cell] = rows;
        cell_source[cell] = dir.string();
        continue;
      }
      // The same cell in two inputs (overlapping shards, a rerun): fine if its accuracy columns
      // are identical, kept once; a conflict means the inputs are not runs of the same thing.
      SPECBENCH_REQUIRE(it->second == accuracy[cell], "merge: cell ", cell, " differs between ",
                        cell_source[cell], " and ", dir.string());
      cell_order.erase(std::find(cell_order.rbegin(), cell_order.rend(), cell).base() - 1);
    }
  }
  // Complete only if every planned cell is here (all shards): otherwise refused before anything
  // is written, or with --partial written as "partial" (which compare and record refuse).
  const std::size_t planned = first_meta.value("runs", std::size_t(0));
  const bool complete = cell_order.size() >= planned;
  SPECBENCH_REQUIRE(complete || partial, "merge: the inputs hold ", cell_order.size(), " of the ",
                    planned, " planned cells: a shard is missing; give every shard, or --partial");
  std::filesystem::create_directories(output);
  for (const auto& cell : cell_order) text += cell_rows[cell];
  write_file_atomic(output / "runs.csv", text);
  const RunsFile merged = read_runs(output / "runs.csv");
  summary.rows = merged.rows.size();
  for (const Row& row : merged.rows) summary.errors += row.status == RunStatus::Error;
  std::vector<double> tolerances = first_meta.value("tolerances", std::vector<double>{1e-2});
  write_summary(merged.rows, tolerances, output / "summary.csv");
  nlohmann::json meta = first_meta;
  meta["provenance"] = provenance();
  meta["merged_from"] = nlohmann::json::array();
  for (const auto& d : inputs) meta["merged_from"].push_back(d.string());
  meta["references"] = references;
  meta["output"] = output.string();
  meta.erase("shard");
  meta["status"] = complete ? "complete" : "partial";
  meta["rows"] = summary.rows;
  meta["errors"] = summary.errors;
  meta["finished_utc"] = utc_now();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  write_file_atomic(output / "meta.json", meta.dump(2) + "\n");
  return summary;
}

}  // namespace specbench
