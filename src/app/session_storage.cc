#include "app/session_storage.h"

#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <string>

#include "store/database.h"
#include "store/session_store.h"

namespace wsmock::app {

Result<SessionStorage> OpenSessionStorage(const std::string& path, bool overwrite,
                                          std::string_view mode, std::string_view options_json,
                                          std::string_view upstream, Micros now) {
  Result<std::unique_ptr<store::Database>> db =
      store::Database::Open(path, store::OpenMode::kReadWrite,
                            overwrite ? store::ExistingData::kDiscard : store::ExistingData::kKeep);
  if (!db.ok()) return db.status();
  store::SessionStore sessions(db->get());
  if (overwrite) WSMOCK_RETURN_IF_ERROR(sessions.DeleteAllSessions());
  Result<int64_t> session = sessions.CreateSession(now, mode, options_json, upstream);
  if (!session.ok()) return session.status();
  Result<std::unique_ptr<store::BackgroundWriter>> writer =
      store::BackgroundWriter::Start(std::move(*db));
  if (!writer.ok()) return writer.status();
  SessionStorage storage{std::move(*writer), *session, path};
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    storage.device = st.st_dev;
    storage.inode = st.st_ino;
  }
  return storage;
}

Result<std::shared_ptr<const json::Redactor>> RedactorFor(
    const std::vector<std::string>& pointers) {
  if (pointers.empty()) return std::shared_ptr<const json::Redactor>();
  Result<json::Redactor> created = json::Redactor::Create(pointers);
  if (!created.ok()) return created.status().WithContext("--redact");
  return std::make_shared<const json::Redactor>(std::move(*created));
}

void StopOnStorageError(ServerRunner* runner, const store::BackgroundWriter* writer,
                        std::string_view what, Logger* log) {
  constexpr Micros kCheckEvery = 500'000;
  runner->Every(kCheckEvery,
                [runner, writer, what = std::string(what), log, said = false]() mutable {
                  if (said) return;
                  Status error = writer->first_error();
                  if (error.ok()) return;
                  said = true;
                  log->Error("Stopping: " + what + " cannot be stored: " + error.message());
                  runner->server()->Stop();
                });
}

void ThrottleToStorage(server::WsServer* server, store::BackgroundWriter* writer, Logger* log) {
  constexpr size_t kPauseAbove = 32u << 20;
  constexpr size_t kResumeBelow = 8u << 20;
  auto paused_before = std::make_shared<bool>(false);  // loop thread only
  writer->WatchBacklog(kPauseAbove, kResumeBelow, [server, log, paused_before](bool over) {
    server->Post([server, log, paused_before, over] {
      server->PauseReading(over);
      if (over && !*paused_before) {
        *paused_before = true;
        log->Info(
            "The disk is behind the recording by 32 MiB: reading from clients pauses until "
            "it catches up (and again whenever it falls behind)");
      }
    });
  });
}

Status FinishSessionStorage(const SessionStorage& storage, Logger* log) {
  // About a second of work on a 2-core machine.
  constexpr int64_t kWorthSaying = 200'000;
  // Often enough that nobody takes a long stop for a hang.
  constexpr std::chrono::seconds kReportEvery(2);
  Status s = storage.writer->Flush();
  const int64_t backlog = storage.writer->journal_backlog();
  if (backlog >= kWorthSaying) {
    log->Info("Moving " + std::to_string(backlog) + " recorded messages into place");
  }
  Status settled = storage.writer->SettleJournal(kReportEvery, [log](int64_t left) {
    log->Info("Still moving recorded messages into place: " + std::to_string(left) + " left");
  });
  if (!s.ok()) return s;
  if (!settled.ok()) return settled;
  // SQLite writes on through its open descriptor into a file no one can
  // reach any more: without this, "Recording saved" of nothing.
  struct stat st {};
  if (storage.inode != 0 && (::stat(storage.path.c_str(), &st) != 0 ||
                             st.st_dev != storage.device || st.st_ino != storage.inode)) {
    return Status::IoError(storage.path +
                           ": the file was deleted or replaced during the run; what was stored "
                           "went with it");
  }
  return Status::Ok();
}

}  // namespace wsmock::app
