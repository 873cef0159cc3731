// Parameter schemas and `name:key=value` specs: parsing, defaults, and the messages that tell the
// user what is accepted.
#include <boost/test/unit_test.hpp>

#include "algorithms/params.hpp"
#include "core/error.hpp"

using namespace specbench;

namespace {

const ParamSchema kSchema{{
    {.name = "steps", .type = ParamType::Int, .default_value = "30", .help = "", .min = 1},
    {.name = "tol", .type = ParamType::Real, .default_value = "0", .help = "", .min = 0},
    {.name = "reorth",
     .type = ParamType::Choice,
     .default_value = "full",
     .help = "",
     .choices = {"full", "none"}},
}};

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(params)

BOOST_AUTO_TEST_CASE(named_spec_parses_name_and_pairs_in_order) {
  const auto s = parse_named_spec("lanczos:steps=40,reorth=none", "--estimator");
  BOOST_TEST(s.name == "lanczos");
  BOOST_REQUIRE_EQUAL(s.params.size(), 2u);
  BOOST_TEST(s.params[0].first == "steps");
  BOOST_TEST(s.params[0].second == "40");
  BOOST_TEST(s.params[1].first == "reorth");
  BOOST_TEST(parse_named_spec("power", "--estimator").params.empty());
}

BOOST_AUTO_TEST_CASE(named_spec_rejects_malformed_text) {
  BOOST_TEST(message_of([] { parse_named_spec(":steps=3", "--estimator"); }).find("missing name") !=
             std::string::npos);
  BOOST_TEST(message_of([] {
               parse_named_spec("power:iters", "--estimator");
             }).find("not of the form key=value") != std::string::npos);
  BOOST_TEST(message_of([] {
               parse_named_spec("power:=3", "--estimator");
             }).find("not of the form key=value") != std::string::npos);
  BOOST_TEST(message_of([] {
               parse_named_spec("power:iters=1,iters=2", "--estimator");
             }).find("given twice") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(resolve_fills_defaults_and_keeps_schema_order) {
  const ParamSet p = kSchema.resolve({{"reorth", "none"}, {"steps", "12"}}, "estimator 'x'");
  BOOST_TEST(p.get_int("steps") == 12);
  BOOST_TEST(p.get_real("tol") == 0.0);
  BOOST_TEST(p.get_string("reorth") == "none");
  BOOST_TEST(p.to_string() == "steps=12,tol=0,reorth=none");
}

BOOST_AUTO_TEST_CASE(resolve_rejects_unknown_mistyped_and_out_of_range) {
  const auto unknown = message_of([] { kSchema.resolve({{"step", "3"}}, "estimator 'x'"); });
  BOOST_TEST(unknown.find("unknown parameter 'step'") != std::string::npos);
  BOOST_TEST(unknown.find("steps (int >= 1, default 30)") != std::string::npos);
  BOOST_TEST(unknown.find("reorth (choice: full|none") != std::string::npos);
  BOOST_TEST(message_of([] {
               kSchema.resolve({{"steps", "3.5"}}, "e");
             }).find("not an integer") != std::string::npos);
  BOOST_TEST(message_of([] {
               kSchema.resolve({{"steps", "0"}}, "e");
             }).find("out of range") != std::string::npos);
  BOOST_TEST(message_of([] {
               kSchema.resolve({{"tol", "abc"}}, "e");
             }).find("not a real number") != std::string::npos);
  BOOST_TEST(message_of([] {
               kSchema.resolve({{"tol", "nan"}}, "e");
             }).find("not finite") != std::string::npos);
  BOOST_TEST(message_of([] {
               kSchema.resolve({{"reorth", "partial"}}, "e");
             }).find("is not one of: full, none") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(real_values_round_trip_through_text) {
  // The canonical text of a real must read back to the same double, so that a row's params
  // reproduce the run exactly.
  for (double x : {0.1, 1e-12, 3.0, 2.0 / 3.0}) {
    const ParamValue v = x;
    const ParamValue back = ParamSchema::parse_value(kSchema.specs()[1], format_value(v), "e");
    BOOST_TEST(std::get<double>(back) == x);
  }
}

BOOST_AUTO_TEST_SUITE_END()
