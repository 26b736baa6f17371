#include "fuzz/journal_target.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/invariant.h"
#include "store/message_journal.h"

namespace wsmock::fuzz {
namespace {

// `rows` packed whole, or with deltas as the recorder packs them.
std::string Pack(const std::vector<store::MessageRow>& rows, bool deltas) {
  std::string packed;
  store::JournalPacker packer;
  for (const store::MessageRow& row : rows) {
    if (deltas) {
      packer.Append(store::JournalMessage::Of(row), &packed);
    } else {
      store::AppendToJournal(store::JournalMessage::Of(row), &packed);
    }
  }
  return packed;
}

bool SameMessages(const std::vector<store::MessageRow>& a, const std::vector<store::MessageRow>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].connection_id != b[i].connection_id || a[i].seq != b[i].seq ||
        a[i].offset != b[i].offset || a[i].direction != b[i].direction ||
        a[i].kind != b[i].kind || a[i].action != b[i].action ||
        a[i].request_id != b[i].request_id || a[i].payload != b[i].payload ||
        a[i].binary != b[i].binary) {
      return false;
    }
  }
  return true;
}

}  // namespace

Status CheckJournal(std::string_view input) {
  std::vector<store::MessageRow> rows;
  Status s = store::ReadJournal(input, 1, &rows);
  if (!s.ok()) {
    if (s.code() != Status::Code::kCorruption || !s.message().starts_with("malformed message at byte ")) {
      return Broken("a bad row gave another error: " + s.message());
    }
    return Status::Ok();
  }
  // Packed whole, a row without deltas is no longer than it was; with
  // deltas, no longer than packed whole.
  const std::string whole = Pack(rows, false);
  const std::string packed = Pack(rows, true);
  if (packed.size() > whole.size()) return Broken("deltas made the row longer");
  // Without a byte over 0x7f a row has no delta and no varint longer than a
  // byte, so packing it whole again gives the same length.
  const bool high_bytes = std::any_of(input.begin(), input.end(),
                                      [](char c) { return (static_cast<uint8_t>(c) & 0x80) != 0; });
  if (!high_bytes && whole.size() > input.size()) return Broken("packing again made the row longer");
  for (const std::string& again_packed : {whole, packed}) {
    std::vector<store::MessageRow> again;
    if (!store::ReadJournal(again_packed, 1, &again).ok()) return Broken("a packed row did not read");
    if (!SameMessages(rows, again)) return Broken("packing and reading changed a message");
  }
  return Status::Ok();
}

void FuzzJournal(const uint8_t* data, size_t size) {
  const std::string_view input = AsText(data, size);
  AbortIfBroken(CheckJournal(input), "journal", input);
}

}  // namespace wsmock::fuzz
