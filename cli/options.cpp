// Option values checked in one shape (cli/options.h), and output paths checked
// before any work starts.
#include "cli/options.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "base/error.h"
#include "base/file_io.h"
#include "cli/cli.h"

namespace blnk::cli {

std::optional<cxxopts::ParseResult> parse_command(cxxopts::Options& options, int argc, char** argv,
                                                  const std::string& more_help) {
  cxxopts::ParseResult args;
  try {
    args = options.parse(argc, argv);
  } catch (const cxxopts::exceptions::no_such_option& e) {
    // Only here are the command's options known, to name the one meant (--topk: --top-k).
    throw UsageError(usage_message_of(e, argc, argv, &options));
  }
  if (args.count("help")) {
    std::printf("%s\n%s", options.help().c_str(), more_help.c_str());
    return std::nullopt;
  }
  if (!args.unmatched().empty()) {
    const std::string& extra = args.unmatched()[0];
    // An option with an optional value (--augment[=KIND]) takes it only after '='.
    for (int i = 2; i < argc; ++i) {
      const std::string before = argv[i - 1];
      if (extra != argv[i] || before.rfind("--", 0) != 0 || before.find('=') != std::string::npos) continue;
      for (const cxxopts::KeyValue& given : args.arguments())
        if ("--" + given.key() == before && args[given.key()].as<std::string>() != extra)
          throw UsageError(before + " " + extra + ": " + before + " takes its value after '=': " + before + "=" +
                           extra);
    }
    throw UsageError("unexpected argument '" + extra + "'");
  }
  return args;
}

void bad_value(const std::string& option, const std::string& value, const std::string& problem,
               const std::string& expected) {
  throw UsageError("--" + option + " " + value + ": " + problem + "; expected " + expected);
}

std::string shown_value(const std::string& text) { return "'" + text + "'"; }

long long integer_option(const cxxopts::ParseResult& args, const std::string& option, long long min, long long max) {
  const std::string expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  const std::string text = args[option].as<std::string>();
  long long value = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || r.ptr != text.data() + text.size() ||
      (r.ec != std::errc{} && r.ec != std::errc::result_out_of_range))
    bad_value(option, shown_value(text), "not an integer", expected);
  if (r.ec == std::errc::result_out_of_range || value < min || value > max)
    bad_value(option, text, "out of range", expected);
  return value;
}

std::uint64_t unsigned_option(const cxxopts::ParseResult& args, const std::string& option) {
  const std::string expected = "an integer from 0 to " + std::to_string(UINT64_MAX);
  const std::string text = args[option].as<std::string>();
  std::uint64_t value = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!text.empty() && text[0] == '-' && text.size() > 1 && std::isdigit(static_cast<unsigned char>(text[1])))
    bad_value(option, text, "out of range", expected);
  if (text.empty() || r.ptr != text.data() + text.size() ||
      (r.ec != std::errc{} && r.ec != std::errc::result_out_of_range))
    bad_value(option, shown_value(text), "not an integer", expected);
  if (r.ec == std::errc::result_out_of_range) bad_value(option, text, "out of range", expected);
  return value;
}

double number_option(const cxxopts::ParseResult& args, const std::string& option, const NumberRange& range) {
  const std::string text = args[option].as<std::string>();
  double value = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || r.ptr != text.data() + text.size() ||
      (r.ec != std::errc{} && r.ec != std::errc::result_out_of_range) || std::isnan(value))
    bad_value(option, shown_value(text), "not a number", range.expected);
  const bool below = range.min_exclusive ? !(value > range.min) : !(value >= range.min);
  const bool above = range.max_exclusive ? !(value < range.max) : !(value <= range.max);
  if (r.ec == std::errc::result_out_of_range || !std::isfinite(value) || below || above)
    bad_value(option, text, "out of range", range.expected);
  return value;
}

std::string choice_option(const cxxopts::ParseResult& args, const std::string& option,
                          std::initializer_list<const char*> choices) {
  const std::string text = args[option].as<std::string>();
  std::string expected;
  std::size_t i = 0;
  for (const char* c : choices) {
    if (text == c) return text;
    expected += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + std::string(c);
    ++i;
  }
  bad_value(option, shown_value(text), "unknown", expected);
}

std::string path_option(const cxxopts::ParseResult& args, const std::string& option) {
  const std::string text = args[option].as<std::string>();
  if (text.empty()) bad_value(option, "''", "empty", "a path");
  return text;
}

namespace {

namespace fs = std::filesystem;

[[noreturn]] void environment_error(const std::string& option, const std::string& path, const std::string& problem) {
  throw Error("--" + option + " " + path + ": " + problem);
}

}  // namespace

void check_input_file(const std::string& option, const std::string& path) {
  if (path.empty()) bad_value(option, "''", "empty", "a file path");
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) bad_value(option, path, "a folder", "a file");
  if (!fs::exists(status)) environment_error(option, path, "no such file");
}

std::string input_file_option(const cxxopts::ParseResult& args, const std::string& option) {
  const std::string path = path_option(args, option);
  check_input_file(option, path);
  return path;
}

void check_output_file(const std::string& option, const std::string& path) {
  if (path.empty()) bad_value(option, "''", "empty", "a file path");
  if (const std::optional<OutputFileProblem> p = output_file_problem(path)) {
    if (p->wrong_kind) bad_value(option, path, p->problem, p->expected);
    environment_error(option, path, p->problem);
  }
}

void check_output_folder(const std::string& option, const std::string& path, bool create) {
  if (path.empty()) bad_value(option, "''", "empty", "a folder");
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::exists(status) && !fs::is_directory(status)) bad_value(option, path, "not a folder", "a folder");
  if (!fs::exists(status)) {
    if (!create) environment_error(option, path, "the folder does not exist");
    fs::create_directories(path, ec);
    if (ec) {
      // A file somewhere on the way is a usage mistake; anything else is the machine's answer.
      if (ec == std::errc::not_a_directory) bad_value(option, path, "a file on its way is not a folder", "a folder");
      environment_error(option, path, "cannot create the folder (" + ec.message() + ")");
    }
  }
  if (const std::string unwritable = folder_write_problem(path); !unwritable.empty())
    environment_error(option, path, unwritable);
}

void check_appendable_file(const std::string& option, const std::string& path) {
  check_output_file(option, path);
  if (!fs::exists(path)) return;
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) environment_error(option, path, std::string("cannot append to it (") + std::strerror(errno) + ")");
  ::close(fd);
}

namespace {

// How many edits (insert, delete, replace, or swap two neighbours) turn a into b:
// Damerau-Levenshtein as optimal string alignment.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// An option name as compared: case, '-' and '_' do not count (--topk, --Top_K: top-k).
std::string comparable(const std::string& name) {
  std::string out;
  for (const char c : name)
    if (c != '-' && c != '_') out += char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The long option of `options` (without --) a mistyped name most likely meant; "" when
// none is near enough.
std::string nearest_option(const cxxopts::Options& options, const std::string& unknown) {
  const std::string typed = comparable(unknown);
  // Up to 2 edits, and 1 in a name of up to 5 letters: further off, a guess would mislead.
  const std::size_t limit = std::min<std::size_t>(2, std::max<std::size_t>(1, typed.size() / 3));
  std::string nearest;
  std::size_t best = limit + 1;
  for (const std::string& group : options.groups())
    for (const cxxopts::HelpOptionDetails& option : options.group_help(group).options)
      for (const std::string& name : option.l) {
        const std::string known = comparable(name);
        // Lengths further apart than the limit are further apart in edits too (and a
        // huge argument is not compared letter by letter).
        if (std::max(known.size(), typed.size()) - std::min(known.size(), typed.size()) > limit) continue;
        if (const std::size_t d = edit_distance(typed, known); d < best) best = d, nearest = name;
      }
  return nearest;
}

}  // namespace

std::string usage_message_of(const std::exception& cxxopts_error, int argc, char** argv,
                             const cxxopts::Options* options) {
  // cxxopts names an option as ‘name’ (or 'name' where it was built without Unicode quotes).
  const std::string what = cxxopts_error.what();
  // "Argument ‘yes’ failed to parse" names only the value: since every value option
  // is read as text, it is a flag given one (--quiet=yes); find it in argv.
  if (what.rfind("Argument ", 0) == 0 && what.find("failed to parse") != std::string::npos) {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      const std::size_t eq = arg.find('=');
      if (arg.rfind("--", 0) == 0 && eq != std::string::npos && what.find(arg.substr(eq + 1)) != std::string::npos)
        return arg + ": " + arg.substr(0, eq) + " is a flag and takes no value; expected " + arg.substr(0, eq) +
               " alone";
    }
    return what;
  }
  std::size_t open = what.find("\xE2\x80\x98"), open_len = 3, close_len = 3;
  std::size_t close = what.find("\xE2\x80\x99");
  if (open == std::string::npos) open = what.find('\''), close = what.find('\'', open + 1), open_len = close_len = 1;
  if (open == std::string::npos || close == std::string::npos || what.rfind("Option ", 0) != 0) return what;
  const std::string name = what.substr(open + open_len, close - open - open_len);
  const std::string option = (name.size() == 1 ? "-" : "--") + name;
  const std::string rest = what.substr(close + close_len);
  if (rest.find("is missing an argument") != std::string::npos) return option + ": no value given; it needs one";
  if (rest.find("does not exist") != std::string::npos) {
    // A long option only: a one-letter one is no misspelling of a name.
    const std::string meant = options && name.size() > 1 ? nearest_option(*options, name) : "";
    return option + ": unknown option" + (meant.empty() ? "" : "; did you mean --" + meant + "?");
  }
  return option + ":" + rest;
}

}  // namespace blnk::cli
