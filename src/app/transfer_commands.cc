#include "app/transfer_commands.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "app/stored_lists.h"
#include "recorder/message_redaction.h"
#include "store/database.h"
#include "store/session_store.h"
#include "transfer/har_reader.h"
#include "transfer/har_writer.h"
#include "transfer/session_records.h"
#include "transfer/session_table.h"
#include "transfer/stored_sessions.h"
#include "util/json_redact.h"

namespace wsmock::app {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

Status Write(std::FILE* out, const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) {
    return Status::IoError(std::string("cannot write the output: ") + std::strerror(errno));
  }
  return Status::Ok();
}

// Reads `in` to its end; `name` is for errors.
Result<std::string> ReadAll(std::FILE* in, const std::string& name) {
  std::string text;
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) text.append(buffer, n);
  if (std::ferror(in)) return Status::IoError(name + ": cannot read: " + std::strerror(errno));
  return text;
}

Result<std::string> ReadInput(const std::string& path) {
  if (path == "-") return ReadAll(stdin, "stdin");
  FilePtr in(std::fopen(path.c_str(), "rb"));
  if (!in) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  }
  return ReadAll(in.get(), path);
}

Result<std::unique_ptr<store::Database>> OpenReadOnly(const std::string& path) {
  return store::Database::Open(path, store::OpenMode::kReadOnly);
}

// The sessions to export: all, or the one asked for.
Result<std::vector<store::SessionInfo>> Chosen(store::SessionStore* store,
                                               const std::string& db_path,
                                               std::optional<int64_t> session) {
  Result<std::vector<store::SessionInfo>> all = store->ListSessions();
  if (!all.ok() || !session.has_value()) return all;
  for (const store::SessionInfo& info : *all) {
    if (info.id == *session) return std::vector<store::SessionInfo>{info};
  }
  return Status::NotFound(db_path + ": no session " + std::to_string(*session));
}

Status Flush(std::FILE* out) {
  if (std::fflush(out) != 0) {
    return Status::IoError(std::string("cannot write the output: ") + std::strerror(errno));
  }
  return Status::Ok();
}

// A HAR file holds one log: the session asked for, else the latest.
Status ExportHar(store::SessionStore* store, const std::string& db_path,
                 std::optional<int64_t> session, std::FILE* out) {
  if (!session) {
    Result<int64_t> latest = store->LatestSessionId();
    if (!latest.ok()) return latest.status();
    session = *latest;
  }
  Result<std::vector<store::SessionInfo>> chosen = Chosen(store, db_path, session);
  if (!chosen.ok()) return chosen.status();
  Result<transfer::SessionRecord> record = transfer::ReadSessionRecord(store, chosen->front());
  if (!record.ok()) return record.status();
  WSMOCK_RETURN_IF_ERROR(Write(out, transfer::FormatHar(*record)));
  return Flush(out);
}

// The sessions of an import file, HAR or JSON Lines.
Result<std::vector<transfer::SessionRecord>> ParseImport(const std::string& text,
                                                         const std::string& path) {
  const std::string source = path == "-" ? "stdin" : path;
  if (!transfer::LooksLikeHar(text, path == "-" ? "" : path)) {
    return transfer::ParseSessionRecords(text, source);
  }
  Result<transfer::SessionRecord> har = transfer::ParseHar(text, source);
  if (!har.ok()) return har.status();
  std::vector<transfer::SessionRecord> records;
  records.push_back(std::move(*har));
  return records;
}

}  // namespace

Status RunExport(const std::string& db_path, std::optional<int64_t> session, std::FILE* out,
                 ExportFormat format) {
  Result<std::unique_ptr<store::Database>> db = OpenReadOnly(db_path);
  if (!db.ok()) return db.status();
  // One snapshot for the whole export: a recorder may be writing to the file.
  store::ReadSnapshot snapshot(db->get());
  if (!snapshot.status().ok()) return snapshot.status();
  store::SessionStore store(db->get());
  if (format == ExportFormat::kHar) return ExportHar(&store, db_path, session, out);
  Result<std::vector<store::SessionInfo>> sessions = Chosen(&store, db_path, session);
  if (!sessions.ok()) return sessions.status();
  // One session at a time: memory holds one recording, not the whole file.
  for (const store::SessionInfo& info : *sessions) {
    Result<transfer::SessionRecord> record = transfer::ReadSessionRecord(&store, info);
    if (!record.ok()) return record.status();
    std::string text;
    Status s = transfer::AppendSessionRecord(&text, *record);
    if (!s.ok()) return s.WithContext(db_path);
    WSMOCK_RETURN_IF_ERROR(Write(out, text));
  }
  return Flush(out);
}

Status RunImport(const std::string& path, const std::string& db_path,
                 const std::vector<std::string>& redact, std::FILE* report) {
  Result<json::Redactor> redactor = json::Redactor::Create(redact);
  if (!redactor.ok()) return redactor.status().WithContext("--redact");
  // Everything is read, checked and redacted before the database is opened,
  // so a bad file neither changes nor creates it, and no secret reaches it.
  Result<std::string> text = ReadInput(path);
  if (!text.ok()) return text.status();
  Result<std::vector<transfer::SessionRecord>> records = ParseImport(*text, path);
  if (!records.ok()) return records.status();
  // An empty file is more likely a failed export or a wrong path than an
  // intended no-op.
  if (records->empty()) {
    return Status::InvalidArgument((path == "-" ? std::string("standard input") : path) +
                                   ": no session in it (empty input)");
  }
  if (!redactor->empty()) {
    for (transfer::SessionRecord& record : *records) {
      for (store::MessageRow& row : record.messages) recorder::RedactMessage(*redactor, &row);
      // Stored with the session, for replay to redact the same pointers.
      Result<std::string> options = WithStoredList(record.info.options_json, kRedactList, redact);
      if (!options.ok()) {
        return options.status().WithContext(path + ": session " + std::to_string(record.info.id));
      }
      record.info.options_json = std::move(*options);
    }
  }
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(db_path, store::OpenMode::kReadWrite);
  if (!db.ok()) return db.status();
  Result<std::vector<int64_t>> ids = transfer::WriteSessionRecords(db->get(), *records);
  if (!ids.ok() || report == nullptr) return ids.status();
  for (size_t i = 0; i < ids->size(); ++i) {
    const transfer::SessionRecord& record = (*records)[i];
    const size_t connections = record.connections.size(), messages = record.messages.size();
    std::fprintf(report, "Imported session %lld into %s (%zu connection%s, %zu message%s)\n",
                 static_cast<long long>((*ids)[i]), db_path.c_str(), connections,
                 connections == 1 ? "" : "s", messages, messages == 1 ? "" : "s");
  }
  return Status::Ok();
}

Status RunSessions(const std::string& db_path, std::FILE* out) {
  Result<std::unique_ptr<store::Database>> db = OpenReadOnly(db_path);
  if (!db.ok()) return db.status();
  store::SessionStore store(db->get());
  Result<std::vector<store::SessionInfo>> sessions = store.ListSessions();
  if (!sessions.ok()) return sessions.status();
  WSMOCK_RETURN_IF_ERROR(Write(out, transfer::FormatSessionTable(*sessions)));
  return Flush(out);
}

}  // namespace wsmock::app
