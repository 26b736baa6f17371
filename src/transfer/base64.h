// Base64 (RFC 4648, standard alphabet, '=' padding) for binary frames in
// JSON Lines. Decoding is strict so that every accepted text is the one
// Encode would write: the export of an import is byte-identical.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace wsmock::transfer {

std::string Base64Encode(std::string_view bytes);

// Fails on a length that is not a multiple of 4, a byte outside the
// alphabet, misplaced padding, or non-zero bits after the last byte.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace wsmock::transfer
