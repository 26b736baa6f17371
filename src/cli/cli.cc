#include "cli/cli.h"

#include <sstream>

#include "cli/subcommand.h"

namespace wsmock::cli {
namespace {

// One line: CLI11's messages can span lines.
std::string OneLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text;
}

// "" or a usage error naming an option given an empty value: CLI11 takes
// `--clock ""` or `--host ""` as given and empty, which every option here
// would read as "not given" or as nonsense.
std::string EmptyValueProblem(const CLI::App& app) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_type_size() == 0 || option->count() == 0) continue;
    for (const std::string& value : option->results()) {
      if (value.empty()) return option->get_name() + " needs a value, got an empty one";
    }
  }
  return "";
}

}  // namespace

Invocation ParseCommandLine(int argc, const char* const* argv) {
  CLI::App root{"wsmock: a record-and-replay WebSocket mock server", "wsmock"};
  root.set_version_flag("--version", std::string("wsmock ") + WSMOCK_VERSION);
  root.require_subcommand(1);

  SubcommandTable table;
  AddServeCommands(&root, &table);
  AddReplayCommand(&root, &table);
  AddVerifyCommand(&root, &table);
  AddTransferCommands(&root, &table);

  Invocation result;
  // CLI11 would answer a mistyped subcommand with "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const Subcommand& sub : table) {
      known = known || sub.app->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + sub.app->get_name();
    }
    if (!known) {
      result.exit_code = kExitUsage;
      result.err = "wsmock: unknown subcommand '" + OneLine(argv[1]) + "' (one of: " + names + ")";
      return result;
    }
  }
  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    int code = root.exit(e, out, err);
    result.out = out.str();
    if (code == 0) return result;
    result.exit_code = kExitUsage;
    result.err = "wsmock: " + OneLine(e.what()) + " (see wsmock --help)";
    return result;
  }
  for (const Subcommand& sub : table) {
    if (!sub.app->parsed()) continue;
    std::string problem = EmptyValueProblem(*sub.app);
    if (problem.empty()) problem = sub.finish();
    if (!problem.empty()) {
      result.exit_code = kExitUsage;
      result.err = "wsmock " + sub.app->get_name() + ": " + problem;
      return result;
    }
    result.run = sub.run;
  }
  return result;
}

}  // namespace wsmock::cli
