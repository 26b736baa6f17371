// Fuzz target "fixture": a fixture file through model::ParseFixture. Pure,
// any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/status.h"

namespace wsmock::fuzz {

// Ok, or the first broken invariant: an error is one line starting with the
// source name; accepted stations are at most kMaxFixtureStations with unique
// ids, and each reads back equal from the JSON a reply writes for it.
Status CheckFixture(std::string_view text);

// The libFuzzer entry: CheckFixture, aborting on a broken invariant.
void FuzzFixture(const uint8_t* data, size_t size);

}  // namespace wsmock::fuzz
