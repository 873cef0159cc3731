// `specbench estimate` (one estimator on one matrix, scored) and `specbench export` (a matrix
// spec's matrix written for other tools).

#include <charconv>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

#include "core/error.hpp"
#include "harness/cli/commands.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/plugins/shared_library.hpp"
#include "harness/provenance.hpp"
#include "harness/results/output.hpp"
#include "harness/workloads/matrices.hpp"
#include "harness/workloads/mtx.hpp"

namespace specbench::cli {
namespace {

/// A seed: an integer in 0 .. 2^63 - 1 (what a TOML config can hold, so that every seed a
/// sweep can name can also be given here); anything else is bad input, never wrapped or clamped.
std::uint64_t parse_seed(const std::string& text, std::string_view what) {
  std::int64_t value = -1;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  SPECBENCH_REQUIRE(
      !text.empty() && ec == std::errc() && ptr == text.data() + text.size() && value >= 0, what,
      ": expected an integer in 0..", std::numeric_limits<std::int64_t>::max(), ", got '", text,
      "'");
  return std::uint64_t(value);
}

struct EstimateArgs {
  std::string matrix, estimator = "power", precision = "f64", format = "text", start;
  std::string history = "all";  ///< none | checkpoints | all: the JSON history kept
  std::string seed = "0";
  std::vector<std::string> plugins;
  bool vectors = false;
  int threads = 1;
};

/// The initial u of --start: an m x 1 Matrix Market array.
std::vector<double> read_start(const std::string& path) {
  const DenseMatrix<double> s = read_matrix_market(path);
  SPECBENCH_REQUIRE(s.cols() == 1, "--start ", path,
                    ": expected the initial u as an m x 1 Matrix Market array, got ", s.rows(),
                    " x ", s.cols());
  return {s.values().begin(), s.values().end()};
}

/// --history MODE as the runs' History (estimator.hpp); the text format prints no history.
History history_mode(const EstimateArgs& args) {
  if (args.format != "json" || args.history == "none") return History::None;
  return args.history == "checkpoints" ? History::Checkpoints : History::All;
}

/// The JSON object of `estimate --format json`. The history is streamed record by record, not
/// built as one JSON value (a million iterations made ~900 MB of nodes for 98 MB of text): the
/// memory held is the records themselves, and only those --history keeps are written.
void print_estimate_json(const RunOutput& run, const Problem& problem, const std::string& mode) {
  nlohmann::json j = row_to_json(run.rows.front());
  j["history"] = nlohmann::json::array();
  j["ref_method"] = problem.ref.method;
  j["provenance"] = provenance();
  j["history_kept"] = mode;
  const std::string text = j.dump(2);
  const std::string placeholder = "\n  \"history\": []";  // the top-level key (indent 2)
  const auto at = text.find(placeholder);
  std::cout << text.substr(0, at) << "\n  \"history\": [";
  bool first = true;
  for (const auto& h : run.history) {  // the records --history kept (RunControl::history)
    std::cout << (first ? "\n" : ",\n") << "    {\"iteration\": " << h.iteration
              << ", \"matvecs\": " << h.products
              << ", \"sigma\": " << nlohmann::json(h.sigma).dump() << "}";
    first = false;
  }
  std::cout << (first ? "]" : "\n  ]") << text.substr(at + placeholder.size()) << "\n";
}

void print_estimate_text(const Row& row, const Problem& problem) {
  auto line = [](std::string_view key, const std::string& value) {
    std::cout << pad(std::string(key), 17) << value << "\n";
  };
  line("estimator", row.estimator + " (" + row.params + ")");
  line("matrix", row.matrix + " (" + std::to_string(row.m) + " x " + std::to_string(row.n) + ", " +
                     row.precision + ")");
  line("seed", std::to_string(row.seed));
  line("sigma", format_double(row.sigma));
  line("sigma_ref", format_double(row.sigma_ref) + " (bound " + format_double(row.ref_bound) +
                        ", " + problem.ref.method + ")");
  line("rel_err", format_double(row.rel_err));
  line("u_cos_err", format_double(row.u_cos_err));
  line("v_cos_err", format_double(row.v_cos_err));
  line("residual", format_double(row.residual));
  line("normalized_norm", format_double(row.normalized_norm));
  line("iterations", std::to_string(row.iterations));
  line("matvecs", std::to_string(row.matvecs));
  line("time_s", format_double(row.time_s));
  line("status",
       std::string(to_string(row.status)) + (row.message.empty() ? "" : ": " + row.message));
}

int cmd_estimate(const EstimateArgs& args) {
  load_plugin_libraries(args.plugins);
  const MatrixSpec spec = parse_matrix_spec(args.matrix);
  const EstimatorChoice choice = parse_estimator_spec(args.estimator);
  const Precision precision = parse_precision(args.precision);
  const std::uint64_t seed = parse_seed(args.seed, "--seed");
  const Problem problem = make_problem(spec, precision);
  std::vector<double> start_u;
  if (!args.start.empty()) start_u = read_start(args.start);
  const RunOutput run = run_estimator(problem, choice, seed, {}, args.vectors, start_u, {},
                                      args.threads, history_mode(args));
  const Row& row = run.rows.front();
  if (args.format == "json")
    print_estimate_json(run, problem, args.history);
  else
    print_estimate_text(row, problem);
  return row.status == RunStatus::Error ? kExitFailure : kExitSuccess;
}

struct ExportArgs {
  std::string matrix, out, precision = "f64";
};

/// NumPy .npy version 1.0: magic, header length, a dict padded to a multiple of 64 bytes, then
/// the column-major doubles (fortran_order True).
void write_npy(std::ostream& text, const DenseMatrix<double>& a) {
  std::string header = "{'descr': '<f8', 'fortran_order': True, 'shape': (" +
                       std::to_string(a.rows()) + ", " + std::to_string(a.cols()) + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  text << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
       << char((header.size() >> 8) & 0xff) << header;
  text.write(reinterpret_cast<const char*>(a.data()),
             std::streamsize(a.values().size() * sizeof(double)));
}

int cmd_export(const ExportArgs& args) {
  const MatrixSpec spec = parse_matrix_spec(args.matrix);
  const Precision precision = parse_precision(args.precision);
  DenseMatrix<double> a = make_matrix(spec, "export");
  if (precision == Precision::F32)
    a = a.convert<float>(Layout::ColMajor).convert<double>(Layout::ColMajor);
  const std::filesystem::path out = args.out;
  SPECBENCH_REQUIRE(out.extension() == ".npy" || out.extension() == ".mtx", "--out ", args.out,
                    ": the file must end in .npy or .mtx");
  std::ostringstream text;
  if (out.extension() == ".mtx")
    write_matrix_market(text, a);
  else
    write_npy(text, a);
  write_file_atomic(out, text.str());
  std::cerr << "wrote " << a.rows() << " x " << a.cols() << " to " << args.out << "\n";
  return kExitSuccess;
}

}  // namespace

Command add_estimate(CLI::App& app) {
  auto args = std::make_shared<EstimateArgs>();
  auto* cmd = app.add_subcommand(
      "estimate", "Run one estimator on one matrix and score it against the reference");
  cmd->add_option("--matrix,-m", args->matrix,
                  "Matrix spec: FAMILY:key=value,... or PATH.mtx (see `specbench list`)")
      ->required();
  cmd->add_option("--estimator,-e", args->estimator,
                  "Estimator: NAME[:key=value,...] (see `specbench list`)")
      ->capture_default_str();
  cmd->add_option("--precision,-p", args->precision, "Working precision: f32 or f64")
      ->capture_default_str();
  cmd->add_option("--seed,-s", args->seed,
                  "Seed of the estimator's random numbers, 0..9223372036854775807")
      ->capture_default_str();
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember(text_or_json()))
      ->capture_default_str();
  cmd->add_flag("--vectors", args->vectors, "Include the final u and v in JSON output");
  add_plugin_option(cmd, args->plugins);
  cmd->add_option("--history", args->history,
                  "Per-iteration records in JSON output: all (every iteration), checkpoints "
                  "(iterations 1, 2, 4, 8, ... and the last) or none")
      ->check(CLI::IsMember({"none", "checkpoints", "all"}))
      ->capture_default_str();
  cmd->add_option("--start", args->start,
                  "Initial u as an m x 1 Matrix Market file (a layer's weight_u; torch_power)");
  cmd->add_option("--threads,-t", args->threads,
                  "Threads of the fused dense Gram kernel (power, lanczos:process=gram) and of "
                  "the sparse products; results are bit-identical for any value")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  return {cmd, [args] { return cmd_estimate(*args); }};
}

Command add_export(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand(
      "export", "Write a matrix spec's matrix to a file for other tools (.npy or .mtx)");
  cmd->add_option("--matrix,-m", args->matrix, "Matrix spec")->required();
  cmd->add_option("--out,-o", args->out, "Output file: .npy (NumPy) or .mtx (Matrix Market)")
      ->required();
  cmd->add_option("--precision,-p", args->precision, "f64, or f32 (rounded to float)")
      ->capture_default_str();
  return {cmd, [args] { return cmd_export(*args); }};
}

}  // namespace specbench::cli
