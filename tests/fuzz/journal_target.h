// Fuzz target "journal": a packed row of the message journal
// (store/message_journal.h), as a damaged or hostile file could hold it.
// Pure, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/status.h"

namespace wsmock::fuzz {

// Ok, or the first broken invariant: a row either reads or gives a
// Corruption error naming a byte inside it; what reads packs again into at
// most as many bytes (varints may be overlong, never short), and that packs
// and reads to the same messages.
Status CheckJournal(std::string_view input);

// The libFuzzer entry: CheckJournal, aborting on a broken invariant.
void FuzzJournal(const uint8_t* data, size_t size);

}  // namespace wsmock::fuzz
