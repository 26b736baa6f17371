// Fuzz target "json": util/json's Parse and writers, json::Document (the
// request path's arena reader) against Parse, and FindTopLevelValue, the
// byte scan that export and replay use to copy values verbatim. Pure, any
// thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/status.h"

namespace wsmock::fuzz {

// Ok, or the first broken invariant: what Parse accepts writes to JSON that
// parses and writes to the same bytes (compact and canonical); for an object
// with distinct keys, FindTopLevelValue finds each member whose key has no
// backslash or quote either nowhere (escaped spelling) or at the bytes of
// the value cJSON parsed.
// With CheckDocument's invariant too.
Status CheckJson(std::string_view text);

// Ok, or the first broken invariant: json::Document::Parse agrees with
// json::Parse, the same error message or a tree of the same node types,
// keys, values (doubles bit for bit), order and prev/next links.
Status CheckDocument(std::string_view text);

// The libFuzzer entry: CheckJson, aborting on a broken invariant.
void FuzzJson(const uint8_t* data, size_t size);

}  // namespace wsmock::fuzz
