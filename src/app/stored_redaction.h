// The --redact pointers a session was recorded or imported with, kept in its
// options JSON (sessions.options_json, member "redact": an array of JSON
// Pointers), so that replay redacts them on the requests it is sent too and
// a request matches its redacted recording. Pure; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace wsmock::app {

// `options_json` ("" counts as {}) with `pointers` added to its "redact"
// array: the pointers already there first, then the new ones not among them;
// every other byte is kept. Unchanged when `pointers` is empty.
// InvalidArgument when `options_json` is not a JSON object or its "redact"
// is not an array of strings.
Result<std::string> WithRedactPointers(std::string_view options_json,
                                       const std::vector<std::string>& pointers);

// The pointers of `options_json`'s "redact" member; none when the member is
// absent (sessions stored before it existed, or never redacted) or the text
// is not an object. InvalidArgument when "redact" is not an array of strings.
// The pointers themselves are checked by whoever parses them.
Result<std::vector<std::string>> RedactPointersOf(std::string_view options_json);

}  // namespace wsmock::app
