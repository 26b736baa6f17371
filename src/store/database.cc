#include "store/database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>

#include "store/schema.h"
#include "store/truncation_check.h"
#include "util/percent_encoding.h"

namespace wsmock::store {

namespace {

// Long enough to ride out another process's checkpoint, short enough that a
// stuck lock is reported rather than hanging wsmock.
constexpr int kBusyTimeoutMs = 5000;

// Maps a SQLite result to a Status whose message a user can act on.
Status SqliteStatus(int rc, const char* msg) {
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
      return Status::InvalidArgument("not a SQLite database");
    case SQLITE_CORRUPT:
      return Status::Corruption(std::string("database is corrupt: ") + msg);
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return Status::InvalidArgument(msg);
    default:
      return Status::IoError(msg);
  }
}

// Says which step of opening failed for plain I/O trouble; errors that
// already name the problem (not a database, corrupt) pass unchanged.
Status Doing(const Status& s, const char* doing) {
  if (s.code() != Status::Code::kIoError) return s;
  return Status::IoError(std::string("cannot ") + doing + ": " + s.message());
}

std::string DirectoryOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string ErrnoText(int err) { return std::generic_category().message(err); }

Status CheckReadableFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound("no such file");
    return Status::IoError("cannot open: " + ErrnoText(errno));
  }
  if (S_ISDIR(st.st_mode)) return Status::InvalidArgument("is a directory");
  // Opening a FIFO blocks until someone writes to it, and signals cannot
  // interrupt the open (they wait for the signal thread): refused unopened.
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument("is not a regular file (a pipe or a device?)");
  }
  return Status::Ok();
}

// A writer's file: absent (it is made), or a regular file.
Status CheckWritableFile(const std::string& path) {
  if (!Exists(path)) return Status::Ok();
  return CheckReadableFile(path);
}

// Every writer needs the directory: SQLite creates its -wal, -shm or
// -journal files beside the database.
Status CheckWritableDirectory(const std::string& dir) {
  if (::access(dir.c_str(), W_OK) == 0) return Status::Ok();
  return Status::IoError("cannot write: directory " + dir + ": " + ErrnoText(errno));
}

// RFC 3986's unreserved bytes, and '/'.
bool UnreservedInPath(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
         c == '.' || c == '-' || c == '_' || c == '~';
}

// The path part of a file: URI. Escapes everything but unreserved bytes so
// that '?', '#' and '%' in a file name stay part of the name.
std::string UriPath(const std::string& path) {
  // "file://" + "" authority keeps a path that starts with "//" a path.
  std::string out = path.starts_with('/') ? "//" : "";
  AppendPercentEncoded(&out, path, UnreservedInPath);
  return out;
}

Result<int64_t> QueryInt64(Database* db, const char* sql) {
  Result<Statement> stmt = db->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal(std::string("no row from ") + sql);
  return stmt->ColumnInt64(0);
}

// Corruption naming the first problem PRAGMA quick_check finds: every
// page's structure, the free-page list, and that each page is used once.
// About 10 ms per MB of file; it reads, never writes.
Status CheckStructure(Database* db) {
  Result<Statement> stmt = db->Prepare("PRAGMA quick_check(1)");
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("no row from PRAGMA quick_check");
  std::string_view verdict = stmt->ColumnText(0);
  if (verdict == "ok") return Status::Ok();
  // SQLite starts with a line naming the schema ("*** in database main ***").
  if (verdict.starts_with("*** "))
    verdict.remove_prefix(std::min(verdict.find('\n') + 1, verdict.size()));
  verdict = verdict.substr(0, verdict.find('\n'));
  return Status::Corruption("database is corrupt: " + std::string(verdict));
}

Result<FileHeader> ReadHeader(Database* db) {
  FileHeader header;
  Result<int64_t> value = QueryInt64(db, "PRAGMA application_id");
  if (!value.ok()) return value.status();
  header.application_id = *value;
  value = QueryInt64(db, "PRAGMA user_version");
  if (!value.ok()) return value.status();
  header.user_version = *value;
  value = QueryInt64(db, "SELECT count(*) FROM sqlite_master");
  if (!value.ok()) return value.status();
  header.object_count = *value;
  return header;
}

// True when a process holds a lock on `path`: a SQLite connection holds a
// shared lock on its database file for as long as it is open in WAL mode.
bool LockedByAnother(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;  // l_start 0, l_len 0: the whole file
  const bool locked = ::fcntl(fd, F_GETLK, &probe) != 0 || probe.l_type != F_UNLCK;
  ::close(fd);
  return locked;
}

// After a failed read-write open of a file that did not exist before it (a
// full disk, say): nothing of the user's is in it, and a zero-byte file left
// behind would later read as "not a wsmock database" instead of "no such
// file". Left alone when another process has it open (two writers started
// at once) and may be storing into it.
void RemoveIfNothingStored(const std::string& path) {
  if (LockedByAnother(path)) return;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    ::unlink((path + suffix).c_str());
  }
}

Status EnableWal(Database* db) {
  Result<Statement> stmt = db->Prepare("PRAGMA journal_mode=WAL");
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  // An in-memory database (serve without --db) keeps its "memory" journal.
  if (db->path() == ":memory:") return Status::Ok();
  if (!*row || stmt->ColumnText(0) != "wal") {
    return Status::IoError("cannot switch to WAL journal mode");
  }
  return Status::Ok();
}

}  // namespace

// ---------------------------------------------------------------- Statement

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::NoteBind(int rc) {
  if (bind_error_ == SQLITE_OK) bind_error_ = rc;
}

Statement& Statement::BindInt64(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::BindDouble(int index, double value) {
  NoteBind(sqlite3_bind_double(stmt_, index, value));
  return *this;
}

Statement& Statement::BindText(int index, std::string_view value) {
  NoteBind(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  // A null pointer would bind NULL, not an empty blob.
  static const char kNothing = 0;
  const char* data = bytes.empty() ? &kNothing : bytes.data();
  NoteBind(sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindTextRef(int index, std::string_view value) {
  NoteBind(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlobRef(int index, std::string_view bytes) {
  static const char kNothing = 0;  // as in BindBlob
  const char* data = bytes.empty() ? &kNothing : bytes.data();
  NoteBind(sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_STATIC));
  return *this;
}

Statement& Statement::BindNull(int index) {
  NoteBind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) return SqliteStatus(bind_error_, sqlite3_errstr(bind_error_));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(rc, sqlite3_errmsg(sqlite3_db_handle(stmt_)));
}

Status Statement::Run() {
  Result<bool> row = Step();
  while (row.ok() && *row) row = Step();
  Reset();
  return row.status();
}

void Statement::Reset() {
  // The error of a failed step was already returned by Step().
  sqlite3_reset(stmt_);
  bind_error_ = SQLITE_OK;
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

int64_t Statement::ColumnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }

double Statement::ColumnDouble(int index) const { return sqlite3_column_double(stmt_, index); }

std::string_view Statement::ColumnText(int index) const {
  // Fetch the pointer before the size, as SQLite documents.
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  int size = sqlite3_column_bytes(stmt_, index);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(size)};
}

std::string_view Statement::ColumnBlob(int index) const {
  const void* blob = sqlite3_column_blob(stmt_, index);
  int size = sqlite3_column_bytes(stmt_, index);
  if (blob == nullptr) return {};
  return {static_cast<const char*>(blob), static_cast<size_t>(size)};
}

// ----------------------------------------------------------------- Database

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, OpenMode mode,
                                                 ExistingData existing) {
  const bool creates = mode == OpenMode::kReadWrite && path != ":memory:" && !Exists(path);
  std::unique_ptr<Database> db(new Database(path, mode));
  Status s = db->Connect();
  if (s.ok()) s = db->CheckAndPrepare(existing);
  if (!s.ok()) {
    db.reset();  // closes the file, so that its locks go before the look for others'
    if (creates) RemoveIfNothingStored(path);
    return s.WithContext(path);
  }
  return db;
}

Database::~Database() {
  // close_v2 defers the close until every Statement is finalized.
  sqlite3_close_v2(db_);
  if (writer_lock_ >= 0) ::close(writer_lock_);  // and with it the lock
}

// SQLite lets two writers take turns, but two wsmocks recording into one
// file would each wait on the other's transactions (one stopped, after 40
// s, with "database is locked"), and their sessions would interleave. So a
// writer holds an exclusive flock(2) on the file for as long as it is open:
// a second one is refused at once, while readers (replay, export) are not
// affected. (flock locks are apart from the fcntl locks SQLite uses.)
Status Database::LockForWriting() {
  writer_lock_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (writer_lock_ < 0) return Status::IoError("cannot open: " + ErrnoText(errno));
  if (::flock(writer_lock_, LOCK_EX | LOCK_NB) == 0) return Status::Ok();
  const int err = errno;
  if (err != EWOULDBLOCK) return Status::IoError("cannot lock: " + ErrnoText(err));
  return Status::IoError(
      "in use: another wsmock is writing to it (record, serve --db, import or replay "
      "--record-missing); wait for it to stop, or use another file");
}

Status Database::Connect() {
  int flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  std::string uri = "file:" + UriPath(path_);
  const std::string dir = DirectoryOf(path_);
  if (mode_ == OpenMode::kReadOnly) {
    WSMOCK_RETURN_IF_ERROR(CheckReadableFile(path_));
    flags |= SQLITE_OPEN_READONLY;
    uri += "?mode=ro";
    // A WAL database needs -wal and -shm files, which SQLite cannot create in
    // a read-only directory. No writer can work there either, so the file
    // cannot change under us and immutable=1 (no WAL, no locks) is safe -
    // unless a crashed writer left a -wal file that may hold data.
    if (::access(dir.c_str(), W_OK) != 0 && !Exists(path_ + "-wal")) uri += "&immutable=1";
  } else {
    WSMOCK_RETURN_IF_ERROR(CheckWritableDirectory(dir));
    WSMOCK_RETURN_IF_ERROR(CheckWritableFile(path_));
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    uri += "?mode=rwc";
  }
  // SQLite reads the missing tail as zeros, so a cut file reads as fewer
  // rows; appending to one would build on the gap.
  WSMOCK_RETURN_IF_ERROR(CheckNotTruncated(path_));
  int rc = sqlite3_open_v2(uri.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    return Doing(SqliteStatus(rc, db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)),
                 "open");
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // SQLite falls back to read-only when it cannot open the file for writing,
  // and in WAL mode even BEGIN IMMEDIATE then succeeds: ask it directly,
  // before a read leaves -wal and -shm files behind.
  if (mode_ == OpenMode::kReadWrite && sqlite3_db_readonly(db_, "main") == 1) {
    return Status::IoError(std::string("cannot write: ") + sqlite3_errstr(SQLITE_READONLY));
  }
  if (mode_ == OpenMode::kReadWrite && path_ != ":memory:")
    WSMOCK_RETURN_IF_ERROR(LockForWriting());
  return Status::Ok();
}

Status Database::CheckAndPrepare(ExistingData existing) {
  Result<FileHeader> header = ReadHeader(this);
  if (!header.ok()) return Doing(header.status(), "read");
  Result<FileState> state = ClassifyFile(*header);
  if (!state.ok()) return state.status();
  schema_version_ = *state == FileState::kEmpty ? kSchemaVersion : header->user_version;
  if (mode_ == OpenMode::kReadOnly) {
    // A blank file is not a recording, and read-only mode must not make one.
    if (*state == FileState::kEmpty) return Status::InvalidArgument("not a wsmock database");
    // No PRAGMA quick_check here: it walks every page of the file, which for
    // a 100,000-message recording was a third of replay's start (184M
    // instructions), and most of it re-read pages the reader reads anyway.
    // Damage to the structure is still refused with one line, never a
    // crash: a truncated file by CheckNotTruncated in Connect (SQLite itself
    // reads the missing tail as zeros), and a garbled page by SQLite's
    // checks of each page's structure as a read loads it (SQLITE_CORRUPT,
    // "x.db: database is corrupt: ..."). Not found: a changed byte inside a
    // stored value, since SQLite keeps no page checksums; and damage in pages
    // the reader never needs (another session's snapshots, say), which could
    // not change what it reads. cell_size_check makes the structure check
    // complete (cell extents too), for a few percent of a read.
    return Doing(Exec("PRAGMA cell_size_check=ON"), "read");
  }
  // Recording writes its bytes page by page, and SQLite's and the kernel's
  // cost is mostly per page: 64 KiB pages halved the writer thread's CPU
  // when recording under load (4 KiB is the default). SQLite fixes the size
  // at the first transaction, even one that writes nothing.
  Status s = *state == FileState::kEmpty ? Exec("PRAGMA page_size=65536") : Status::Ok();
  // Take the write lock once now, so a file another writer holds fails at
  // open and not at the first recorded message.
  if (s.ok()) s = Begin();
  // Holding it, check the structure of a file that has data: a writer puts
  // new rows on the pages SQLite finds through it (free pages included),
  // so damage left unnoticed would take the new recording down with it.
  if (s.ok() && *state != FileState::kEmpty && existing == ExistingData::kKeep) {
    s = CheckStructure(this);
  }
  if (s.ok()) s = Rollback();
  if (s.ok()) s = EnableWal(this);
  // Debian builds SQLite with SECURE_DELETE, which zeroes every page freed:
  // moving the journal frees a page for each one it fills, and --overwrite
  // of a large file took seconds. FAST zeroes only what costs no extra I/O.
  if (s.ok()) s = Exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                       "PRAGMA secure_delete=FAST;");
  if (s.ok() && *state == FileState::kEmpty) s = ApplySchema(this);
  if (s.ok() && *state == FileState::kOlder) s = Migrate(this, header->user_version);
  if (s.ok()) schema_version_ = kSchemaVersion;
  return Doing(s, "write");
}

Status Database::Exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return Status::Ok();
  Status s = SqliteStatus(rc, error != nullptr ? error : sqlite3_errstr(rc));
  sqlite3_free(error);
  return s;
}

Result<Statement> Database::Prepare(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteStatus(rc, sqlite3_errmsg(db_));
  }
  return Statement(stmt);
}

Status Database::Begin() { return Exec("BEGIN IMMEDIATE"); }

Status Database::Commit() { return Exec("COMMIT"); }

Status Database::Rollback() {
  if (!InTransaction()) return Status::Ok();
  return Exec("ROLLBACK");
}

bool Database::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

ReadSnapshot::ReadSnapshot(Database* db) : db_(db), status_(db->Exec("SAVEPOINT read_snapshot")) {}

ReadSnapshot::~ReadSnapshot() {
  if (status_.ok()) static_cast<void>(db_->Exec("RELEASE read_snapshot"));
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int64_t Database::Changes() const { return sqlite3_changes64(db_); }

}  // namespace wsmock::store
