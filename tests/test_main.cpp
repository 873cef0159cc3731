// The Boost.Test entry point shared by every test program (each program links its own copy).
#define BOOST_TEST_MODULE specbench
#include <boost/test/unit_test.hpp>
