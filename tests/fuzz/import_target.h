// Fuzz target "import": a JSON Lines file through transfer::ParseLine (each
// line alone) and through the whole import path (ParseSessionRecords, then
// WriteSessionRecords into an in-memory SQLite file, then export). Any thread;
// each call opens its own in-memory databases.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/status.h"

namespace wsmock::fuzz {

// Ok, or the first broken invariant: a line ParseLine accepts writes back,
// and the written line parses and writes to the same bytes; an error is one
// line; a file ParseSessionRecords accepts is stored without error as that
// many sessions, and export -> import -> export gives the same bytes.
Status CheckJsonLines(std::string_view text);

// The libFuzzer entry: CheckJsonLines, aborting on a broken invariant.
void FuzzImport(const uint8_t* data, size_t size);

}  // namespace wsmock::fuzz
