// Writing a whole file at once: the reports of replay and verify, and the
// --self-signed certificate a test polls for.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace wsmock {

// Creates or truncates `path` and writes `content` to it. The error names
// the file.
Status WriteWholeFile(const std::string& path, std::string_view content);

// Writes `content` to a new file in the directory of `path`, then renames it
// to `path`: a reader sees no file (or the one replaced) or all of
// `content`, never a part. The file is readable by all (0644), as a
// certificate is public. On failure nothing is left behind and the error
// names `path` and the system's reason.
Status ReplaceFileAtomically(const std::string& path, std::string_view content);

}  // namespace wsmock
