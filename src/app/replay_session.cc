#include "app/replay_session.h"

#include <memory>

#include "store/database.h"

namespace wsmock::app {

Result<ReplaySession> LoadReplaySession(const std::string& path, std::optional<int64_t> session) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(path, store::OpenMode::kReadOnly);
  if (!db.ok()) return db.status();
  store::SessionStore store(db->get());
  ReplaySession loaded;
  Result<store::SessionInfo> info = store.Session(session);
  if (!info.ok()) {
    if (info.status().code() != Status::Code::kNotFound) return info.status();
    if (!session) return Status::NotFound(path + ": holds no session");
    return Status::NotFound(path + ": no session " + std::to_string(*session) +
                            " (see wsmock sessions " + path + ")");
  }
  loaded.info = std::move(*info);
  Result<std::vector<store::ConnectionRow>> connections = store.Connections(loaded.info.id);
  if (!connections.ok()) return connections.status();
  loaded.connections = std::move(*connections);
  Result<std::vector<store::MessageRow>> messages =
      store.Messages(loaded.info.id, store::SessionStore::Order::kAsStored);
  if (!messages.ok()) return messages.status();
  loaded.messages = std::move(*messages);
  return loaded;
}

}  // namespace wsmock::app
