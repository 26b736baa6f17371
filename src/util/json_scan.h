// The JSON text scanner: finds where values begin and end in JSON text by its
// bytes, for callers that must copy or replace values verbatim (a tree cannot
// say where its values were). It follows cJSON's reading of the text, so a
// span found here is the bytes cJSON parsed: every byte up to 0x20 is
// whitespace, and a UTF-8 BOM opens a document when cJSON would skip it.
// Pure functions on bytes; safe on any input, any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wsmock::json {

// [begin, end) byte offsets into a JSON text; {npos, npos} for "none".
struct Span {
  size_t begin;
  size_t end;
};

// cJSON's whitespace: every byte from 0x00 to 0x20, not only the four of
// RFC 8259.
inline bool IsSpace(char c) { return static_cast<unsigned char>(c) <= 0x20; }

// The first offset at or after `pos` that is not whitespace (s.size() when
// there is none).
size_t SkipSpace(std::string_view s, size_t pos);

// Where the document's value starts: after a UTF-8 BOM that cJSON skips
// (only at offset 0 of a text longer than 4 bytes), then whitespace.
size_t StartOfDocument(std::string_view s);

// The offset just past the string literal whose opening quote is at `pos`,
// or npos when the text ends inside it.
size_t EndOfString(std::string_view s, size_t pos);

// The offset just past the value whose first byte is at `pos`: a string, an
// object or array (brackets balanced, strings skipped), or a scalar running
// up to whitespace, ',', ']' or '}'. npos when the text ends inside a string
// or a container. Only ends are found: the value is not validated.
size_t EndOfValue(std::string_view s, size_t pos);

// The bytes cJSON reads as one number, up to the first other byte: digits,
// '-', '+', '.', 'e' and 'E'.
bool IsNumberByte(char c);

// Whether `token` is exactly one RFC 8259 number,
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
bool IsJsonNumber(std::string_view token);

// The offset of the first number outside strings in `text` that RFC 8259
// does not allow but cJSON reads (01, 1., -.5, +1, 1.e3), or npos when
// every number is well formed; for text that is sent on as it was written.
size_t FirstLooseNumber(std::string_view text);

// `text` without its whitespace outside strings (and without a BOM cJSON
// skips): the document as written, compact, every value spelt as it was
// (22.0 stays 22.0, where printing a parsed tree gives 22).
std::string WithoutSpace(std::string_view text);

// True when no array or object in `text` nests deeper than `limit` levels
// (brackets inside strings do not count). Stops at the first bracket past
// the limit, so a hostile document costs no more than the limit allows.
bool NestsWithin(std::string_view text, int limit);

// The offset of the first raw control character (below 0x20) inside a
// string of `text`, which RFC 8259 forbids and cJSON lets through; npos if
// there is none.
size_t FirstControlInString(std::string_view text);

// The offset of the first "\u0000" escape in `text`: valid JSON, but cJSON
// keeps strings as C strings and would cut the string there, so that
// "getStations\u0000x" read as "getStations". npos if there is none. One
// memchr when the text has no backslash at all.
size_t FirstNulEscape(std::string_view text);

// The value of the top-level member `key` of the JSON object `text`, without
// building a tree, or {npos, npos} when the text is not an object or has no
// such member. Keys are compared as raw bytes, so a key spelled with escapes
// ("\u0069d") is not found; with duplicate keys the first is found.
Span FindTopLevelValue(std::string_view text, std::string_view key);

}  // namespace wsmock::json
