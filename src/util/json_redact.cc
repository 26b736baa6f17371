#include "util/json_redact.h"

#include "util/json_scan.h"

namespace wsmock::json {
namespace {

bool IsMarker(const cJSON* node) {
  return cJSON_IsString(node) && node->valuestring != nullptr &&
         kRedactedMarker == node->valuestring;
}

// Walks the value at `pos` in `s` alongside `node`, which is that value
// parsed and then redacted: cJSON keeps members and elements in text order,
// so the two stay in step. Appends the span of each value that became the
// marker and returns the offset just past the value.
size_t Walk(std::string_view s, size_t pos, const cJSON* node, std::vector<Span>* spans) {
  pos = SkipSpace(s, pos);
  if (!cJSON_IsObject(node) && !cJSON_IsArray(node)) {
    size_t end = EndOfValue(s, pos);
    if (IsMarker(node)) spans->push_back(Span{pos, end});
    return end;
  }
  const bool object = cJSON_IsObject(node);
  size_t p = pos + 1;  // past '{' or '['
  for (const cJSON* child = node->child; child != nullptr; child = child->next) {
    p = SkipSpace(s, p);
    if (object) p = SkipSpace(s, EndOfString(s, p)) + 1;  // the key and its ':'
    p = SkipSpace(s, Walk(s, p, child, spans));
    if (child->next != nullptr) ++p;  // ','
  }
  return SkipSpace(s, p) + 1;  // past '}' or ']'
}

}  // namespace

Result<Redactor> Redactor::Create(const std::vector<std::string>& pointers) {
  Redactor redactor;
  for (const std::string& text : pointers) {
    if (text.empty()) {
      return Status::InvalidArgument(
          "JSON pointer '' would redact the whole message; name a field, e.g. /data/token");
    }
    Result<JsonPointer> pointer = JsonPointer::Parse(text);
    if (!pointer.ok()) return pointer.status();
    redactor.pointers_.push_back(std::move(*pointer));
  }
  return redactor;
}

std::optional<std::string> Redactor::Redact(std::string_view text) const {
  if (pointers_.empty()) return std::nullopt;
  Result<JsonPtr> root = Parse(text);
  if (!root.ok()) return std::nullopt;
  int replaced = 0;
  for (const JsonPointer& pointer : pointers_) {
    replaced += pointer.ReplaceIn(root->get(), kRedactedMarker);
  }
  if (replaced == 0) return std::nullopt;

  // The tree says what to replace; the text keeps every other byte, so a
  // redacted payload differs from the frame only where a secret was.
  std::vector<Span> spans;
  Walk(text, StartOfDocument(text), root->get(), &spans);
  std::string literal;
  AppendString(&literal, kRedactedMarker);
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  bool changed = false;
  for (const Span& span : spans) {
    if (text.substr(span.begin, span.end - span.begin) == literal) continue;
    out.append(text, copied, span.begin - copied);
    out.append(literal);
    copied = span.end;
    changed = true;
  }
  if (!changed) return std::nullopt;  // every match already was the marker
  out.append(text, copied);
  return out;
}

}  // namespace wsmock::json
