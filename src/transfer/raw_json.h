// Byte-level facts about JSON text that a parsed tree cannot give: whether a
// value may be copied verbatim into a JSON Lines line and found again byte for
// byte, where an array's elements lie, whether a string literal spells U+0000
// (which cJSON's C strings would silently cut). Pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "util/json_scan.h"

namespace wsmock::transfer {

// True when `text` is one JSON value that can sit inside a line as it is:
// it parses, is valid UTF-8, holds no byte below 0x20 (so no CR or LF and no
// NUL), neither starts nor ends with a space, has no byte order mark (which
// the parser would skip), and nests at most `max_depth`
// levels (the line adds its own levels around it).
bool IsEmbeddableJson(std::string_view text, int max_depth);

// The [begin, end) offsets in `text` of each element of the JSON array
// `text`, without surrounding whitespace. REQUIRES: `text` is valid JSON
// (parsed already); anything else gives an unspecified, in-bounds result.
std::vector<json::Span> ArrayElementSpans(std::string_view text);

}  // namespace wsmock::transfer
