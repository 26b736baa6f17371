#include "fuzz/import_target.h"

#include <memory>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "fuzz/invariant.h"
#include "store/database.h"
#include "store/session_store.h"
#include "transfer/session_jsonl.h"
#include "transfer/session_records.h"
#include "transfer/stored_sessions.h"

namespace wsmock::fuzz {
namespace {

// A line as export would write it again.
Result<std::string> WriteLine(const transfer::Line& line) {
  std::string out;
  Status s = std::visit(
      [&out](const auto& row) -> Status {
        using T = std::decay_t<decltype(row)>;
        if constexpr (std::is_same_v<T, store::SessionInfo>) {
          return transfer::AppendSessionLine(&out, row);
        } else if constexpr (std::is_same_v<T, store::ConnectionRow>) {
          transfer::AppendConnectionLine(&out, row);
          return Status::Ok();
        } else if constexpr (std::is_same_v<T, store::MessageRow>) {
          return transfer::AppendMessageLine(&out, row);
        } else {
          return transfer::AppendSnapshotLine(&out, row.session_id, row.snapshot);
        }
      },
      line);
  if (!s.ok()) return s;
  // ParseLine takes a line without its '\n'.
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Status CheckOneLine(std::string_view line) {
  Result<transfer::Line> parsed = transfer::ParseLine(line);
  if (!parsed.ok()) {
    if (parsed.status().message().find('\n') != std::string::npos) {
      return Broken("a line's error message spans several lines");
    }
    return Status::Ok();
  }
  Result<std::string> written = WriteLine(*parsed);
  if (!written.ok()) {
    return Broken("an accepted line cannot be written back: " + written.status().message());
  }
  Result<transfer::Line> reparsed = transfer::ParseLine(*written);
  if (!reparsed.ok()) {
    return Broken("a written line does not parse: " + reparsed.status().message());
  }
  Result<std::string> rewritten = WriteLine(*reparsed);
  if (!rewritten.ok() || *rewritten != *written) {
    return Broken("a line does not write to the same bytes after one round trip");
  }
  return Status::Ok();
}

// Every session of a fresh in-memory file, exported.
Result<std::string> ImportThenExport(const std::vector<transfer::SessionRecord>& records) {
  auto db = store::Database::Open(":memory:", store::OpenMode::kReadWrite);
  if (!db.ok()) return Broken("cannot open an in-memory database: " + db.status().message());
  auto ids = transfer::WriteSessionRecords(db->get(), records);
  if (!ids.ok()) return Broken("parsed records were not stored: " + ids.status().message());
  store::SessionStore store(db->get());
  auto sessions = store.ListSessions();
  if (!sessions.ok()) return Broken("cannot list imported sessions");
  if (sessions->size() != records.size()) return Broken("import stored a different session count");
  std::string text;
  for (const store::SessionInfo& info : *sessions) {
    auto record = transfer::ReadSessionRecord(&store, info);
    if (!record.ok()) {
      return Broken("cannot read an imported session: " + record.status().message());
    }
    Status s = transfer::AppendSessionRecord(&text, *record);
    if (!s.ok()) return Broken("cannot export an imported session: " + s.message());
  }
  return text;
}

Status CheckWholeFile(std::string_view text) {
  auto records = transfer::ParseSessionRecords(text, "fuzz.jsonl");
  if (!records.ok()) {
    if (records.status().message().find('\n') != std::string::npos) {
      return Broken("an import error message spans several lines");
    }
    return Status::Ok();
  }
  Result<std::string> first = ImportThenExport(*records);
  if (!first.ok()) return first.status();
  auto again = transfer::ParseSessionRecords(*first, "export.jsonl");
  if (!again.ok()) return Broken("an export does not import: " + again.status().message());
  Result<std::string> second = ImportThenExport(*again);
  if (!second.ok()) return second.status();
  if (*second != *first) return Broken("export -> import -> export changed the bytes");
  return Status::Ok();
}

}  // namespace

Status CheckJsonLines(std::string_view text) {
  for (size_t begin = 0; begin <= text.size();) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    WSMOCK_RETURN_IF_ERROR(CheckOneLine(text.substr(begin, end - begin)));
    begin = end + 1;
  }
  return CheckWholeFile(text);
}

void FuzzImport(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  AbortIfBroken(CheckJsonLines(text), "import", text);
}

}  // namespace wsmock::fuzz
