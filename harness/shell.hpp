#pragma once
/// \file
/// Commands that specbench prints for a user to paste (`run --explain`, compare's re-run
/// lines): every argument quoted for a POSIX shell, so that a file name such as
/// `a'$(touch x)'.mtx` is passed as it is and never runs code.

#include <initializer_list>
#include <string>
#include <string_view>

namespace specbench {

/// `arg` as one POSIX shell word: unchanged if it holds only characters no shell treats
/// specially (letters, digits and `_./-`), otherwise in single quotes, with each embedded
/// `'` written `'\''` (close the quotes, an escaped quote, reopen). The empty string is `''`.
std::string shell_quote(std::string_view arg);

/// The words quoted by shell_quote and joined by single spaces.
std::string shell_command(std::initializer_list<std::string_view> words);

}  // namespace specbench
