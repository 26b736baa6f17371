#include "util/percent_encoding.h"

namespace wsmock {

void AppendPercentEncoded(std::string* out, std::string_view bytes, bool (*keep)(unsigned char)) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : bytes) {
    if (keep(c)) {
      out->push_back(static_cast<char>(c));
    } else {
      out->push_back('%');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xf]);
    }
  }
}

}  // namespace wsmock
