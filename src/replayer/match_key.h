// Replay keys: what makes two requests "the same" for replay. A request's key
// is its action and the canonical JSON of its data (key order, spacing and
// requestId do not count; --match-ignore pointers drop volatile fields); a
// text frame that is not a valid request, and a binary frame, is keyed by
// its exact bytes (the two kinds apart). With the session's --redact
// pointers, a frame is keyed as record would have stored it: redacted first.
// Pure and const after Create: any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/message.h"
#include "util/json_pointer.h"
#include "util/json_redact.h"
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
  // InvalidArgument naming it. `redact` (null or empty: none) is what the
  // recording was redacted with: frames are keyed as it would store them, so
  // a request matches its redacted recording and no key (nor anything made
  // of one: logs, errors, reports) holds a redacted value.
  static Result<KeyMaker> Create(const std::vector<std::string>& ignore_pointers,
                                 std::shared_ptr<const json::Redactor> redact = nullptr);

  // action + '\x1f' + canonical(data), with the ignore pointers applied to a
  // copy of the whole request first. Absent data counts as {}.
  // REQUIRES: request.action holds no NUL (true of every decoded request).
  std::string KeyOf(const protocol::Request& request) const;
  // kRawKeyPrefix + payload.
  std::string RawKey(std::string_view payload) const;
  // kBinaryKeyPrefix + payload, redacted: the key of a binary frame.
  std::string BinaryKey(std::string_view payload) const;
  // Decodes `frame`, redacted: a request gives KeyOf, anything else RawKey.
  // Every text frame has a key, so the result is never nullopt today;
  // callers should still treat nullopt as "no key" (not indexed, not
  // answerable).
  std::optional<std::string> KeyOfFrame(std::string_view frame) const;
  // KeyOfFrame(frame) for a caller that decoded it already: `decoded` is
  // protocol::DecodeRequest(frame). Without redaction, no second parse.
  std::string KeyOfText(std::string_view frame, const protocol::Decoded& decoded) const;
  // Whether frames are redacted before they are keyed.
  bool redacts() const { return redact_ != nullptr; }

 private:
  KeyMaker() = default;
  // KeyOf or RawKey of `frame` as it is.
  std::string KeyAsIs(std::string_view frame, const protocol::Decoded& decoded) const;

  std::vector<json::JsonPointer> ignore_;  // only those that can reach "data"
  std::shared_ptr<const json::Redactor> redact_;  // null: nothing redacted
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
