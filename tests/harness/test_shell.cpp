// Tests of the shell quoting of printed commands (harness/shell.hpp): each hostile word, quoted
// and handed to /bin/sh, comes back byte for byte, and nothing in it runs.

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <string>

#include "harness/shell.hpp"

namespace specbench {
namespace {

/// What /bin/sh makes of `printf %s WORD` with WORD = shell_quote(text): the word it passed.
std::string through_sh(const std::string& text) {
  const std::string command = "printf %s " + shell_quote(text);
  FILE* pipe = ::popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe);
  std::string out;
  char buf[256];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  BOOST_TEST(::pclose(pipe) == 0);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(shell)

BOOST_AUTO_TEST_CASE(plain_words_stay_bare_others_are_single_quoted) {
  BOOST_TEST(shell_quote("f64") == "f64");
  BOOST_TEST(shell_quote("data/matrices/lp_afiro.mtx") == "data/matrices/lp_afiro.mtx");
  BOOST_TEST(shell_quote("power:iters=3") == "'power:iters=3'");
  BOOST_TEST(shell_quote("") == "''");
  BOOST_TEST(shell_quote("a'b") == "'a'\\''b'");
  BOOST_TEST(shell_command({"specbench", "estimate", "--matrix", "mtx:a b.mtx"}) ==
             "specbench estimate --matrix 'mtx:a b.mtx'");
}

// $(...), backquotes, quotes of both kinds, globs, ~, newlines, ; | & and a trailing backslash:
// the shell passes each as one word and expands nothing.
BOOST_AUTO_TEST_CASE(hostile_words_survive_the_shell) {
  const std::string words[] = {
      "a'$(touch x)'.mtx", "`id`",  "\"$HOME\"", "*",    "~",  "a\nb",
      "x; rm -rf y",       "a|b&c", "back\\",    "''''", "-n", " ",
      "$'\\x41'",          "!!",    "{a,b}",
  };
  for (const std::string& w : words) BOOST_TEST(through_sh(w) == w, "word: " << w);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace specbench
