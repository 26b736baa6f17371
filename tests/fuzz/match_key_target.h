// Fuzz target "match_key": the replay match key (replayer::KeyMaker). An input
// starting with '#' holds tab-separated --match-ignore pointers on its first
// line and the frame after it; any other input is a frame, keyed with no
// pointers. Pure, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/status.h"

namespace wsmock::fuzz {

// Ok, or the first broken invariant: every frame has a key and the same one
// twice; a request's key splits into its action and data, anything else's
// into the raw frame; a request re-spelled (keys sorted, other requestId)
// keeps its key; DescribeKey gives printable UTF-8 of bounded length.
Status CheckMatchKey(std::string_view input);

// The libFuzzer entry: CheckMatchKey, aborting on a broken invariant.
void FuzzMatchKey(const uint8_t* data, size_t size);

}  // namespace wsmock::fuzz
