// JSON Pointers (RFC 6901) with one extension: a `*` token matches any key
// of an object or any index of an array. Used to leave volatile request
// fields out of replay keys, to ignore fields when comparing, and to redact.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"
#include "util/status.h"

namespace wsmock::json {

class JsonPointer {
 public:
  // "/data/since", "/data/items/*/id"; "" is the whole document.
  static Result<JsonPointer> Parse(std::string_view text);

  const std::string& text() const { return text_; }
  // Removes every member or element the pointer matches; returns how many.
  int RemoveFrom(cJSON* root) const;
  // Replaces every matched value with the string `marker`; returns how many.
  int ReplaceIn(cJSON* root, std::string_view marker) const;

 private:
  template <typename Fn>
  void Visit(cJSON* node, size_t depth, Fn&& fn) const;

  std::string text_;
  std::vector<std::string> tokens_;
};

}  // namespace wsmock::json
