#include "store/schema.h"

#include <string>

#include "store/database.h"

namespace wsmock::store {

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
  const std::string supported = std::to_string(kSchemaVersion);
  if (header.user_version > kSchemaVersion) {
    return Status::Unsupported("schema version " + version +
                               " is newer than this wsmock supports (" + supported + ")");
  }
  if (header.user_version < kOldestSupportedVersion) {
    return Status::Unsupported("schema version " + version +
                               " is older than this wsmock supports (" + supported + ")");
  }
  return FileState::kCurrent;
}

Status ApplySchema(Database* db) {
  WSMOCK_RETURN_IF_ERROR(db->Begin());
  Status s = db->Exec(kSchemaSql);
  if (s.ok()) s = db->Commit();
  if (!s.ok()) db->Rollback();  // keeps the file as blank as it was
  return s;
}

}  // namespace wsmock::store
