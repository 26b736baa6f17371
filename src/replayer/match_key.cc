#include "replayer/match_key.h"

#include <algorithm>
#include <variant>

#include "protocol/codec.h"
#include "util/printable_text.h"

namespace wsmock::replayer {
namespace {

constexpr size_t kDescribeLimit = 200;

// Only pointers whose first token is "data" or "*" can change the key; the
// rest are dropped at Create so KeyOf copies the request only when needed.
bool CanReachData(const std::string& pointer) {
  return pointer == "/data" || pointer.starts_with("/data/") || pointer == "/*" ||
         pointer.starts_with("/*/");
}

}  // namespace

Result<KeyMaker> KeyMaker::Create(const std::vector<std::string>& ignore_pointers,
                                  std::shared_ptr<const json::Redactor> redact) {
  KeyMaker maker;
  // Zero cost for the sessions that were not redacted: no pointers, no
  // redactor, no parse.
  if (redact != nullptr && !redact->empty()) maker.redact_ = std::move(redact);
  for (const std::string& text : ignore_pointers) {
    if (text.empty()) {
      return Status::InvalidArgument(
          "--match-ignore '': the empty JSON pointer would ignore the whole request");
    }
    auto pointer = json::JsonPointer::Parse(text);
    if (!pointer.ok()) return pointer.status().WithContext("--match-ignore '" + text + "'");
    if (CanReachData(text)) maker.ignore_.push_back(std::move(pointer).value());
  }
  return maker;
}

std::string KeyMaker::KeyOf(const protocol::Request& request) const {
  std::string key = request.action;
  key.push_back('\x1f');
  const cJSON* data = request.data;
  json::JsonPtr copy;
  if (!ignore_.empty()) {
    // Pointers are written against the whole message, so they run on a copy
    // of it; the request itself stays as received.
    copy.reset(cJSON_Duplicate(request.document.root(), true));
    for (const json::JsonPointer& p : ignore_) p.RemoveFrom(copy.get());
    data = cJSON_GetObjectItemCaseSensitive(copy.get(), "data");
  }
  // The server answers absent data like {}, so they are one key.
  if (data == nullptr) {
    key.append("{}");
  } else {
    json::Append(&key, data, /*sort_keys=*/true);
  }
  return key;
}

std::string KeyMaker::RawKey(std::string_view payload) const {
  std::string key(kRawKeyPrefix);
  key.append(payload);
  return key;
}

std::string KeyMaker::BinaryKey(std::string_view payload) const {
  std::string key(kBinaryKeyPrefix);
  // Record redacts a binary frame that holds JSON as it does a text frame.
  std::optional<std::string> redacted = redact_ ? redact_->Redact(payload) : std::nullopt;
  key.append(redacted ? std::string_view(*redacted) : payload);
  return key;
}

std::string KeyMaker::KeyAsIs(std::string_view frame, const protocol::Decoded& decoded) const {
  if (const auto* request = std::get_if<protocol::Request>(&decoded)) return KeyOf(*request);
  return RawKey(frame);
}

// The redacted text is decoded anew, not the request redacted: a redacted
// "type" or "data" can make it no request at all, as it did in the recording.
std::string KeyMaker::KeyOfText(std::string_view frame, const protocol::Decoded& decoded) const {
  if (redact_) {
    if (std::optional<std::string> redacted = redact_->Redact(frame)) {
      return KeyAsIs(*redacted, protocol::DecodeRequest(*redacted));
    }
  }
  return KeyAsIs(frame, decoded);
}

std::optional<std::string> KeyMaker::KeyOfFrame(std::string_view frame) const {
  if (redact_) {
    if (std::optional<std::string> redacted = redact_->Redact(frame)) {
      return KeyAsIs(*redacted, protocol::DecodeRequest(*redacted));
    }
  }
  return KeyAsIs(frame, protocol::DecodeRequest(frame));
}

KeyParts SplitKey(std::string_view key) {
  for (std::string_view prefix : {kRawKeyPrefix, kBinaryKeyPrefix}) {
    if (key.starts_with(prefix)) {
      return KeyParts{true, key.substr(0, prefix.size() - 1), key.substr(prefix.size())};
    }
  }
  // Canonical JSON escapes control bytes, so the last '\x1f' is the
  // separator even if the action itself holds one.
  size_t sep = key.rfind('\x1f');
  if (sep == std::string_view::npos) return KeyParts{false, key, {}};
  return KeyParts{false, key.substr(0, sep), key.substr(sep + 1)};
}

namespace {

// "binary frame of N bytes: " and the first bytes in hex.
std::string DescribeBinary(std::string_view bytes) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out = "binary frame of " + std::to_string(bytes.size()) + " bytes";
  if (bytes.empty()) return out;
  out.append(": ");
  const size_t shown = std::min(bytes.size(), kDescribeLimit / 2);
  for (size_t i = 0; i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 15]);
  }
  if (shown < bytes.size()) out.append("...");
  return out;
}

}  // namespace

std::string DescribeKey(std::string_view key) {
  if (key.starts_with(kBinaryKeyPrefix)) return DescribeBinary(key.substr(kBinaryKeyPrefix.size()));
  KeyParts parts = SplitKey(key);
  bool cut = false;
  std::string_view body = CutText(parts.body, kDescribeLimit, &cut);
  std::string out;
  if (parts.raw) {
    out.append("raw frame ");
    std::string quoted;
    json::AppendString(&quoted, body);
    AppendPrintable(&out, quoted);
  } else {
    AppendPrintable(&out, parts.head);
    out.push_back(' ');
    AppendPrintable(&out, body);
  }
  if (cut) out.append("...");
  return out;
}

}  // namespace wsmock::replayer
