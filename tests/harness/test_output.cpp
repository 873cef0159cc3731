// Output writers: CSV quoting and number formats that read back exactly.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "harness/results/output.hpp"

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

BOOST_AUTO_TEST_SUITE_END()
