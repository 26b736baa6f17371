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

bool FrameKeys::Shape(std::string_view frame, std::string_view* request_id) {
  json::Span id = json::FindTopLevelValue(frame, "requestId");
  if (id.begin == std::string::npos) return false;
  std::string_view value = frame.substr(id.begin, id.end - id.begin);
  if (!IsPlainId(value)) return false;
  // The offset of the cut keeps two different frames from one shape.
  char offset[24];
  char* end = std::to_chars(offset, offset + sizeof offset - 1, id.begin).ptr;
  *end++ = ':';
  shape_.assign(offset, end);
  shape_.append(frame.substr(0, id.begin));
  shape_.append(frame.substr(id.end));
  *request_id = value;
  return true;
}

const std::string* FrameKeys::Known(std::string_view frame, std::string_view* request_id) {
  std::string_view id;
  if (by_shape_.empty() || !Shape(frame, &id)) return nullptr;
  auto it = by_shape_.find(shape_);
  if (it == by_shape_.end()) return nullptr;
  *request_id = id;
  return it->second;
}

const std::string* FrameKeys::KeyOf(std::string_view frame) {
  std::string_view id;
  const bool shaped = Shape(frame, &id);
  if (shaped) {
    auto it = by_shape_.find(shape_);
    if (it != by_shape_.end()) return it->second;
  }
  std::optional<std::string> key = keys_.KeyOfFrame(frame);
  if (!key) return nullptr;
  const bool raw = key->starts_with(kRawKeyPrefix);
  return Keep(std::move(*key), shaped && !raw);
}

void FrameKeys::Remember(std::string_view frame, std::string key) {
  std::string_view id;
  if (by_shape_.size() < max_shapes_ && Shape(frame, &id)) Keep(std::move(key), true);
}

// REQUIRES (share): shape_ holds the shape of the frame `key` is for.
const std::string* FrameKeys::Keep(std::string key, bool share) {
  const std::string* kept = &*keys_seen_.insert(std::move(key)).first;
  if (share && by_shape_.size() < max_shapes_) by_shape_.emplace(shape_, kept);
  return kept;
}

}  // namespace wsmock::replayer
