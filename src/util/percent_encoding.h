// Percent-encoding (RFC 3986 2.1) for the URLs wsmock writes: a SQLite
// file: URI's path, a query passed on to an upstream. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

namespace wsmock {

// Appends `bytes` to `out`, each byte for which `keep` is false written as
// %XX (upper-case hex).
void AppendPercentEncoded(std::string* out, std::string_view bytes, bool (*keep)(unsigned char));

}  // namespace wsmock
