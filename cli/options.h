// Reading option values the one way every command does: each value is declared to
// cxxopts as text and checked here, so a bad one is a UsageError (exit 2) in one shape that names the option, the value and
// what is allowed:
//   --batch-size 0: out of range; expected an integer from 1 to 65536
//   --lr 'abc': not a number; expected a number above 0, at most 10
// Output paths are checked before any work starts (docs/cli.md): a path of the
// wrong kind (a directory for a file) is a UsageError; a folder that does not
// exist or may not be written is an Error (exit 1), in the same shape.
#pragma once

#include <cxxopts.hpp>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>

namespace blnk::cli {

// Parses a command line. With -h/--help prints the help, then `more_help`, and returns
// nothing (the command exits 0); an argument the command does not take is a UsageError.
std::optional<cxxopts::ParseResult> parse_command(cxxopts::Options& options, int argc, char** argv,
                                                  const std::string& more_help = "");

// An option's value, declared as text for the checks below.
inline std::shared_ptr<cxxopts::Value> text() { return cxxopts::value<std::string>(); }
inline std::shared_ptr<cxxopts::Value> text(const char* default_value) {
  return cxxopts::value<std::string>()->default_value(default_value);
}

// Throws UsageError("--OPTION VALUE: PROBLEM; expected EXPECTED").
[[noreturn]] void bad_value(const std::string& option, const std::string& value, const std::string& problem,
                            const std::string& expected);

// The value as given, quoted when it is empty or not what was expected ('abc', '').
std::string shown_value(const std::string& text);

// A decimal integer from min to max.
long long integer_option(const cxxopts::ParseResult& args, const std::string& option, long long min, long long max);
std::uint64_t unsigned_option(const cxxopts::ParseResult& args, const std::string& option);

// A finite decimal number in [min, max], or (min, max] with min_exclusive, or
// [min, max) with max_exclusive. `expected` says it for people.
struct NumberRange {
  double min, max;
  bool min_exclusive, max_exclusive;
  const char* expected;
};
double number_option(const cxxopts::ParseResult& args, const std::string& option, const NumberRange& range);

// One of the given words.
std::string choice_option(const cxxopts::ParseResult& args, const std::string& option,
                          std::initializer_list<const char*> choices);

// A non-empty path (an input: whether it exists is checked where it is read).
std::string path_option(const cxxopts::ParseResult& args, const std::string& option);
// A file the command reads (a model, a log): path_option, and it must exist (else an
// error naming the option, exit 1) and not be a folder (a usage error, exit 2).
std::string input_file_option(const cxxopts::ParseResult& args, const std::string& option);
void check_input_file(const std::string& option, const std::string& path);

// A file the command will write: not a directory, its folder exists and may be
// written (a probe file is created and removed). `option` is its name without --.
void check_output_file(const std::string& option, const std::string& path);
// A folder the command will write into: a directory that may be written, or, with
// create, one that is made (with its parents) now.
void check_output_folder(const std::string& option, const std::string& path, bool create);
// A file appended to: as check_output_file, and an existing file is opened for appending.
void check_appendable_file(const std::string& option, const std::string& path);

// cxxopts' own parse errors ("Option 'epochs' is missing an argument") in our shape;
// argv finds the flag of "Argument 'yes' failed to parse" (--quiet=yes). Given the
// command's options, an unknown long option names the nearest (at most 2 edits, 1 in a
// name of up to 5 letters; case, '-' and '_' aside), worded as blnk.train's keywords
// are: "--topk: unknown option; did you mean --top-k?".
std::string usage_message_of(const std::exception& cxxopts_error, int argc, char** argv,
                             const cxxopts::Options* options = nullptr);

}  // namespace blnk::cli
