// Writing a whole file at once: the reports of replay and verify.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace wsmock {

// Creates or truncates `path` and writes `content` to it. The error names
// the file.
Status WriteWholeFile(const std::string& path, std::string_view content);

}  // namespace wsmock
