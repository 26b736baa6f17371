#include "verify/json_diff.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "util/printable_text.h"

namespace wsmock::verify {
namespace {

// RFC 6901: '~' and '/' inside a token are escaped.
std::string Child(const std::string& path, std::string_view token) {
  std::string out = path;
  out.push_back('/');
  for (char c : token) {
    if (c == '~') {
      out.append("~0");
    } else if (c == '/') {
      out.append("~1");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

using Member = std::pair<std::string_view, const cJSON*>;

// Members by key bytes; a repeated key keeps its order, so the n-th of one
// side meets the n-th of the other.
std::vector<Member> SortedMembers(const cJSON* object) {
  std::vector<Member> members;
  for (const cJSON* c = object->child; c != nullptr; c = c->next) {
    members.emplace_back(c->string != nullptr ? c->string : "", c);
  }
  std::stable_sort(members.begin(), members.end(),
                   [](const Member& a, const Member& b) { return a.first < b.first; });
  return members;
}

// Numbers in their shortest round-trip form: a reader compares 55.038091
// with what the server sent, not with 55.038091000000001.
void AppendShortestNumber(std::string* out, double value) {
  if (std::trunc(value) == value && std::fabs(value) < 9007199254740992.0) {
    out->append(std::to_string(static_cast<int64_t>(value)));
    return;
  }
  char buf[32];
  char* end = std::to_chars(buf, buf + sizeof buf, value).ptr;
  out->append(buf, static_cast<size_t>(end - buf));
}

// Compact JSON with members sorted (so member order never shows as a change),
// written only until the text is long enough to be cut.
void AppendDisplay(std::string* out, const cJSON* node) {
  if (out->size() > kMaxValueText) return;
  if (cJSON_IsNumber(node)) {
    AppendShortestNumber(out, node->valuedouble);
  } else if (cJSON_IsArray(node)) {
    out->push_back('[');
    for (const cJSON* c = node->child; c != nullptr; c = c->next) {
      if (c != node->child) out->push_back(',');
      AppendDisplay(out, c);
    }
    out->push_back(']');
  } else if (cJSON_IsObject(node)) {
    out->push_back('{');
    bool first = true;
    for (const auto& [key, child] : SortedMembers(node)) {
      if (!first) out->push_back(',');
      first = false;
      json::AppendString(out, key);
      out->push_back(':');
      AppendDisplay(out, child);
    }
    out->push_back('}');
  } else {
    json::Append(out, node);  // null, true, false, a string
  }
}

// A JSON value as one report line: printable and cut to kMaxValueText.
std::string ValueText(const cJSON* node) {
  std::string text;
  AppendDisplay(&text, node);
  return PrintableCut(text, kMaxValueText);
}

void Compare(const std::string& path, const cJSON* r, const cJSON* a, std::vector<Difference>* out);

void Added(const std::string& path, const cJSON* a, std::vector<Difference>* out) {
  out->push_back({path, DiffKind::kFieldAdded, "", ValueText(a)});
}

void Removed(const std::string& path, const cJSON* r, std::vector<Difference>* out) {
  out->push_back({path, DiffKind::kFieldRemoved, ValueText(r), ""});
}

void CompareObjects(const std::string& path, const cJSON* r, const cJSON* a,
                    std::vector<Difference>* out) {
  std::vector<Member> rm = SortedMembers(r), am = SortedMembers(a);
  size_t i = 0, j = 0;
  while (i < rm.size() || j < am.size()) {
    if (j == am.size() || (i < rm.size() && rm[i].first < am[j].first)) {
      Removed(Child(path, rm[i].first), rm[i].second, out);
      ++i;
    } else if (i == rm.size() || am[j].first < rm[i].first) {
      Added(Child(path, am[j].first), am[j].second, out);
      ++j;
    } else {
      Compare(Child(path, rm[i].first), rm[i].second, am[j].second, out);
      ++i;
      ++j;
    }
  }
}

void CompareArrays(const std::string& path, const cJSON* r, const cJSON* a,
                   std::vector<Difference>* out) {
  const cJSON* rc = r->child;
  const cJSON* ac = a->child;
  for (size_t index = 0; rc != nullptr || ac != nullptr; ++index) {
    std::string at = Child(path, std::to_string(index));
    if (ac == nullptr) {
      Removed(at, rc, out);
    } else if (rc == nullptr) {
      Added(at, ac, out);
    } else {
      Compare(at, rc, ac, out);
    }
    if (rc != nullptr) rc = rc->next;
    if (ac != nullptr) ac = ac->next;
  }
}

bool SameScalar(const cJSON* r, const cJSON* a) {
  if (cJSON_IsBool(r)) return cJSON_IsTrue(r) == cJSON_IsTrue(a);
  if (cJSON_IsNumber(r)) return r->valuedouble == a->valuedouble;
  if (cJSON_IsString(r)) return std::strcmp(r->valuestring, a->valuestring) == 0;
  return true;  // null
}

void Compare(const std::string& path, const cJSON* r, const cJSON* a,
             std::vector<Difference>* out) {
  if (std::strcmp(json::TypeName(r), json::TypeName(a)) != 0) {
    out->push_back({path, DiffKind::kTypeChanged, ValueText(r), ValueText(a)});
  } else if (cJSON_IsObject(r)) {
    CompareObjects(path, r, a, out);
  } else if (cJSON_IsArray(r)) {
    CompareArrays(path, r, a, out);
  } else if (!SameScalar(r, a)) {
    out->push_back({path, DiffKind::kValueChanged, ValueText(r), ValueText(a)});
  }
}

}  // namespace

std::string_view DiffKindName(DiffKind kind) {
  switch (kind) {
    case DiffKind::kFieldAdded:
      return "field added";
    case DiffKind::kFieldRemoved:
      return "field removed";
    case DiffKind::kTypeChanged:
      return "type changed";
    case DiffKind::kValueChanged:
      return "value changed";
  }
  return "value changed";
}

bool IsSchemaChange(DiffKind kind) { return kind != DiffKind::kValueChanged; }

Result<JsonDiffer> JsonDiffer::Create(const std::vector<std::string>& ignore) {
  JsonDiffer differ;
  for (const std::string& text : ignore) {
    if (text.empty()) {
      return Status::InvalidArgument(
          "--ignore '': the empty JSON pointer would ignore the whole message");
    }
    Result<json::JsonPointer> pointer = json::JsonPointer::Parse(text);
    if (!pointer.ok()) return pointer.status().WithContext("--ignore '" + text + "'");
    differ.ignore_.push_back(std::move(pointer).value());
  }
  return differ;
}

json::JsonPtr JsonDiffer::Prepare(std::string_view text) const {
  Result<json::JsonPtr> parsed = json::Parse(text);
  if (!parsed.ok()) return nullptr;
  json::JsonPtr root = std::move(parsed).value();
  for (const json::JsonPointer& p : ignore_) p.RemoveFrom(root.get());
  return root;
}

std::vector<Difference> JsonDiffer::Diff(std::string_view recorded, std::string_view actual) const {
  json::JsonPtr r = Prepare(recorded);
  json::JsonPtr a = Prepare(actual);
  if (r && a) return DiffTrees(r.get(), a.get());
  if (!r && !a && recorded == actual) return {};
  std::string r_text = r ? ValueText(r.get()) : PrintableCut(recorded, kMaxValueText);
  std::string a_text = a ? ValueText(a.get()) : PrintableCut(actual, kMaxValueText);
  DiffKind kind = (!r && !a) ? DiffKind::kValueChanged : DiffKind::kTypeChanged;
  return {Difference{"", kind, std::move(r_text), std::move(a_text)}};
}

std::vector<Difference> JsonDiffer::DiffTrees(const cJSON* recorded, const cJSON* actual) {
  std::vector<Difference> out;
  Compare("", recorded, actual, &out);
  return out;
}

}  // namespace wsmock::verify
