// The libFuzzer entry of one fuzz binary; CMake names the target function in
// WSMOCK_FUZZ_ENTRY (FuzzRequest, FuzzImport, ...), so every binary is this
// file plus one target.
#include <cstddef>
#include <cstdint>

#include "fuzz/fixture_target.h"
#include "fuzz/import_target.h"
#include "fuzz/journal_target.h"
#include "fuzz/json_target.h"
#include "fuzz/match_key_target.h"
#include "fuzz/request_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wsmock::fuzz::WSMOCK_FUZZ_ENTRY(data, size);
  return 0;
}
