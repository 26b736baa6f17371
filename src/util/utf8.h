// UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing
// above U+10FFFF. The one reading of it that printing and exporting share.
// Pure functions on bytes; safe on any input, any thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace wsmock {

// The length of the well-formed sequence that starts at s[i], or 0 when the
// bytes there are not one (a cut sequence included).
// REQUIRES: i < s.size().
size_t Utf8SequenceLength(std::string_view s, size_t i);

bool IsValidUtf8(std::string_view s);

}  // namespace wsmock
