// What the fuzz targets share: a broken invariant is a Status that names it,
// and a libFuzzer entry point turns such a Status into a crash with the input
// printed, so libFuzzer keeps the input as a reproducer. Pure, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace wsmock::fuzz {

// Internal("invariant broken: <what>"), so a corpus test prints the rule.
Status Broken(const std::string& what);

// RFC 3629 UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
// Written here rather than borrowed from src/ so the oracle does not share
// the code it judges.
bool IsValidUtf8(std::string_view s);

// The fuzzer's bytes as text (no copy).
std::string_view AsText(const uint8_t* data, size_t size);

// Does nothing when `status` is ok; otherwise prints the target, the broken
// invariant and the first bytes of `input` (escaped) to stderr and aborts.
void AbortIfBroken(const Status& status, std::string_view target, std::string_view input);

}  // namespace wsmock::fuzz
