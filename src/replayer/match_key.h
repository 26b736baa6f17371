// Replay keys: what makes two requests "the same" for replay. A request's key
// is its action and the canonical JSON of its data (key order, spacing and
// requestId do not count; --match-ignore pointers drop volatile fields); a
// text frame that is not a valid request, and a binary frame, is keyed by
// its exact bytes (the two kinds apart). Pure and
// const after Create: any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/message.h"
#include "util/json_pointer.h"
#include "util/status.h"

namespace wsmock::replayer {

// Raw keys start with this; request keys are action + '\x1f' + canonical
// data. An action is never empty and holds no NUL (cJSON's strings are C
// strings), so no request key starts with the NUL of this prefix: the two
// kinds never collide. Keys are made from the recorded payloads when a
// recording is loaded and never stored, so changing them needs no migration.
inline constexpr std::string_view kRawKeyPrefix{"\0raw\x1f", 5};
// Binary frames' keys start with this: a binary frame never matches a text
// frame of the same bytes.
inline constexpr std::string_view kBinaryKeyPrefix{"\0bin\x1f", 5};

class KeyMaker {
 public:
  // `ignore_pointers` are JSON Pointers into the whole request message
  // ("/data/since", "*" for any key or index). An invalid or empty pointer is
  // InvalidArgument naming it.
  static Result<KeyMaker> Create(const std::vector<std::string>& ignore_pointers);

  // action + '\x1f' + canonical(data), with the ignore pointers applied to a
  // copy of the whole request first. Absent data counts as {}.
  // REQUIRES: request.action holds no NUL (true of every decoded request).
  std::string KeyOf(const protocol::Request& request) const;
  // kRawKeyPrefix + payload.
  std::string RawKey(std::string_view payload) const;
  // kBinaryKeyPrefix + payload: the key of a binary frame.
  std::string BinaryKey(std::string_view payload) const;
  // Decodes `frame`: a request gives KeyOf, anything else RawKey. Every text
  // frame has a key, so the result is never nullopt today; callers should
  // still treat nullopt as "no key" (not indexed, not answerable).
  std::optional<std::string> KeyOfFrame(std::string_view frame) const;

 private:
  KeyMaker() = default;
  std::vector<json::JsonPointer> ignore_;  // only those that can reach "data"
};

// A key split into the part compared for "same action" (the action, or
// "\0raw" / "\0bin" for a raw or binary key) and the part compared by edit
// distance (canonical data, or the frame bytes).
struct KeyParts {
  bool raw = false;
  std::string_view head;
  std::string_view body;
};
KeyParts SplitKey(std::string_view key);

// One printable, valid UTF-8 line for messages and reports:
// "getStations {\"fields\":[\"id\"]}", "raw frame \"{bad\"" or "binary frame
// of 2 bytes: 00ff". The data or frame part is cut to 200 bytes (a binary
// frame's to 100, in hex; "..." marks the cut).
std::string DescribeKey(std::string_view key);

}  // namespace wsmock::replayer
