#include <unistd.h>

#include <limits>
#include <memory>
#include <vector>

#include "app/transfer_commands.h"
#include "cli/subcommand.h"
#include "util/json_redact.h"

namespace wsmock::cli {

void AddTransferCommands(CLI::App* root, SubcommandTable* table) {
  auto transfer_db = std::make_shared<std::string>();
  auto transfer_file = std::make_shared<std::string>();
  auto export_session = std::make_shared<int64_t>(0);
  auto export_format = std::make_shared<std::string>("jsonl");
  auto import_redact = std::make_shared<std::vector<std::string>>();
  {
    CLI::App* cmd = root->add_subcommand(
        "export", "Write a session file to stdout as JSON Lines (for git and code review) or HAR");
    cmd->add_option("SESSION.db", *transfer_db, "Session file (read-only)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--session", *export_session,
                    "Only this session (default: all; with --format har, the latest)")
        ->check(Int64Range(1, std::numeric_limits<int64_t>::max()));
    cmd->add_option("--format", *export_format,
                    "jsonl (default) or har (HAR 1.2 with _webSocketMessages, as Chrome saves it)")
        ->check(CLI::IsMember({"jsonl", "har"}));
    table->push_back({cmd, [] { return std::string(); }, [=] {
                       std::optional<int64_t> session;
                       if (*export_session > 0) session = *export_session;
                       app::ExportFormat format = *export_format == "har"
                                                      ? app::ExportFormat::kHar
                                                      : app::ExportFormat::kJsonl;
                       return app::RunExport(*transfer_db, session, stdout, format);
                     }});
  }
  {
    CLI::App* cmd = root->add_subcommand(
        "import", "Append the sessions of a JSON Lines export or a HAR file to a session file");
    cmd->add_option("FILE", *transfer_file,
                    "JSON Lines from wsmock export, or a HAR file (Chrome DevTools, Playwright); "
                    "- for stdin")
        ->required();
    cmd->add_option("SESSION.db", *transfer_db, "Session file (created if missing)")->required();
    cmd->add_option("--redact", *import_redact,
                    "JSON Pointer whose value is replaced by \"[REDACTED]\" in every message "
                    "before it is written, e.g. /data/token (* = any key or index; repeatable)");
    table->push_back(
        {cmd,
         [=] {
           Result<json::Redactor> redactor = json::Redactor::Create(*import_redact);
           if (!redactor.ok()) return "--redact: " + redactor.status().message();
           if (*transfer_file != "-" && access(transfer_file->c_str(), R_OK) != 0) {
             return "cannot read " + *transfer_file;
           }
           return std::string();
         },
         [=] { return app::RunImport(*transfer_file, *transfer_db, *import_redact, stderr); }});
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
