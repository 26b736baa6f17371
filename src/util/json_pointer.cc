#include "util/json_pointer.h"

#include <cstring>

namespace wsmock::json {
namespace {

bool IsIndex(const std::string& token) {
  if (token.empty() || token.size() > 9) return false;
  if (token.size() > 1 && token[0] == '0') return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<JsonPointer> JsonPointer::Parse(std::string_view text) {
  JsonPointer p;
  p.text_ = std::string(text);
  if (text.empty()) return p;
  if (text[0] != '/') {
    return Status::InvalidArgument("JSON pointer '" + std::string(text) + "' must start with '/'");
  }
  std::string token;
  for (size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      p.tokens_.push_back(token);
      token.clear();
    } else if (text[i] == '~') {
      if (i + 1 < text.size() && (text[i + 1] == '0' || text[i + 1] == '1')) {
        token.push_back(text[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        return Status::InvalidArgument("JSON pointer '" + std::string(text) +
                                       "' has '~' not followed by 0 or 1");
      }
    } else {
      token.push_back(text[i]);
    }
  }
  return p;
}

// Calls fn(parent, child) for every node the pointer matches below `node`.
template <typename Fn>
void JsonPointer::Visit(cJSON* node, size_t depth, Fn&& fn) const {
  if (node == nullptr || depth >= tokens_.size()) return;
  const std::string& token = tokens_[depth];
  const bool last = depth + 1 == tokens_.size();
  if (!cJSON_IsObject(node) && !cJSON_IsArray(node)) return;
  int index = 0;
  const bool wanted_index = cJSON_IsArray(node) && IsIndex(token);
  const int wanted = wanted_index ? std::stoi(token) : -1;
  for (cJSON* child = node->child; child != nullptr;) {
    cJSON* next = child->next;  // fn may detach `child`
    bool match = token == "*" || (cJSON_IsObject(node) && child->string != nullptr &&
                                  token == child->string) ||
                 (wanted_index && index == wanted);
    if (match) {
      if (last) {
        fn(node, child);
      } else {
        Visit(child, depth + 1, fn);
      }
    }
    child = next;
    ++index;
  }
}

int JsonPointer::RemoveFrom(cJSON* root) const {
  int count = 0;
  Visit(root, 0, [&](cJSON* parent, cJSON* child) {
    cJSON_Delete(cJSON_DetachItemViaPointer(parent, child));
    ++count;
  });
  return count;
}

int JsonPointer::ReplaceIn(cJSON* root, std::string_view marker) const {
  int count = 0;
  std::string m(marker);
  Visit(root, 0, [&](cJSON* parent, cJSON* child) {
    cJSON* marker_node = cJSON_CreateString(m.c_str());
    if (cJSON_IsObject(parent)) {
      // Keeps the member's key, which ReplaceItemViaPointer would drop.
      marker_node->string = static_cast<char*>(cJSON_malloc(std::strlen(child->string) + 1));
      std::strcpy(marker_node->string, child->string);
    }
    cJSON_ReplaceItemViaPointer(parent, child, marker_node);
    ++count;
  });
  return count;
}

}  // namespace wsmock::json
