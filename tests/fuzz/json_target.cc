#include "fuzz/json_target.h"

#include <cstring>
#include <set>
#include <string>

#include "fuzz/invariant.h"
#include "util/json.h"
#include "util/json_document.h"
#include "util/json_scan.h"

namespace wsmock::fuzz {
namespace {

// Writing once may change the spelling; writing what that parses to may not.
Status CheckStableWrite(const cJSON* root, bool sort_keys) {
  const std::string once = json::Write(root, sort_keys);
  auto reparsed = json::Parse(once);
  if (!reparsed.ok()) return Broken("written JSON does not parse: " + reparsed.status().message());
  if (json::Write(reparsed->get(), sort_keys) != once) {
    return Broken(sort_keys ? "canonical JSON is not stable" : "written JSON is not stable");
  }
  return Status::Ok();
}

bool KeysDistinct(const cJSON* object) {
  std::set<std::string_view> seen;
  for (const cJSON* m = object->child; m != nullptr; m = m->next) {
    if (!seen.insert(m->string).second) return false;
  }
  return true;
}

// Only for objects whose keys are distinct: with duplicates, cJSON takes
// the first member and callers reject the line anyway.
Status CheckTopLevelSpans(std::string_view text, const cJSON* object) {
  if (!KeysDistinct(object)) return Status::Ok();
  for (const cJSON* m = object->child; m != nullptr; m = m->next) {
    // FindTopLevelValue compares raw key bytes, so a key holding a backslash
    // can match another member's escaped spelling ({"\\\\":1,"\\":2});
    // its callers look up plain names only.
    if (std::string_view(m->string).find_first_of("\\\"") != std::string_view::npos) continue;
    json::Span span = json::FindTopLevelValue(text, m->string);
    // Not found is allowed: the key may be spelled with escapes.
    if (span.begin == std::string_view::npos) continue;
    if (span.begin > span.end || span.end > text.size()) return Broken("a span is out of bounds");
    auto value = json::Parse(text.substr(span.begin, span.end - span.begin));
    if (!value.ok()) return Broken("FindTopLevelValue's span is not one JSON value");
    if (json::Write(value->get()) != json::Write(m)) {
      return Broken("FindTopLevelValue found other bytes than cJSON parsed");
    }
  }
  return Status::Ok();
}

bool SameText(const char* a, const char* b) {
  return (a == nullptr || b == nullptr) ? a == b : std::strcmp(a, b) == 0;
}

// Where the trees first differ ("$[1][2]: key", children by position), or
// empty when they do not.
std::string FirstDifference(const cJSON* a, const cJSON* b, const std::string& path) {
  if (a->type != b->type) return path + ": type";
  if (!SameText(a->string, b->string)) return path + ": key";
  if (!SameText(a->valuestring, b->valuestring)) return path + ": string value";
  if (a->valueint != b->valueint) return path + ": valueint";
  if (std::memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) != 0) {
    return path + ": valuedouble";
  }
  // cJSON links each child to the one before it, and the first to the last.
  const cJSON* x = a->child;
  const cJSON* y = b->child;
  const cJSON* x_last = nullptr;
  const cJSON* y_last = nullptr;
  for (int i = 0; x != nullptr && y != nullptr; ++i, x = x->next, y = y->next) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    if (x_last != nullptr && (x->prev != x_last || y->prev != y_last)) return at + ": prev link";
    if (std::string d = FirstDifference(x, y, at); !d.empty()) return d;
    x_last = x;
    y_last = y;
  }
  if (x != nullptr || y != nullptr) return path + ": number of children";
  if (a->child != nullptr && (a->child->prev != x_last || b->child->prev != y_last)) {
    return path + ": the first child's prev is not the last";
  }
  return {};
}

}  // namespace

Status CheckDocument(std::string_view text) {
  auto document = json::Document::Parse(text);
  auto tree = json::Parse(text);
  if (document.ok() != tree.ok()) {
    return Broken(std::string("Document::Parse ") + (document.ok() ? "accepts" : "refuses") +
                  " what json::Parse " + (tree.ok() ? "accepts" : "refuses"));
  }
  if (!tree.ok()) {
    if (document.status().message() == tree.status().message()) return Status::Ok();
    return Broken("Document::Parse's error differs: " + document.status().message());
  }
  if (std::string d = FirstDifference(document->root(), tree->get(), "$"); !d.empty()) {
    return Broken("Document::Parse's tree differs from json::Parse's at " + d);
  }
  return Status::Ok();
}

Status CheckJson(std::string_view text) {
  WSMOCK_RETURN_IF_ERROR(CheckDocument(text));
  auto parsed = json::Parse(text);
  if (!parsed.ok()) return Status::Ok();
  WSMOCK_RETURN_IF_ERROR(CheckStableWrite(parsed->get(), false));
  WSMOCK_RETURN_IF_ERROR(CheckStableWrite(parsed->get(), true));
  if (cJSON_IsObject(parsed->get())) return CheckTopLevelSpans(text, parsed->get());
  return Status::Ok();
}

void FuzzJson(const uint8_t* data, size_t size) {
  const std::string_view text = AsText(data, size);
  AbortIfBroken(CheckJson(text), "json", text);
}

}  // namespace wsmock::fuzz
