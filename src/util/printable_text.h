// Text that every reader of a message or report can take: terminals, log
// lines, JSON and XML. Bytes from files and clients (control bytes, invalid
// UTF-8, very long values) are made printable, one line and bounded here.
// Pure functions; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wsmock {

// The offset of the first byte of `s` below 0x20 (a control byte), or npos.
// Eight bytes a step: it runs on every request and log line, where there
// almost never is one.
size_t FirstControlByte(std::string_view s);

// Appends `s` with control bytes and invalid UTF-8 (a cut frame, a hostile
// client) turned into '?'.
void AppendPrintable(std::string* out, std::string_view s);

// The first `limit` bytes of `s`, backed off to a UTF-8 character boundary;
// *cut says whether anything was left out.
std::string_view CutText(std::string_view s, size_t limit, bool* cut);

// Printable and at most `limit` bytes of `s`, "..." marking a cut.
std::string PrintableCut(std::string_view s, size_t limit);

// For naming a value from a file in a one-line error: the first `limit`
// bytes of `s` spelled as inside a JSON string ("a\nb" gives a\nb with a
// backslash, so the user can find it in the file), invalid UTF-8 and DEL as
// '?', and "..." when cut.
std::string EscapedCut(std::string_view s, size_t limit = 80);

}  // namespace wsmock
