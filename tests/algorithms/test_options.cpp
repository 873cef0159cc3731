// Option tables (algorithms/options.hpp): one declaration gives the schema (types, defaults read
// from the struct, ranges, choices) and the binding; define_estimator gives both entry points.
#include <boost/test/unit_test.hpp>

#include "algorithms/dense.hpp"
#include "algorithms/options.hpp"
#include "algorithms/registry.hpp"
#include "core/error.hpp"

using namespace specbench;

namespace {

enum class Mode { Fast, Careful };

struct DemoOptions {
  int steps = 30;
  double tol = 1e-12;
  bool warm = false;
  Mode mode = Mode::Careful;
};

const OptionTable<DemoOptions> kDemo{
    option("steps", &DemoOptions::steps, "steps", 1, 1000),
    option("tol", &DemoOptions::tol, "tolerance", 0),
    option("warm", &DemoOptions::warm, "warm start"),
    option("mode", &DemoOptions::mode, {{"fast", Mode::Fast}, {"careful", Mode::Careful}}, "mode"),
};

}  // namespace

BOOST_AUTO_TEST_SUITE(options)

BOOST_AUTO_TEST_CASE(schema_types_and_defaults_come_from_the_struct) {
  const ParamSchema schema = kDemo.schema();
  BOOST_REQUIRE_EQUAL(schema.specs().size(), 4u);
  BOOST_TEST((schema.find("steps")->type == ParamType::Int));
  BOOST_TEST(schema.find("steps")->default_value == "30");
  BOOST_TEST(schema.find("steps")->min == 1);
  BOOST_TEST(schema.find("steps")->max == 1000);
  BOOST_TEST((schema.find("tol")->type == ParamType::Real));
  BOOST_TEST(schema.find("tol")->default_value == "1e-12");
  BOOST_TEST((schema.find("warm")->type == ParamType::Bool));
  BOOST_TEST(schema.find("warm")->default_value == "false");
  BOOST_TEST((schema.find("mode")->type == ParamType::Choice));
  BOOST_TEST(schema.find("mode")->default_value == "careful");
  BOOST_TEST(schema.find("mode")->choices == std::vector<std::string>({"fast", "careful"}));
}

BOOST_AUTO_TEST_CASE(binding_sets_every_member) {
  const ParamSchema schema = kDemo.schema();
  const DemoOptions d = kDemo.bind(schema.resolve({}, "demo"));
  BOOST_TEST(d.steps == 30);
  BOOST_TEST(d.tol == 1e-12);
  BOOST_TEST(!d.warm);
  BOOST_TEST((d.mode == Mode::Careful));
  const DemoOptions o = kDemo.bind(
      schema.resolve({{"steps", "7"}, {"tol", "0.5"}, {"warm", "true"}, {"mode", "fast"}}, "demo"));
  BOOST_TEST(o.steps == 7);
  BOOST_TEST(o.tol == 0.5);
  BOOST_TEST(o.warm);
  BOOST_TEST((o.mode == Mode::Fast));
  // the canonical text of a bool is true/false, as TOML writes it
  BOOST_TEST(schema.resolve({{"warm", "true"}}, "demo").to_string() ==
             "steps=30,tol=1e-12,warm=true,mode=careful");
}

BOOST_AUTO_TEST_CASE(bad_values_are_refused_with_the_accepted_forms) {
  const ParamSchema schema = kDemo.schema();
  BOOST_CHECK_THROW(schema.resolve({{"steps", "0"}}, "demo"), InvalidArgument);     // range
  BOOST_CHECK_THROW(schema.resolve({{"steps", "1001"}}, "demo"), InvalidArgument);  // range
  BOOST_CHECK_THROW(schema.resolve({{"tol", "-1"}}, "demo"), InvalidArgument);
  BOOST_CHECK_THROW(schema.resolve({{"warm", "yes"}}, "demo"), InvalidArgument);
  BOOST_CHECK_THROW(schema.resolve({{"warm", "1"}}, "demo"), InvalidArgument);
  BOOST_CHECK_THROW(schema.resolve({{"mode", "slow"}}, "demo"), InvalidArgument);
  try {
    schema.resolve({{"warm", "yes"}}, "demo");
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("warm (bool, default false)") != std::string::npos, what);
  }
}

BOOST_AUTO_TEST_CASE(every_registered_estimator_binds_its_defaults) {
  // Each entry point runs with the schema's defaults on a 3 x 2 matrix, in float and double:
  // the generated binding accepts everything the generated schema produces.
  DenseMatrix<double> a(3, 2);
  DenseMatrix<float> af(3, 2);
  for (Index i = 0; i < 3; ++i)
    for (Index j = 0; j < 2; ++j) a(i, j) = af(i, j) = float(1 + i + 2 * j);
  const DenseOperator<double> op(a);
  const DenseOperator<float> opf(af);
  for (const EstimatorInfo* info : EstimatorRegistry::instance().all()) {
    BOOST_TEST_CONTEXT(info->name) {
      const ParamSet p = info->schema.resolve({}, info->name);
      Rng rng(1), rngf(1);
      const auto r = info->run_f64(op, p, rng, {});
      const auto rf = info->run_f32(opf, p, rngf, {});
      BOOST_TEST(std::isfinite(r.sigma));
      BOOST_TEST(std::isfinite(rf.sigma));
      BOOST_TEST(!r.history.empty());
      if (!info->iteration_param.empty()) BOOST_TEST(info->schema.find(info->iteration_param));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
