// The wsmock file format: its version, its application id, the embedded
// schema SQL (schema/wsmock.sql), and the decision whether an opened SQLite
// file is one this wsmock may use. Pure apart from ApplySchema.
#pragma once

#include <cstdint>

#include "util/status.h"

namespace wsmock::store {

class Database;

// schema/wsmock.sql, embedded at build time (cmake/embed_schema.cmake).
extern const char kSchemaSql[];

// PRAGMA application_id of every wsmock file: 'wsmk'.
inline constexpr int64_t kApplicationId = 0x77736D6B;
// PRAGMA user_version written by this wsmock. Files of older versions are
// migrated on a read-write open and read as they are on a read-only one.
// Version 2 added the message_journal table.
inline constexpr int64_t kSchemaVersion = 3;
inline constexpr int64_t kOldestSupportedVersion = 1;
// The first version with a message_journal table.
inline constexpr int64_t kJournalVersion = 2;

// What the first read of an opened file tells about it.
struct FileHeader {
  int64_t application_id = 0;
  int64_t user_version = 0;
  int64_t object_count = 0;  // rows of sqlite_schema: tables, indexes, views, triggers
};

enum class FileState {
  kEmpty,    // new or zero-length: nothing in it yet
  kCurrent,  // a wsmock file this version reads and writes as it is
  kOlder,    // a supported older version: migrated when opened for writing
};

// Returns the state, or the one-line reason (without the file name) the file
// cannot be used: "not a wsmock database", "schema version 7 is newer than
// this wsmock supports (1 to 3)".
Result<FileState> ClassifyFile(const FileHeader& header);

// Creates every table of kSchemaVersion in one transaction.
// REQUIRES: `db` is open read-write, holds nothing, and is in no transaction.
Status ApplySchema(Database* db);

// Brings a file of `version` up to kSchemaVersion, one version step per
// transaction, so an interrupted migration leaves a valid older file.
// REQUIRES: `db` is open read-write and in no transaction;
// kOldestSupportedVersion <= version <= kSchemaVersion.
Status Migrate(Database* db, int64_t version);

}  // namespace wsmock::store
