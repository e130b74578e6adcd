#include "api/control/json_reader.h"

#include <charconv>

namespace tailor::api {

const nlohmann::json* JsonReader::Find(std::string_view key, bool required) {
  auto it = body_.is_object() ? body_.find(key) : body_.end();
  if (body_.is_object() && it != body_.end() && !it->is_null()) return &*it;
  if (required) Fail(key, "is required");
  return nullptr;
}

bool JsonReader::Has(std::string_view key) const {
  if (!body_.is_object()) return false;
  auto it = body_.find(key);
  return it != body_.end() && !it->is_null();
}

void JsonReader::Fail(std::string_view key, std::string_view what) {
  if (!sink_->ok()) return;  // keep the first problem
  *sink_ = Status::InvalidInput(prefix_ + std::string(key) + " " + std::string(what) + ".");
}

std::string JsonReader::String(std::string_view key, bool required) {
  const nlohmann::json* v = Find(key, required);
  if (!v) return "";
  if (!v->is_string()) {
    Fail(key, "must be a string");
    return "";
  }
  if (required && v->get_ref<const std::string&>().empty()) Fail(key, "must not be empty");
  return v->get<std::string>();
}

int JsonReader::Int(std::string_view key, int fallback, bool required) {
  const nlohmann::json* v = Find(key, required);
  if (!v) return fallback;
  if (!v->is_number_integer()) {
    Fail(key, "must be an integer");
    return fallback;
  }
  int64_t x = v->get<int64_t>();
  if (x < INT32_MIN || x > INT32_MAX) {
    Fail(key, "is out of range");
    return fallback;
  }
  return static_cast<int>(x);
}

double JsonReader::Double(std::string_view key, double fallback, bool required) {
  const nlohmann::json* v = Find(key, required);
  if (!v) return fallback;
  if (!v->is_number()) {
    Fail(key, "must be a number");
    return fallback;
  }
  return v->get<double>();
}

int JsonReader::IntString(std::string_view key, int fallback, int min, int max) {
  const nlohmann::json* v = Find(key, false);
  if (!v) return fallback;
  const std::string what = "must be a string holding an integer from " + std::to_string(min) +
                           " to " + std::to_string(max);
  if (!v->is_string()) {
    Fail(key, what);
    return fallback;
  }
  const std::string& text = v->get_ref<const std::string&>();
  int64_t x = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || x < min || x > max) {
    Fail(key, what + "; got \"" + text.substr(0, 40) + "\"");
    return fallback;
  }
  return static_cast<int>(x);
}

bool JsonReader::Bool(std::string_view key, bool fallback) {
  const nlohmann::json* v = Find(key, false);
  if (!v) return fallback;
  if (!v->is_boolean()) {
    Fail(key, "must be true or false");
    return fallback;
  }
  return v->get<bool>();
}

std::vector<std::string> JsonReader::StringList(std::string_view key, bool required) {
  std::vector<std::string> out;
  const nlohmann::json* v = Find(key, required);
  if (!v) return out;
  if (!v->is_array()) {
    Fail(key, "must be a list of strings");
    return out;
  }
  for (const auto& item : *v) {
    if (!item.is_string()) {
      Fail(key, "must be a list of strings");
      return {};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> JsonReader::StringMap(std::string_view key, size_t max_entries) {
  std::map<std::string, std::string> out;
  const nlohmann::json* v = Find(key, false);
  if (!v) return out;
  if (!v->is_object()) {
    Fail(key, "must be a map of strings to strings");
    return out;
  }
  if (v->size() > max_entries) {
    Fail(key, "may hold at most " + std::to_string(max_entries) + " entries");
    return out;
  }
  for (const auto& [name, value] : v->items()) {
    if (!value.is_string()) {
      Fail(std::string(key) + "." + name, "must be a string");
      return {};
    }
    out[name] = value.get<std::string>();
  }
  return out;
}

std::map<std::string, std::vector<std::string>> JsonReader::StringListMap(std::string_view key,
                                                                          size_t max_entries) {
  std::map<std::string, std::vector<std::string>> out;
  const nlohmann::json* v = Find(key, false);
  if (!v) return out;
  if (!v->is_object() || v->size() > max_entries) {
    Fail(key, "must be a map of at most " + std::to_string(max_entries) +
                  " entries to lists of strings");
    return out;
  }
  for (const auto& [name, list] : v->items()) {
    if (!list.is_array()) {
      Fail(std::string(key) + "." + name, "must be a list of strings");
      return {};
    }
    for (const auto& value : list) {
      if (!value.is_string()) {
        Fail(std::string(key) + "." + name, "must be a list of strings");
        return {};
      }
      out[name].push_back(value.get<std::string>());
    }
  }
  return out;
}

core::Tags JsonReader::TagList(std::string_view key, bool required) {
  core::Tags out;
  const nlohmann::json* v = Find(key, required);
  if (!v) return out;
  if (!v->is_array()) {
    Fail(key, "must be a list of {tagKey, tagValue}");
    return out;
  }
  if (v->size() > 200) {
    Fail(key, "may hold at most 200 tags");
    return out;
  }
  for (const auto& item : *v) {
    if (!item.is_object() || !item.contains("tagKey") || !item["tagKey"].is_string() ||
        !item.contains("tagValue") || !item["tagValue"].is_string()) {
      Fail(key, "must be a list of {tagKey, tagValue} with string members");
      return {};
    }
    out[item["tagKey"].get<std::string>()] = item["tagValue"].get<std::string>();
  }
  return out;
}

JsonReader JsonReader::Object(std::string_view key, bool required) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json* v = Find(key, required);
  if (v && !v->is_object()) {
    Fail(key, "must be an object");
    v = nullptr;
  }
  return JsonReader(v ? *v : kEmpty, prefix_ + std::string(key) + ".", sink_);
}

void JsonReader::ObjectList(std::string_view key, const std::function<void(JsonReader&)>& read,
                            size_t max_entries) {
  const nlohmann::json* v = Find(key, false);
  if (!v) return;
  if (!v->is_array()) {
    Fail(key, "must be a list of objects");
    return;
  }
  if (v->size() > max_entries) {
    Fail(key, "may hold at most " + std::to_string(max_entries) + " entries");
    return;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const std::string element = std::string(key) + "[" + std::to_string(i) + "]";
    if (!(*v)[i].is_object()) {
      Fail(element, "must be an object");
      return;
    }
    JsonReader reader((*v)[i], prefix_ + element + ".", sink_);
    read(reader);
  }
}

}  // namespace tailor::api
