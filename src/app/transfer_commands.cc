#include "app/transfer_commands.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "store/database.h"
#include "store/session_store.h"
#include "transfer/session_records.h"
#include "transfer/session_table.h"
#include "transfer/stored_sessions.h"

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

}  // namespace

Status RunExport(const std::string& db_path, std::optional<int64_t> session, std::FILE* out) {
  Result<std::unique_ptr<store::Database>> db = OpenReadOnly(db_path);
  if (!db.ok()) return db.status();
  store::SessionStore store(db->get());
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
  if (std::fflush(out) != 0) {
    return Status::IoError(std::string("cannot write the output: ") + std::strerror(errno));
  }
  return Status::Ok();
}

Status RunImport(const std::string& jsonl_path, const std::string& db_path) {
  // Everything is read and checked before the database is opened, so a bad
  // file neither changes nor creates it.
  Result<std::string> text = ReadInput(jsonl_path);
  if (!text.ok()) return text.status();
  Result<std::vector<transfer::SessionRecord>> records =
      transfer::ParseSessionRecords(*text, jsonl_path == "-" ? "stdin" : jsonl_path);
  if (!records.ok()) return records.status();
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(db_path, store::OpenMode::kReadWrite);
  if (!db.ok()) return db.status();
  return transfer::WriteSessionRecords(db->get(), *records).status();
}

Status RunSessions(const std::string& db_path, std::FILE* out) {
  Result<std::unique_ptr<store::Database>> db = OpenReadOnly(db_path);
  if (!db.ok()) return db.status();
  store::SessionStore store(db->get());
  Result<std::vector<store::SessionInfo>> sessions = store.ListSessions();
  if (!sessions.ok()) return sessions.status();
  WSMOCK_RETURN_IF_ERROR(Write(out, transfer::FormatSessionTable(*sessions)));
  if (std::fflush(out) != 0) {
    return Status::IoError(std::string("cannot write the output: ") + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace wsmock::app
