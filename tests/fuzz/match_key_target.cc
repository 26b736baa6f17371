#include "fuzz/match_key_target.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fuzz/invariant.h"
#include "protocol/codec.h"
#include "replayer/match_key.h"
#include "util/json.h"

namespace wsmock::fuzz {
namespace {

// DescribeKey cuts the data or frame at 200 bytes; a quoted raw frame may
// grow sixfold by escapes ("\u0001"), and the rest is fixed text.
constexpr size_t kDescribedBodyBound = 6 * 200 + 32;

struct Split {
  std::vector<std::string> pointers;
  std::string_view frame;
};

Split SplitInput(std::string_view input) {
  Split split;
  split.frame = input;
  if (!input.starts_with('#')) return split;
  const size_t newline = input.find('\n');
  const std::string_view header = input.substr(1, newline == input.npos ? input.npos : newline - 1);
  split.frame = newline == input.npos ? std::string_view() : input.substr(newline + 1);
  for (size_t begin = 0; begin <= header.size();) {
    size_t end = header.find('\t', begin);
    if (end == header.npos) end = header.size();
    split.pointers.emplace_back(header.substr(begin, end - begin));
    begin = end + 1;
  }
  return split;
}

Status CheckDescription(std::string_view key, size_t head_size) {
  const std::string text = replayer::DescribeKey(key);
  if (!IsValidUtf8(text)) return Broken("DescribeKey gave invalid UTF-8");
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return Broken("DescribeKey gave a control byte");
    }
  }
  if (text.size() > head_size + kDescribedBodyBound) return Broken("DescribeKey was not cut");
  return Status::Ok();
}

// The same request with its data in canonical form and another requestId.
std::string Respell(const protocol::Request& request) {
  std::string frame = "{\"type\":\"request\",\"action\":";
  json::AppendString(&frame, request.action);
  if (request.data != nullptr) {
    frame.append(",\"data\":");
    json::Append(&frame, request.data, /*sort_keys=*/true);
  }
  frame.append(",\"requestId\":0}");
  return frame;
}

Status CheckRequestKey(const replayer::KeyMaker& maker, const protocol::Request& request,
                       const std::string& key) {
  replayer::KeyParts parts = replayer::SplitKey(key);
  if (parts.raw || parts.head != request.action) {
    return Broken("a request's key does not split into its action");
  }
  if (maker.KeyOfFrame(Respell(request)) != key) {
    return Broken("re-spelling a request (keys sorted, other requestId) changed its key");
  }
  return CheckDescription(key, parts.head.size());
}

Status CheckKeys(const replayer::KeyMaker& maker, std::string_view frame) {
  std::optional<std::string> key = maker.KeyOfFrame(frame);
  if (!key.has_value()) return Broken("a text frame has no key");
  if (maker.KeyOfFrame(frame) != key) return Broken("the same frame twice gave different keys");
  protocol::Decoded decoded = protocol::DecodeRequest(frame);
  if (const auto* request = std::get_if<protocol::Request>(&decoded)) {
    return CheckRequestKey(maker, *request, *key);
  }
  replayer::KeyParts parts = replayer::SplitKey(*key);
  if (!parts.raw || parts.body != frame) return Broken("a non-request's key is not its raw bytes");
  return CheckDescription(*key, parts.head.size());
}

}  // namespace

Status CheckMatchKey(std::string_view input) {
  const Split split = SplitInput(input);
  Result<replayer::KeyMaker> maker = replayer::KeyMaker::Create(split.pointers);
  if (!maker.ok()) {
    if (!maker.status().message().starts_with("--match-ignore '")) {
      return Broken("a pointer error does not name the flag");
    }
    return Status::Ok();
  }
  return CheckKeys(*maker, split.frame);
}

void FuzzMatchKey(const uint8_t* data, size_t size) {
  const std::string_view input = AsText(data, size);
  AbortIfBroken(CheckMatchKey(input), "match_key", input);
}

}  // namespace wsmock::fuzz
