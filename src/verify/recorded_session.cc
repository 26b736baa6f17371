#include "verify/recorded_session.h"

#include <memory>

#include "store/database.h"

namespace wsmock::verify {
namespace {

Result<int64_t> ChooseSession(const std::string& path, std::optional<int64_t> session,
                              store::SessionStore* store) {
  if (!session) {
    Result<int64_t> latest = store->LatestSessionId();
    if (!latest.ok()) return Status::NotFound(path + ": holds no session");
    return *latest;
  }
  Result<std::vector<store::SessionInfo>> sessions = store->ListSessions();
  if (!sessions.ok()) return sessions.status();
  for (const auto& s : *sessions) {
    if (s.id == *session) return *session;
  }
  return Status::NotFound(path + ": no session " + std::to_string(*session) +
                          " (see wsmock sessions " + path + ")");
}

}  // namespace

Result<RecordedSession> LoadRecordedSession(const std::string& path,
                                            std::optional<int64_t> session) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(path, store::OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  // One snapshot for all the reads: a recorder may be writing to the file.
  store::ReadSnapshot snapshot(db->get());
  if (!snapshot.status().ok()) return snapshot.status();
  store::SessionStore store(db->get());
  Result<int64_t> id = ChooseSession(path, session, &store);
  if (!id.ok()) return id.status();
  RecordedSession loaded;
  loaded.session_id = *id;
  Result<std::vector<store::ConnectionRow>> connections = store.Connections(*id);
  if (!connections.ok()) return connections.status();
  Result<std::vector<store::MessageRow>> messages = store.Messages(*id);
  if (!messages.ok()) return messages.status();
  loaded.connections = std::move(*connections);
  loaded.messages = std::move(*messages);
  return loaded;
}

}  // namespace wsmock::verify
