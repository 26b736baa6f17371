#include <unistd.h>

#include <memory>

#include "app/transfer_commands.h"
#include "cli/subcommand.h"

namespace wsmock::cli {

void AddTransferCommands(CLI::App* root, SubcommandTable* table) {
  auto transfer_db = std::make_shared<std::string>();
  auto transfer_file = std::make_shared<std::string>();
  auto export_session = std::make_shared<int64_t>(0);
  {
    CLI::App* cmd = root->add_subcommand(
        "export", "Write a session file as JSON Lines to stdout (for git and code review)");
    cmd->add_option("SESSION.db", *transfer_db, "Session file (read-only)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--session", *export_session, "Only this session (default: all)")
        ->check(CLI::PositiveNumber);
    table->push_back({cmd, [] { return std::string(); }, [=] {
                       std::optional<int64_t> session;
                       if (*export_session > 0) session = *export_session;
                       return app::RunExport(*transfer_db, session, stdout);
                     }});
  }
  {
    CLI::App* cmd = root->add_subcommand(
        "import", "Append the sessions of a JSON Lines export to a session file");
    cmd->add_option("FILE.jsonl", *transfer_file, "JSON Lines from wsmock export; - for stdin")
        ->required();
    cmd->add_option("SESSION.db", *transfer_db, "Session file (created if missing)")->required();
    table->push_back({cmd,
                     [=] {
                       if (*transfer_file != "-" && access(transfer_file->c_str(), R_OK) != 0) {
                         return "cannot read " + *transfer_file;
                       }
                       return std::string();
                     },
                     [=] { return app::RunImport(*transfer_file, *transfer_db); }});
  }
  {
    CLI::App* cmd = root->add_subcommand(
        "sessions", "List the sessions of a session file (id, start, mode, connections, messages)");
    cmd->add_option("SESSION.db", *transfer_db, "Session file (read-only)")
        ->required()
        ->check(CLI::ExistingFile);
    table->push_back({cmd, [] { return std::string(); },
                     [=] { return app::RunSessions(*transfer_db, stdout); }});
  }

}

}  // namespace wsmock::cli
