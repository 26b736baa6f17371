#include "replayer/match_key.h"

#include <variant>

#include "protocol/codec.h"

namespace wsmock::replayer {
namespace {

constexpr size_t kDescribeLimit = 200;

// Only pointers whose first token is "data" or "*" can change the key; the
// rest are dropped at Create so KeyOf copies the request only when needed.
bool CanReachData(const std::string& pointer) {
  return pointer == "/data" || pointer.starts_with("/data/") || pointer == "/*" ||
         pointer.starts_with("/*/");
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
size_t Utf8Length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = 0;
  if (c < 0x80) {
    n = 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  }
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  if (n == 3 && ((c == 0xE0 && b(i + 1) < 0xA0) || (c == 0xED && b(i + 1) > 0x9F))) return 0;
  if (n == 4 && ((c == 0xF0 && b(i + 1) < 0x90) || (c == 0xF4 && b(i + 1) > 0x8F))) return 0;
  return n;
}

// Reports go to terminals, JSON and XML: control bytes and broken UTF-8
// (a cut frame, a hostile client) become '?' so every consumer can read them.
void AppendPrintable(std::string* out, std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8Length(s, i);
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7F))) {
      out->push_back('?');
      i += n == 0 ? 1 : n;
    } else {
      out->append(s.substr(i, n));
      i += n;
    }
  }
}

// The first kDescribeLimit bytes, backed off to a character boundary.
std::string_view Cut(std::string_view s, bool* cut) {
  *cut = s.size() > kDescribeLimit;
  if (!*cut) return s;
  size_t end = kDescribeLimit;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace

Result<KeyMaker> KeyMaker::Create(const std::vector<std::string>& ignore_pointers) {
  KeyMaker maker;
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
    copy.reset(cJSON_Duplicate(request.root.get(), true));
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

std::optional<std::string> KeyMaker::KeyOfFrame(std::string_view frame) const {
  protocol::Decoded decoded = protocol::DecodeRequest(frame);
  if (const auto* request = std::get_if<protocol::Request>(&decoded)) return KeyOf(*request);
  return RawKey(frame);
}

KeyParts SplitKey(std::string_view key) {
  if (key.starts_with(kRawKeyPrefix)) {
    return KeyParts{true, key.substr(0, kRawKeyPrefix.size() - 1),
                    key.substr(kRawKeyPrefix.size())};
  }
  // Canonical JSON escapes control bytes, so the last '\x1f' is the
  // separator even if the action itself holds one.
  size_t sep = key.rfind('\x1f');
  if (sep == std::string_view::npos) return KeyParts{false, key, {}};
  return KeyParts{false, key.substr(0, sep), key.substr(sep + 1)};
}

std::string DescribeKey(std::string_view key) {
  KeyParts parts = SplitKey(key);
  bool cut = false;
  std::string_view body = Cut(parts.body, &cut);
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
