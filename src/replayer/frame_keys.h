// FrameKeys: KeyMaker::KeyOfFrame with a memory, for recordings at build time
// and for requests at replay time. Requests mostly repeat but for their
// requestId, which a key leaves out: a frame that differs from one already
// keyed only in a plain requestId (a string of printable ASCII without
// escapes, or an integer of up to 15 digits) decodes to a request with the
// same action and data, and to a requestId whose JSON text is those bytes,
// so it takes that frame's key without a parse. Raw keys (exact bytes) are
// never shared. One thread at a time; keys live as long as the object.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "replayer/match_key.h"
#include "util/json_scan.h"

namespace wsmock::replayer {

class FrameKeys {
 public:
  // Keeps at most `max_shapes` shapes; frames of later ones are still keyed,
  // by a parse each time. `keys` must outlive this object.
  explicit FrameKeys(const KeyMaker& keys,
                     size_t max_shapes = std::numeric_limits<size_t>::max());
  FrameKeys(const FrameKeys&) = delete;
  FrameKeys& operator=(const FrameKeys&) = delete;

  // KeyMaker::KeyOfFrame(frame), remembered; nullptr when it has no key.
  const std::string* KeyOf(std::string_view frame);
  // KeyMaker::BinaryKey(frame), remembered.
  const std::string* KeyOfBinary(std::string_view frame);
  // The key of a frame whose shape was keyed before, with its requestId's
  // JSON text (a view into `frame`) in *request_id; nullptr, without a
  // parse, for any other frame.
  const std::string* Known(std::string_view frame, std::string_view* request_id);
  // Files `key` for frames of `frame`'s shape, if it has one and there is
  // room. REQUIRES: key is KeyMaker::KeyOf of `frame` decoded as a request.
  void Remember(std::string_view frame, std::string key);

  size_t shapes() const { return by_shape_.size(); }

 private:
  // The key filed for `frame`'s shape, or nullptr. *shaped says whether the
  // frame has a plain requestId (its text in *request_id); shape_ then
  // holds the frame's shape.
  const std::string* Find(std::string_view frame, std::string_view* request_id, bool* shaped);
  // shape_ = the offset of `id`, ':', and `frame` without `id`'s bytes.
  void SetShape(std::string_view frame, json::Span id);
  const std::string* Keep(std::string key, bool share);

  const KeyMaker& keys_;
  const size_t max_shapes_;
  std::unordered_set<std::string> keys_seen_;  // nodes stay put: pointers are kept
  // Lookup only: never iterated, so its order cannot leak into output.
  std::unordered_map<std::string, const std::string*> by_shape_;
  std::string shape_;  // scratch, reused so a lookup allocates nothing
};

// Whether `value` (JSON text) is a plain requestId as above.
bool IsPlainId(std::string_view value);

// Where a plain value (IsPlainId) that ends just before `frame`'s final '}'
// begins; npos if there is none. Only a scan can tell whether it is the
// requestId, or a value at all rather than the end of a longer string.
size_t PlainTailValue(std::string_view frame);

}  // namespace wsmock::replayer
