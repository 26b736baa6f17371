#include "util/json_document.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstring>
#include <new>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "util/json_scan.h"

namespace wsmock::json {

// Builds a Document's tree in its arena, or gives up (false) at the first
// byte it does not take; the caller then asks json::Parse. Giving up is always
// safe, so the reader takes only what it can build exactly as cJSON would:
// every rule below says which of cJSON's readings it repeats or leaves to it.
class ArenaReader {
 public:
  ArenaReader(std::string_view text, Document* document) : text_(text), document_(document) {}

  // The tree, or nullptr when the reader gives up.
  cJSON* Read() {
    // cJSON skips a UTF-8 byte order mark at the start of a text longer than 4 bytes.
    if (text_.size() > 4 && text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    SkipSpace();
    cJSON* root = NewNode();
    if (!ReadValue(root, 0)) return nullptr;
    // json::Parse's rule after the value: RFC 8259 whitespace, or NUL.
    for (; pos_ < text_.size(); ++pos_) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\0') return nullptr;
    }
    return root;
  }

 private:
  // cJSON's whitespace between tokens: every byte up to 0x20.
  void SkipSpace() {
    while (pos_ < text_.size() && static_cast<unsigned char>(text_[pos_]) <= 0x20) ++pos_;
  }
  bool At(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool ReadValue(cJSON* node, int depth) {
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case 'n':
        node->type = cJSON_NULL;
        return Literal("null");
      case 'f':
        node->type = cJSON_False;
        return Literal("false");
      case 't':
        node->type = cJSON_True;
        node->valueint = 1;
        return Literal("true");
      case '"':
        node->type = cJSON_String;
        return ReadString(&node->valuestring);
      case '[':
        return ReadContainer(node, depth + 1, cJSON_Array, ']');
      case '{':
        return ReadContainer(node, depth + 1, cJSON_Object, '}');
      default:
        return ReadNumber(node);
    }
  }

  // An array's elements or an object's members, linked as cJSON links them:
  // next and prev, and the first child's prev pointing at the last.
  bool ReadContainer(cJSON* node, int depth, int type, char close) {
    if (depth > kMaxDepth) return false;  // json::Parse's depth error
    node->type = type;
    ++pos_;
    SkipSpace();
    if (At(close)) {
      ++pos_;
      return true;
    }
    cJSON* last = nullptr;
    while (true) {
      cJSON* child = NewNode();
      if (type == cJSON_Object) {
        if (!At('"') || !ReadString(&child->string)) return false;
        SkipSpace();
        if (!At(':')) return false;
        ++pos_;
        SkipSpace();
      }
      if (!ReadValue(child, depth)) return false;
      if (last == nullptr) {
        node->child = child;
      } else {
        last->next = child;
        child->prev = last;
      }
      last = child;
      SkipSpace();
      if (At(',')) {
        ++pos_;
        SkipSpace();
        continue;
      }
      if (!At(close)) return false;
      ++pos_;
      node->child->prev = last;
      return true;
    }
  }

  // A string literal whose quote is at pos_, unescaped into the arena and
  // NUL-terminated. Left to cJSON: raw control bytes (json::Parse's error),
  // unknown escapes, \u with fewer than four hex digits or a lone surrogate,
  // and \u0000, which cJSON keeps and so cuts the C string short.
  bool ReadString(char** out) {
    const size_t begin = pos_ + 1;
    size_t end = begin;
    bool escaped = false;
    while (true) {
      end = StringStop(end);
      if (end >= text_.size()) return false;
      const char c = text_[end];
      if (c == '"') break;
      if (c != '\\') return false;  // a control byte
      escaped = true;
      end += 2;  // the escape's letter cannot end the literal
    }
    char* chars = NewChars(end - begin + 1);
    std::string_view literal = text_.substr(begin, end - begin);
    size_t length = literal.size();
    if (!escaped) {
      std::memcpy(chars, literal.data(), literal.size());
    } else if (!Unescape(literal, chars, &length)) {
      return false;
    }
    chars[length] = '\0';
    *out = chars;
    pos_ = end + 1;
    return true;
  }

  // The offset of the first quote, backslash or control byte at or after
  // `from`, or text_.size(). Sixteen bytes a step where the text has them:
  // a request's strings are short, and byte by byte they were half the reading.
  size_t StringStop(size_t from) const {
    const auto stops = [](unsigned char c) { return c == '"' || c == '\\' || c < 0x20; };
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1f);
    for (; from + 16 <= text_.size(); from += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text_.data() + from));
      // A byte is below 0x20 when max(byte, 0x1f) == 0x1f.
      const __m128i hits =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                       _mm_cmpeq_epi8(_mm_max_epu8(v, control), control));
      if (const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits))) {
        return from + static_cast<size_t>(__builtin_ctz(mask));
      }
    }
#endif
    while (from < text_.size() && !stops(static_cast<unsigned char>(text_[from]))) ++from;
    return from;
  }

  static int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  // The four hex digits of "\uXXXX" at `at` in `s`, or -1.
  static long Hex4(std::string_view s, size_t at) {
    if (at + 6 > s.size() || s[at] != '\\' || s[at + 1] != 'u') return -1;
    long code = 0;
    for (size_t i = at + 2; i < at + 6; ++i) {
      const int digit = HexDigit(s[i]);
      if (digit < 0) return -1;
      code = code * 16 + digit;
    }
    return code;
  }

  static size_t AppendUtf8(unsigned long cp, char* out) {
    if (cp < 0x80) {
      out[0] = static_cast<char>(cp);
      return 1;
    }
    if (cp < 0x800) {
      out[0] = static_cast<char>(0xC0 | (cp >> 6));
      out[1] = static_cast<char>(0x80 | (cp & 0x3F));
      return 2;
    }
    if (cp < 0x10000) {
      out[0] = static_cast<char>(0xE0 | (cp >> 12));
      out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out[2] = static_cast<char>(0x80 | (cp & 0x3F));
      return 3;
    }
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
  }

  // The byte a one-letter escape stands for, or NUL for none.
  static char Unescaped(char kind) {
    switch (kind) {
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '"':
      case '\\':
      case '/':
        return kind;
      default:
        return '\0';
    }
  }

  // Unescapes `s` into `out` (never longer than s), its length in *length.
  static bool Unescape(std::string_view s, char* out, size_t* length) {
    size_t o = 0;
    for (size_t i = 0; i < s.size();) {
      if (s[i] != '\\') {
        out[o++] = s[i++];
        continue;
      }
      const char kind = s[i + 1];  // the scan ended no literal on a backslash
      if (kind != 'u') {
        const char byte = Unescaped(kind);
        if (byte == '\0') return false;
        out[o++] = byte;
        i += 2;
        continue;
      }
      const long first = Hex4(s, i);
      if (first <= 0 || (first >= 0xDC00 && first <= 0xDFFF)) return false;
      unsigned long cp = static_cast<unsigned long>(first);
      i += 6;
      if (first >= 0xD800 && first <= 0xDBFF) {
        const long second = Hex4(s, i);
        if (second < 0xDC00 || second > 0xDFFF) return false;
        cp = 0x10000 + ((cp & 0x3FF) << 10) + (static_cast<unsigned long>(second) & 0x3FF);
        i += 6;
      }
      o += AppendUtf8(cp, out + o);
    }
    *length = o;
    return true;
  }

  // An RFC 8259 number. cJSON reads the longest run of [0-9+-eE.] with
  // strtod, so the reader takes a number only when the run is exactly it
  // (1.5e3, not 01, 1. or 1e5e); from_chars, correctly rounded as glibc's
  // strtod is, then gives the same double. Beyond a double's range (1e400,
  // which strtod makes infinite) is left to cJSON too.
  bool ReadNumber(cJSON* node) {
    size_t end = pos_;
    while (end < text_.size() && IsNumberByte(text_[end])) ++end;
    if (!IsJsonNumber(text_.substr(pos_, end - pos_))) return false;
    double value = 0;
    const auto [stop, error] = std::from_chars(text_.data() + pos_, text_.data() + end, value);
    if (error != std::errc() || stop != text_.data() + end) return false;
    node->type = cJSON_Number;
    node->valuedouble = value;
    // cJSON's saturating conversion.
    if (value >= INT_MAX) {
      node->valueint = INT_MAX;
    } else if (value <= static_cast<double>(INT_MIN)) {
      node->valueint = INT_MIN;
    } else {
      node->valueint = static_cast<int>(value);
    }
    pos_ = end;
    return true;
  }

  cJSON* NewNode() { return new (Allocate(sizeof(cJSON), alignof(cJSON))) cJSON{}; }
  char* NewChars(size_t size) { return reinterpret_cast<char*>(Allocate(size, 1)); }

  // Bump allocation; align is a power of two. Blocks are 1 KiB, the largest
  // that glibc's per-thread cache hands out and takes back without a search
  // (a 2 KiB block cost getStationById 500 instructions in malloc and free);
  // a typical request fits one, seed example 2 two. Past eight blocks each
  // is twice the last, so a document of n bytes costs O(log n) of them.
  std::byte* Allocate(size_t size, size_t align) {
    size_t at = (used_ + align - 1) & ~(align - 1);
    if (block_ == nullptr || at + size > capacity_) {
      constexpr size_t kBlockBytes = 1024;
      const size_t blocks = document_->more_blocks_.size() + (block_ != nullptr);
      const size_t want = std::max(size, blocks < 8 ? kBlockBytes : capacity_ * 2);
      auto block = std::make_unique_for_overwrite<std::byte[]>(want);
      block_ = block.get();
      if (document_->first_block_ == nullptr) {
        document_->first_block_ = std::move(block);
      } else {
        document_->more_blocks_.push_back(std::move(block));
      }
      capacity_ = want;
      at = 0;  // new[] aligns for every fundamental type
    }
    used_ = at + size;
    return block_ + at;
  }

  std::string_view text_;
  Document* document_;
  size_t pos_ = 0;
  std::byte* block_ = nullptr;
  size_t capacity_ = 0;
  size_t used_ = 0;
};

Result<Document> Document::Parse(std::string_view text) {
  Document document;
  if (const cJSON* root = ArenaReader(text, &document).Read()) {
    document.root_ = root;
    return document;
  }
  auto parsed = json::Parse(text);
  if (!parsed.ok()) return parsed.status();
  return Adopt(std::move(parsed).value());
}

Document::Document(Document&& other) noexcept
    : first_block_(std::move(other.first_block_)),
      more_blocks_(std::move(other.more_blocks_)),
      tree_(std::move(other.tree_)),
      root_(std::exchange(other.root_, nullptr)) {}

Document& Document::operator=(Document&& other) noexcept {
  first_block_ = std::move(other.first_block_);
  more_blocks_ = std::move(other.more_blocks_);
  tree_ = std::move(other.tree_);
  root_ = std::exchange(other.root_, nullptr);
  return *this;
}

Document Document::Adopt(JsonPtr tree) {
  Document document;
  document.root_ = tree.get();
  document.tree_ = std::move(tree);
  return document;
}

}  // namespace wsmock::json
