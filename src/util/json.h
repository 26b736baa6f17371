// The JSON utility: with json_document.h (the request path's arena-built
// trees), the only place that owns cJSON trees.
// Parsing returns an owning JsonPtr or a one-line error; writing is our own,
// byte-stable on every machine (fixed number formatting, optional key sort).
#pragma once

#include <cjson/cJSON.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace wsmock::json {

struct JsonDeleter {
  void operator()(cJSON* node) const { cJSON_Delete(node); }
};
using JsonPtr = std::unique_ptr<cJSON, JsonDeleter>;

// Documents nested deeper than this are rejected (cJSON recurses).
inline constexpr int kMaxDepth = 64;

// Parses exactly one JSON value; trailing non-space bytes are an error.
// The error message names the byte offset, e.g. "unexpected byte at offset 12".
Result<JsonPtr> Parse(std::string_view text);

// Appends `s` as a JSON string literal. UTF-8 passes through; quotes,
// backslashes and control characters are escaped.
void AppendString(std::string* out, std::string_view s);

// Appends a fixed-point number: AppendFixed(out, 225, 1) -> "22.5",
// AppendFixed(out, -5, 2) -> "-0.05", AppendFixed(out, 7, 0) -> "7".
void AppendFixed(std::string* out, int64_t scaled, int decimals);

// Appends a number: integers within 2^53 print as integers, others with
// 17 significant digits. Locale-independent. Infinity (what a number beyond
// a double's range, such as 1e400, parses to) prints as 1e999 or -1e999,
// which cJSON, JavaScript and Python read back as the same infinity, so that
// a canonical key tells it from null and from its negative; NaN, which no
// JSON text parses to, prints as null.
void AppendNumber(std::string* out, double value);

// Appends `node` compactly. With sort_keys, object members are written in
// byte order of their keys (canonical form: key order and spacing vanish).
void Append(std::string* out, const cJSON* node, bool sort_keys = false);

inline std::string Write(const cJSON* node, bool sort_keys = false) {
  std::string out;
  Append(&out, node, sort_keys);
  return out;
}
inline std::string Canonical(const cJSON* node) { return Write(node, true); }

// A short name of the node's type for error messages: "string", "number", ...
const char* TypeName(const cJSON* node);

// Converts a JSON number to a fixed-point integer with `decimals` digits,
// rounding half away from zero.
int64_t ToFixed(double value, int decimals);

}  // namespace wsmock::json
