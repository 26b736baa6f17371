// RAII owners of a SQLite connection (Database), of a prepared statement
// (Statement) and of a read snapshot (ReadSnapshot). Database::Open checks
// that the file is a wsmock file of a version this build understands,
// creating it when asked to. Each object is used by one thread at a time;
// it may be handed to another thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "util/status.h"

// SQLite's handles, declared here so that only src/store includes sqlite3.h.
struct sqlite3;
struct sqlite3_stmt;

namespace wsmock::store {

enum class OpenMode {
  // Creates the file if missing (or zero-length), then checks it may be
  // written and, when it has data to keep (ExistingData), that its whole
  // structure is sound (PRAGMA quick_check, about 10 ms per MB); migrates
  // an older schema version. WAL journal,
  // synchronous=NORMAL, foreign keys enforced. A file this open created is
  // removed again (with its -wal and -shm) when the open fails.
  kReadWrite,
  // Never creates or changes the file; works on a read-only file in a
  // read-only directory. Checks the file's header and version only: damage
  // elsewhere is a Corruption error from the read that reaches it.
  kReadOnly,
};

// A prepared statement. Move-only; must not outlive its Database.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters count from 1. Values are copied. A failed bind is remembered
  // and returned by the next Step(), so a row of binds needs no checks.
  Statement& BindInt64(int index, int64_t value);
  Statement& BindDouble(int index, double value);
  Statement& BindText(int index, std::string_view value);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  // The same without the copy, for a row inserted at once.
  // REQUIRES: the bytes stay alive and unchanged until the next Run() ends;
  // after that the parameter must be bound again before the next Step().
  Statement& BindTextRef(int index, std::string_view value);
  Statement& BindBlobRef(int index, std::string_view bytes);

  // Returns true when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps to the end, ignoring any rows, then resets: for INSERT/UPDATE.
  Status Run();
  // Makes the statement ready to step again; bindings stay until rebound.
  void Reset();

  // Columns count from 0. REQUIRES: the last Step() returned true.
  // Views stay valid until the next Step() or Reset().
  bool ColumnIsNull(int index) const;
  int64_t ColumnInt64(int index) const;
  double ColumnDouble(int index) const;
  std::string_view ColumnText(int index) const;
  std::string_view ColumnBlob(int index) const;

 private:
  friend class Database;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  void NoteBind(int rc);

  sqlite3_stmt* stmt_;
  int bind_error_ = 0;  // SQLITE_OK
};

// What a writer does with the data already in the file it opens.
enum class ExistingData {
  kKeep,     // adds to it: an open for writing checks the file whole first
  kDiscard,  // empties the file at once (record --overwrite): not checked,
             // as the check would only delay a file about to be emptied
};

class Database {
 public:
  // Opens `path`. Every error is one line naming the file, e.g.
  // "x.db: not a wsmock database" or "x.db: cannot write: attempt to write a
  // readonly database".
  static Result<std::unique_ptr<Database>> Open(const std::string& path, OpenMode mode,
                                                ExistingData existing = ExistingData::kKeep);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements that return no rows needed by the caller.
  Status Exec(const char* sql);
  Result<Statement> Prepare(const char* sql);

  // BEGIN IMMEDIATE: takes the write lock now, so a transaction never fails
  // halfway for want of it.
  Status Begin();
  Status Commit();
  // A no-op when no transaction is open (SQLite may have ended it on error).
  Status Rollback();
  bool InTransaction() const;

  int64_t LastInsertRowId() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const;
  const std::string& path() const { return path_; }
  // The file's schema version (PRAGMA user_version): kSchemaVersion once
  // opened for writing, maybe older when opened read-only.
  int64_t schema_version() const { return schema_version_; }
  OpenMode mode() const { return mode_; }

 private:
  Database(std::string path, OpenMode mode) : path_(std::move(path)), mode_(mode) {}
  Status Connect();
  Status LockForWriting();
  Status CheckAndPrepare(ExistingData existing);

  std::string path_;
  OpenMode mode_;
  sqlite3* db_ = nullptr;
  int writer_lock_ = -1;  // kReadWrite: a descriptor holding flock(LOCK_EX)
  int64_t schema_version_ = 0;
};

// Every read on `db` while a ReadSnapshot lives sees one committed state of
// the file, whatever other connections commit meanwhile: a recorder moves
// messages from the journal into `messages` in a transaction of its own,
// and reads in separate snapshots could see a moved message in neither
// table (or in both). A savepoint, so it nests in a caller's transaction;
// Begin() fails inside one.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database* db);
  // Releasing a savepoint that only read cannot lose anything.
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  // Not ok: no snapshot is held, and reads see each their own.
  const Status& status() const { return status_; }

 private:
  Database* db_;
  Status status_;
};

}  // namespace wsmock::store
