#include "replayer/frame_keys.h"

#include <charconv>
#include <optional>
#include <utility>

#include "util/json_scan.h"

namespace wsmock::replayer {

// Plain ids are the ones protocol::DecodeRequest writes back as the same
// bytes (json::AppendString escapes only controls, '"' and '\\'; integers
// below 2^53 print as integers), so the bytes can stand for the id's text.
bool IsPlainId(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    for (char c : value.substr(1, value.size() - 2)) {
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
    }
    return true;
  }
  if (value.empty() || value.size() > 15 || (value[0] == '0' && value.size() > 1)) return false;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

FrameKeys::FrameKeys(const KeyMaker& keys, size_t max_shapes)
    : keys_(keys), max_shapes_(max_shapes) {}

size_t PlainTailValue(std::string_view frame) {
  if (frame.size() < 3 || frame.back() != '}') return std::string_view::npos;
  const size_t last = frame.size() - 2;  // the value's last byte
  size_t begin = last;
  if (frame[last] == '"') {
    begin = frame.rfind('"', last - 1);
    if (begin == std::string_view::npos) return begin;
  } else {
    while (begin > 0 && frame[begin - 1] >= '0' && frame[begin - 1] <= '9') --begin;
  }
  if (!IsPlainId(frame.substr(begin, last + 1 - begin))) return std::string_view::npos;
  return begin;
}

const std::string* FrameKeys::Find(std::string_view frame, std::string_view* request_id,
                                   bool* shaped) {
  *shaped = false;
  // Requests mostly end in their requestId. When the bytes before a plain
  // value that ends the frame are those of a known shape, a scan would read
  // them as it did for that shape and find the id there: no scan.
  const size_t tail = PlainTailValue(frame);
  const bool tried_tail = tail != std::string_view::npos && !by_shape_.empty();
  if (tried_tail) {
    SetShape(frame, json::Span{tail, frame.size() - 1});
    auto it = by_shape_.find(shape_);
    if (it != by_shape_.end()) {
      *shaped = true;
      *request_id = frame.substr(tail, frame.size() - 1 - tail);
      return it->second;
    }
  }
  json::Span id = json::FindTopLevelValue(frame, "requestId");
  if (id.begin == std::string::npos) return nullptr;
  std::string_view value = frame.substr(id.begin, id.end - id.begin);
  if (!IsPlainId(value)) return nullptr;
  *shaped = true;
  *request_id = value;
  if (tried_tail && id.begin == tail && id.end == frame.size() - 1) {
    return nullptr;  // shape_ holds this shape, looked up above
  }
  SetShape(frame, id);
  auto it = by_shape_.find(shape_);
  return it != by_shape_.end() ? it->second : nullptr;
}

void FrameKeys::SetShape(std::string_view frame, json::Span id) {
  // The offset of the cut keeps two different frames from one shape.
  char offset[24];
  char* end = std::to_chars(offset, offset + sizeof offset - 1, id.begin).ptr;
  *end++ = ':';
  shape_.assign(offset, end);
  shape_.append(frame.substr(0, id.begin));
  shape_.append(frame.substr(id.end));
}

const std::string* FrameKeys::Known(std::string_view frame, std::string_view* request_id) {
  if (by_shape_.empty()) return nullptr;
  std::string_view id;
  bool shaped;
  const std::string* key = Find(frame, &id, &shaped);
  if (key != nullptr) *request_id = id;
  return key;
}

const std::string* FrameKeys::KeyOf(std::string_view frame) {
  std::string_view id;
  bool shaped;
  if (const std::string* known = Find(frame, &id, &shaped)) return known;
  std::optional<std::string> key = keys_.KeyOfFrame(frame);
  if (!key) return nullptr;
  const bool raw = key->starts_with(kRawKeyPrefix);
  return Keep(std::move(*key), shaped && !raw);
}

const std::string* FrameKeys::KeyOfBinary(std::string_view frame) {
  return Keep(keys_.BinaryKey(frame), /*share=*/false);
}

void FrameKeys::Remember(std::string_view frame, std::string key) {
  std::string_view id;
  bool shaped;
  if (by_shape_.size() >= max_shapes_) return;
  Find(frame, &id, &shaped);
  if (shaped) Keep(std::move(key), true);
}

// REQUIRES (share): shape_ holds the shape of the frame `key` is for.
const std::string* FrameKeys::Keep(std::string key, bool share) {
  const std::string* kept = &*keys_seen_.insert(std::move(key)).first;
  if (share && by_shape_.size() < max_shapes_) by_shape_.emplace(shape_, kept);
  return kept;
}

}  // namespace wsmock::replayer
