// Output writers: CSV quoting and number formats that read back exactly; the result sinks.
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

#include "harness/results/columns.hpp"
#include "harness/results/output.hpp"
#include "harness/results/sink.hpp"
#include "harness/results/summary.hpp"
#include "harness/workloads/matrices.hpp"

using namespace specbench;

BOOST_AUTO_TEST_SUITE(output)

BOOST_AUTO_TEST_CASE(doubles_round_trip_and_non_finite_are_named) {
  for (double x : {0.1, 1.0 / 3.0, 6.02e23, 5e-324, -2.5, 0.0}) {
    // strtod, not stod: stod throws out_of_range on subnormals such as 5e-324.
    BOOST_TEST(std::strtod(format_double(x).c_str(), nullptr) == x);
  }
  BOOST_TEST(format_double(std::nan("")) == "nan");
  BOOST_TEST(format_double(std::numeric_limits<double>::infinity()) == "inf");
  BOOST_TEST(format_double(-std::numeric_limits<double>::infinity()) == "-inf");
}

BOOST_AUTO_TEST_CASE(csv_quotes_fields_with_commas_and_quotes) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("specbench_csv_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Row row;
  row.matrix = "gaussian:m=3,n=2,seed=0";
  row.family = "gaussian";
  row.estimator = "power";
  row.params = "iters=5,tol=0";
  row.status = RunStatus::Error;
  row.message = "said \"no\"";
  {
    CsvWriter csv(dir / "runs.csv");
    csv.write({row});
  }
  std::ifstream in(dir / "runs.csv");
  std::string header, line;
  std::getline(in, header);
  std::getline(in, line);
  std::filesystem::remove_all(dir);
  // The header has one name per column; the row quotes the spec and doubles the quotes.
  BOOST_TEST(std::count(header.begin(), header.end(), ',') + 1 == long(row_columns().size()));
  BOOST_TEST(line.rfind("\"gaussian:m=3,n=2,seed=0\",gaussian,", 0) == 0);
  BOOST_TEST(line.find(",\"iters=5,tol=0\",") != std::string::npos);
  BOOST_TEST(line.ends_with(",\"said \"\"no\"\"\","));  // then the (empty) cell
}

BOOST_AUTO_TEST_CASE(json_row_has_every_column_and_null_for_nan) {
  Row row;
  row.sigma = std::nan("");
  const auto j = row_to_json(row);
  for (const auto& c : row_columns()) BOOST_TEST(j.contains(c), c);
  BOOST_TEST(j["sigma"].is_null());
}

namespace {

/// Records the calls it gets, into a log shared by several sinks.
class RecordingSink : public ResultSink {
 public:
  RecordingSink(std::string name, std::vector<std::string>& log)
      : name_(std::move(name)), log_(log) {}
  void begin(const RunContext&, const std::vector<Row>& resumed) override {
    log_.push_back(name_ + " begin " + std::to_string(resumed.size()));
  }
  void reference(const Problem&, int step) override {
    log_.push_back(name_ + " reference " + std::to_string(step));
  }
  void cell(const std::vector<Row>& rows) override {
    log_.push_back(name_ + " cell " + std::to_string(rows.size()));
  }
  void end(const RunEnd& end) override { log_.push_back(name_ + " end " + end.status); }

 private:
  std::string name_;
  std::vector<std::string>& log_;
};

Row sample_row(const std::string& cell, double rel_err) {
  Row row;
  row.matrix = "gaussian:m=6,n=4";
  row.family = "gaussian";
  row.m = 6;
  row.n = 4;
  row.precision = "f64";
  row.storage = "dense";
  row.estimator = "power";
  row.params = "iters=2";
  row.rel_err = rel_err;
  row.cell = cell;
  return row;
}

}  // namespace

// Sinks are called in order for begin, reference and cell, in reverse order for end.
BOOST_AUTO_TEST_CASE(sinks_are_called_in_order_and_finalized_in_reverse) {
  std::vector<std::string> log;
  std::vector<std::unique_ptr<ResultSink>> list;
  list.push_back(std::make_unique<RecordingSink>("a", log));
  list.push_back(std::make_unique<RecordingSink>("b", log));
  ResultSinks sinks(std::move(list));
  const MatrixSpec spec = parse_matrix_spec("gaussian:m=6,n=4");
  const Problem problem = make_problem(spec, make_matrix(spec), Precision::F64);
  sinks.begin({}, {sample_row("c0", 0.5)});
  sinks.reference(problem, -1);
  sinks.cell({sample_row("c1", 0.1), sample_row("c1", 0.2)});
  sinks.end({.status = "complete"});
  const std::vector<std::string> expected = {"a begin 1",      "b begin 1",     "a reference -1",
                                             "b reference -1", "a cell 2",      "b cell 2",
                                             "b end complete", "a end complete"};
  BOOST_TEST(log == expected, boost::test_tools::per_element());
}

// The standard sinks: runs.csv gets the header and each cell's rows, summary.csv is computed
// from the resumed and written rows (as summary_csv would from runs.csv), and meta.json is
// rewritten before a cell only if it gained references, then at the end.
BOOST_AUTO_TEST_CASE(standard_sinks_write_runs_summary_and_meta) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("specbench_sinks_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  RunContext context;
  context.output = dir;
  context.name = "sinks";
  context.tolerances = {1e-2};
  const MatrixSpec spec = parse_matrix_spec("gaussian:m=6,n=4");
  const Problem problem = make_problem(spec, make_matrix(spec), Precision::F64);
  ResultSinks sinks = ResultSinks::standard();
  const std::vector<Row> resumed = {sample_row("c0", 0.5)};
  sinks.begin(context, resumed);  // not a resume: runs.csv is created, without the kept rows
  BOOST_TEST(std::filesystem::exists(dir / "meta.json"));
  std::filesystem::remove(dir / "meta.json");
  const std::vector<Row> c1 = {sample_row("c1", 0.1), sample_row("c1", 0.2)};
  sinks.cell(c1);
  BOOST_TEST(!std::filesystem::exists(dir / "meta.json"));  // no new reference: not rewritten
  sinks.reference(problem, -1);
  sinks.reference(problem, -1);  // the same reference again: kept once
  const std::vector<Row> c2 = {sample_row("c2", 1e-3)};
  sinks.cell(c2);
  BOOST_TEST(std::filesystem::exists(dir / "meta.json"));  // rewritten before the rows
  sinks.end({.status = "complete", .rows = 4, .errors = 0});

  const RunsFile runs = read_runs(dir / "runs.csv");
  BOOST_TEST(runs.rows.size() == 3u);
  std::vector<Row> all = resumed;
  all.insert(all.end(), c1.begin(), c1.end());
  all.insert(all.end(), c2.begin(), c2.end());
  BOOST_TEST(read_text(dir / "summary.csv") == summary_csv(all, context.tolerances));
  std::ifstream in(dir / "meta.json");
  const auto meta = nlohmann::json::parse(in);
  BOOST_TEST(meta["status"] == "complete");
  BOOST_TEST(meta["rows"] == 4);
  BOOST_TEST(meta["references"].size() == 1u);
  BOOST_TEST(meta["references"][0]["matrix"] == spec.text);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
