#include "harness/shell.hpp"

#include <algorithm>

namespace specbench {

std::string shell_quote(std::string_view arg) {
  // Safe unquoted in every POSIX shell, anywhere in a simple command: none of these starts an
  // expansion, a redirection, a glob, a comment or a tilde expansion (never first: '~' is not
  // here), or splits a word. A deliberately small set (shlex.quote also leaves ':', '=', ','
  // bare): specs like 'power:iters=3' stay quoted, as specbench has always printed them.
  auto safe = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '/' || c == '-';
  };
  if (!arg.empty() && std::all_of(arg.begin(), arg.end(), safe)) return std::string(arg);
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += "'";
  return out;
}

std::string shell_command(std::initializer_list<std::string_view> words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ' ';
    out += shell_quote(w);
  }
  return out;
}

}  // namespace specbench
