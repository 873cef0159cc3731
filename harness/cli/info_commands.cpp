// `specbench list` (the estimator and matrix-family registries), `specbench reference` (a
// matrix's certified reference), `specbench check` (published convergence results), and the
// script front ends `specbench plot` and `specbench table`.

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>

#include "harness/cli/commands.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/locate.hpp"
#include "harness/plugins/shared_library.hpp"
#include "harness/provenance.hpp"
#include "harness/results/output.hpp"
#include "harness/theory/check.hpp"
#include "harness/workloads/matrices.hpp"

namespace specbench::cli {
namespace {

std::string param_type_text(const ParamSpec& p) {
  std::ostringstream out;
  if (p.type == ParamType::Choice) {
    for (std::size_t i = 0; i < p.choices.size(); ++i) out << (i ? "|" : "") << p.choices[i];
  } else {
    out << to_string(p.type);
    if (std::isfinite(p.min)) out << " >= " << p.min;
    if (std::isfinite(p.max)) out << ", <= " << p.max;
  }
  return out.str();
}

void print_schema(std::ostream& out, const ParamSchema& schema) {
  for (const auto& p : schema.specs()) {
    out << "      " << pad(p.name, 14) << pad(param_type_text(p), 22)
        << pad(p.required ? "required" : "default " + p.default_value, 18) << p.help << "\n";
  }
}

void print_list_json() {
  nlohmann::json j = {{"estimators", nlohmann::json::array()},
                      {"matrix_families", nlohmann::json::array()}};
  for (const auto* e : EstimatorRegistry::instance().all())
    j["estimators"].push_back(estimator_json(*e));
  for (const auto* f : MatrixFamilyRegistry::instance().all())
    j["matrix_families"].push_back(
        {{"name", f->name}, {"summary", f->summary}, {"params", schema_json(f->schema)}});
  std::cout << j.dump(2) << "\n";
}

void print_list_text() {
  std::cout << "Estimators (--estimator NAME[:key=value,...]):\n";
  for (const auto* e : EstimatorRegistry::instance().all()) {
    std::cout << "\n  " << pad(e->name, 10) << e->summary << "\n";
    std::cout << "      from " << e->origin << "\n";
    print_schema(std::cout, e->schema);
    if (!e->iteration_param.empty())
      std::cout << "      iterations set '" << e->iteration_param << "'"
                << (e->nested ? "; checkpoints come from one run (nested iterates)"
                              : "; one run per value (iterates are not nested)")
                << "\n";
  }
  std::cout << "\nMatrix families (--matrix FAMILY:key=value,... or a path ending in .mtx):\n";
  for (const auto* f : MatrixFamilyRegistry::instance().all()) {
    std::cout << "\n  " << pad(f->name, 10) << f->summary << "\n";
    print_schema(std::cout, f->schema);
  }
}

struct ReferenceArgs {
  std::string matrix, precision = "f64", format = "text";
  bool vectors = false;
};

int cmd_reference(const ReferenceArgs& args) {
  const MatrixSpec spec = parse_matrix_spec(args.matrix);
  const Problem p = make_problem(spec, parse_precision(args.precision));
  nlohmann::json j = reference_to_json(p);
  j["storage"] = std::string(to_string(p.storage));
  if (p.storage == Storage::Sparse)
    j["nnz"] = p.sparse_only ? p.s64.nonZeros() : p.s64.nonZeros() + p.s32.nonZeros();
  if (p.file_bytes > 0) {  // a Matrix Market file: how fast it was read
    j["file_bytes"] = p.file_bytes;
    j["read_s"] = p.read_s;
    j["read_mb_per_s"] = p.file_bytes / 1e6 / std::max(p.read_s, 1e-9);
  }
  if (args.vectors) {  // exact doubles (JSON numbers round-trip), column-major bases
    j["u1"] = p.ref.u1;
    j["v1"] = p.ref.v1;
    if (p.ref.cluster_size > 1) {
      j["u_cluster"] = p.ref.u_cluster;
      j["v_cluster"] = p.ref.v_cluster;
    }
  }
  if (args.format == "json") {
    j["provenance"] = provenance();
    std::cout << j.dump(2) << "\n";
  } else {
    for (const auto& [key, value] : j.items())
      std::cout << pad(key, 19) << (value.is_string() ? value.get<std::string>() : value.dump())
                << "\n";
  }
  return kExitSuccess;
}

struct CheckArgs {
  std::string config;
  CheckTargets targets;
};

int cmd_check(CheckArgs args) {
  if (args.config.empty()) args.config = (source_dir() / "configs" / "theory.toml").string();
  // the estimators are validated (unknown names, bad parameters: exit 2) before any check runs
  parse_estimator_spec(args.targets.power);
  parse_estimator_spec(args.targets.lanczos);
  const auto results = run_checks(args.config, std::cout, args.targets);
  const auto failed =
      std::count_if(results.begin(), results.end(), [](const CheckResult& r) { return !r.pass; });
  std::cout << results.size() - std::size_t(failed) << " of " << results.size()
            << " checks passed\n";
  return failed ? kExitFailure : kExitSuccess;
}

struct PlotArgs {
  std::string results, out, formats = "png,pdf";
};

struct TableArgs {
  std::string results, metric = "rel_err";
  bool latex = false, markdown = false;
};

}  // namespace

Command add_list(CLI::App& app) {
  auto format = std::make_shared<std::string>("text");
  auto plugins = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand(
      "list", "List estimators (parameters, defaults, help, origin) and matrix families");
  cmd->add_option("--format", *format, "Output format")->check(CLI::IsMember(text_or_json()));
  add_plugin_option(cmd, *plugins);
  return {cmd, [format, plugins] {
            load_plugin_libraries(*plugins);
            *format == "json" ? print_list_json() : print_list_text();
            return kExitSuccess;
          }};
}

Command add_reference(CLI::App& app) {
  auto args = std::make_shared<ReferenceArgs>();
  auto* cmd = app.add_subcommand(
      "reference", "Compute the reference sigma1, sigma2 and error bound of a matrix");
  cmd->add_option("--matrix,-m", args->matrix, "Matrix spec: FAMILY:key=value,... or PATH.mtx")
      ->required();
  cmd->add_option("--precision,-p", args->precision,
                  "Reference of the matrix rounded to f32, or f64")
      ->capture_default_str();
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember(text_or_json()))
      ->capture_default_str();
  cmd->add_flag("--vectors", args->vectors,
                "Also print u1 and v1 (and, for a cluster, its bases u_cluster and "
                "v_cluster, column-major m x c and n x c)");
  return {cmd, [args] { return cmd_reference(*args); }};
}

Command add_check(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand(
      "check", "Reproduce published convergence results trial by trial (PASS/FAIL per check)");
  cmd->add_option("config", args->config,
                  "Checks to run (TOML); default: configs/theory.toml of this specbench's "
                  "source tree, from any working directory");
  cmd->add_option("--power-estimator", args->targets.power,
                  "Estimator spec the power-rate check runs (its start vector comes from the "
                  "registry's start contract)")
      ->capture_default_str();
  cmd->add_option("--lanczos-estimator", args->targets.lanczos,
                  "Estimator spec the Kaniel-Paige-Saad and Kuczynski-Wozniakowski checks run: "
                  "any Krylov method whose space after k steps contains K_k(A^T A, v0) for its "
                  "registered start v0 (e.g. block_krylov:block=4)")
      ->capture_default_str();
  return {cmd, [args] { return cmd_check(*args); }};
}

Command add_plot(CLI::App& app) {
  auto args = std::make_shared<PlotArgs>();
  auto* cmd = app.add_subcommand(
      "plot", "Paper figures and index.html from a result directory (scripts/plot.py)");
  cmd->add_option("results", args->results, "Result directory (runs.csv, summary.csv)")->required();
  cmd->add_option("--out,-o", args->out, "Output directory (default RESULTS/figures)");
  cmd->add_option("--formats", args->formats, "Comma-separated: png, pdf, svg, eps")
      ->capture_default_str();
  return {cmd, [args] {
            std::vector<std::string> a = {args->results, "--formats", args->formats};
            if (!args->out.empty()) a.insert(a.end(), {"--out", args->out});
            return run_script("plot.py", a);
          }};
}

Command add_table(CLI::App& app) {
  auto args = std::make_shared<TableArgs>();
  auto* cmd = app.add_subcommand(
      "table", "A table of summary.csv: booktabs LaTeX (--latex) or Markdown (scripts/table.py)");
  cmd->add_option("results", args->results, "Result directory (summary.csv)")->required();
  cmd->add_flag("--latex", args->latex, "booktabs LaTeX (the default)");
  cmd->add_flag("--markdown", args->markdown, "Markdown");
  cmd->add_option("--metric", args->metric, "rel_err, u_cos_err, v_cos_err or normalized_norm")
      ->capture_default_str();
  return {cmd, [args] {
            return run_script("table.py", {args->results, "--metric", args->metric,
                                           args->markdown ? "--markdown" : "--latex"});
          }};
}

}  // namespace specbench::cli
