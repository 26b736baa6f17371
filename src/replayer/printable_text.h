// Text that every report consumer can read: terminals, JSON and XML.
// Pure functions; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wsmock::replayer {

// Appends `s` with control bytes and invalid UTF-8 (a cut frame, a hostile
// client) turned into '?'.
void AppendPrintable(std::string* out, std::string_view s);

// The first `limit` bytes of `s`, backed off to a UTF-8 character boundary;
// *cut says whether anything was left out.
std::string_view CutText(std::string_view s, size_t limit, bool* cut);

// Printable and at most `limit` bytes of `s`, "..." marking a cut.
std::string PrintableCut(std::string_view s, size_t limit);

}  // namespace wsmock::replayer
