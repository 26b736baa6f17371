// Lists of strings a session keeps in its options JSON (sessions.options_json),
// so that replay serves as the recording was made:
//   "redact": the --redact pointers its messages were redacted with (record,
//     record --upstream, import); replay redacts them on the requests it is
//     sent too, so a request matches its redacted recording;
//   "subprotocols": the --subprotocol names its server accepted besides
//     "wsmock"; replay accepts them too, so the clients that connected to
//     the recording connect to its replay.
// Pure; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace wsmock::app {

inline constexpr std::string_view kRedactList = "redact";
inline constexpr std::string_view kSubprotocolList = "subprotocols";

// `options_json` ("" counts as {}) with `values` added to its `member`
// array: the values already there first, then the new ones not among them;
// every other byte is kept. Unchanged when `values` is empty.
// InvalidArgument when `options_json` is not a JSON object or `member` is
// not an array of strings.
Result<std::string> WithStoredList(std::string_view options_json, std::string_view member,
                                   const std::vector<std::string>& values);

// The strings of `options_json`'s `member` array; none when the member is
// absent (sessions stored before it existed, or with none) or the text is not
// an object. InvalidArgument when `member` is not an array of strings. The
// strings themselves are checked by whoever uses them.
Result<std::vector<std::string>> StoredList(std::string_view options_json, std::string_view member);

// WithStoredList for both of a server's lists: its --redact pointers and
// its --subprotocol names.
Result<std::string> WithServerLists(std::string_view options_json,
                                    const std::vector<std::string>& redact,
                                    const std::vector<std::string>& subprotocols);

}  // namespace wsmock::app
