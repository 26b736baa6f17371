// A parsed JSON document for the request path: the tree json::Parse builds
// for the same text (the same cJSON nodes, values, order and links, read
// through the same cJSON accessors), but built in an arena: one or two 1 KiB
// blocks for a request's whole tree rather than an allocation or more per
// value, freed at once.
//
// The arena reader takes the JSON a client writes (RFC 8259 numbers, valid
// escapes); text it does not take goes to json::Parse, so what is accepted,
// the tree and every error message are json::Parse's. The nodes are
// read-only: cJSON_Duplicate them to change them. Movable; any thread.
#pragma once

#include <cjson/cJSON.h>

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "util/json.h"
#include "util/status.h"

namespace wsmock::json {

class Document {
 public:
  Document() = default;  // no document: root() is nullptr
  // A moved-from document has no root: its nodes went with the blocks.
  Document(Document&& other) noexcept;
  Document& operator=(Document&& other) noexcept;
  // json::Parse(text)'s result, as a Document.
  static Result<Document> Parse(std::string_view text);
  // A document that owns a tree built elsewhere (for tests and adapters).
  static Document Adopt(JsonPtr tree);

  const cJSON* root() const { return root_; }
  // Whether the arena reader built the tree (false: json::Parse did).
  bool built_in_arena() const { return first_block_ != nullptr; }

 private:
  friend class ArenaReader;

  std::unique_ptr<std::byte[]> first_block_;               // holds a typical request whole
  std::vector<std::unique_ptr<std::byte[]>> more_blocks_;  // for larger documents
  JsonPtr tree_;                                      // when json::Parse built it
  const cJSON* root_ = nullptr;
};

}  // namespace wsmock::json
