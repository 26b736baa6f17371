#include "store/schema.h"

#include <iterator>
#include <string>

#include "store/database.h"

namespace wsmock::store {

namespace {

// kMigrations[v - kOldestSupportedVersion] takes a file from version v to
// v + 1. Each leaves the file as schema/wsmock.sql of v + 1 would make it
// (tests/store/schema_test.cc compares the two).
constexpr const char* kMigrations[] = {
    // 1 -> 2: the message journal.
    "CREATE TABLE message_journal (\n"
    "  id             INTEGER PRIMARY KEY,  -- in the order written\n"
    "  session_id     INTEGER NOT NULL REFERENCES sessions (id) DEFERRABLE INITIALLY DEFERRED,\n"
    "  message_count  INTEGER NOT NULL,     -- messages packed into this row\n"
    "  packed         BLOB NOT NULL\n"
    ");\n"
    "PRAGMA user_version = 2;",
    // 2 -> 3: journal rows may write a payload as a delta of an earlier one
    // in the row (schema/README.md, "message_journal"); the tables are the same.
    "PRAGMA user_version = 3;",
};
static_assert(std::size(kMigrations) == kSchemaVersion - kOldestSupportedVersion);

}  // namespace

Result<FileState> ClassifyFile(const FileHeader& header) {
  if (header.application_id != kApplicationId) {
    // A blank file carries no id yet; anything else that does not carry ours
    // belongs to another program and must not be touched.
    if (header.application_id == 0 && header.user_version == 0 && header.object_count == 0) {
      return FileState::kEmpty;
    }
    return Status::InvalidArgument("not a wsmock database");
  }
  const std::string version = std::to_string(header.user_version);
  const std::string supported =
      std::to_string(kOldestSupportedVersion) + " to " + std::to_string(kSchemaVersion);
  if (header.user_version > kSchemaVersion) {
    return Status::Unsupported("schema version " + version +
                               " is newer than this wsmock supports (" + supported + ")");
  }
  if (header.user_version < kOldestSupportedVersion) {
    return Status::Unsupported("schema version " + version +
                               " is older than this wsmock supports (" + supported + ")");
  }
  return header.user_version == kSchemaVersion ? FileState::kCurrent : FileState::kOlder;
}

namespace {

// `pragma`'s value (application_id, user_version), read inside the caller's
// transaction.
Result<int64_t> PragmaValue(Database* db, const char* pragma) {
  Result<Statement> stmt = db->Prepare(pragma);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->ColumnInt64(0) : 0;
}

}  // namespace

Status ApplySchema(Database* db) {
  WSMOCK_RETURN_IF_ERROR(db->Begin());
  // Under the write lock now: a second wsmock creating the same file at
  // the same moment may have applied the schema since the file was read
  // as blank ("table sessions already exists" otherwise).
  Result<int64_t> id = PragmaValue(db, "PRAGMA application_id");
  Status s = id.status();
  if (s.ok() && *id == kApplicationId) return db->Commit();
  if (s.ok()) s = db->Exec(kSchemaSql);
  if (s.ok()) s = db->Commit();
  if (!s.ok()) db->Rollback();  // keeps the file as blank as it was
  return s;
}

Status Migrate(Database* db, int64_t version) {
  for (; version < kSchemaVersion; ++version) {
    WSMOCK_RETURN_IF_ERROR(db->Begin());
    // As in ApplySchema: another wsmock may have taken this step already.
    Result<int64_t> now = PragmaValue(db, "PRAGMA user_version");
    Status s = now.status();
    if (s.ok() && *now > version) {
      WSMOCK_RETURN_IF_ERROR(db->Commit());
      continue;
    }
    if (s.ok()) s = db->Exec(kMigrations[version - kOldestSupportedVersion]);
    if (s.ok()) s = db->Commit();
    if (!s.ok()) {
      db->Rollback();
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace wsmock::store
