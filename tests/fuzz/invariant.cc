#include "fuzz/invariant.h"

#include <cstdio>
#include <cstdlib>

namespace wsmock::fuzz {
namespace {

// Enough of the input to recognise it; libFuzzer saves the whole of it anyway.
constexpr size_t kShownBytes = 512;

// Length of the valid sequence at s[i], or 0.
size_t SequenceLength(std::string_view s, size_t i) {
  const auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = at(i);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) n = 2;
  if (lead >= 0xE0 && lead <= 0xEF) n = 3;
  if (lead >= 0xF0 && lead <= 0xF4) n = 4;
  if (lead == 0xE0) lo = 0xA0;  // overlong
  if (lead == 0xED) hi = 0x9F;  // surrogates
  if (lead == 0xF0) lo = 0x90;  // overlong
  if (lead == 0xF4) hi = 0x8F;  // above U+10FFFF
  if (n == 0 || i + n > s.size()) return 0;
  if (at(i + 1) < lo || at(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

Status Broken(const std::string& what) { return Status::Internal("invariant broken: " + what); }

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string_view AsText(const uint8_t* data, size_t size) {
  // libFuzzer may pass nullptr with size 0; string_view wants a valid pointer.
  if (size == 0) return {};
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

void AbortIfBroken(const Status& status, std::string_view target, std::string_view input) {
  if (status.ok()) return;
  std::fprintf(stderr, "fuzz target %.*s: %s\ninput (%zu bytes): ", static_cast<int>(target.size()),
               target.data(), status.message().c_str(), input.size());
  const size_t shown = input.size() < kShownBytes ? input.size() : kShownBytes;
  for (size_t i = 0; i < shown; ++i) {
    const unsigned char c = static_cast<unsigned char>(input[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      std::fputc(c, stderr);
    } else {
      std::fprintf(stderr, "\\x%02x", c);
    }
  }
  std::fputs(shown < input.size() ? "...\n" : "\n", stderr);
  std::abort();
}

}  // namespace wsmock::fuzz
