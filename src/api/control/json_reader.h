// JsonReader: reads the members of a request body with their wire types, remembering the first
// problem (a missing required member, a member of the wrong type) as an InvalidInput Status
// that names the member. Unknown members are ignored, as the protocol asks.
// Thread-safety: not thread-safe; one reader per request.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "core/resources.h"

namespace tailor::api {

class JsonReader {
 public:
  // REQUIRES: `body` outlives the reader.
  explicit JsonReader(const nlohmann::json& body) : body_(body), sink_(&own_status_) {}
  JsonReader(const JsonReader&) = delete;
  JsonReader& operator=(const JsonReader&) = delete;

  // A string member; "" when absent and not required.
  std::string String(std::string_view key, bool required = false);
  // Whether the member is present (and not null).
  bool Has(std::string_view key) const;

  // An integer member; `fallback` when absent.
  int Int(std::string_view key, int fallback, bool required = false);
  // A number member, integer or with a fraction; `fallback` when absent.
  double Double(std::string_view key, double fallback, bool required = false);
  // A string member holding a decimal integer in [min, max], as hpoResourceConfig sends
  // ("maxNumberOfTrainingJobs": "40"); `fallback` when absent.
  int IntString(std::string_view key, int fallback, int min, int max);
  // A boolean member; `fallback` when absent.
  bool Bool(std::string_view key, bool fallback);
  // A list of strings; empty when absent.
  std::vector<std::string> StringList(std::string_view key, bool required = false);
  // A map of strings to strings (algorithmHyperParameters...) of at most `max_entries`
  // entries; empty when absent. A value of another type is named "key.entry".
  std::map<std::string, std::string> StringMap(std::string_view key, size_t max_entries = 100);
  // A map of strings to lists of strings (metadataColumns) of at most `max_entries` entries;
  // empty when absent.
  std::map<std::string, std::vector<std::string>> StringListMap(std::string_view key,
                                                                size_t max_entries = 100);
  // Personalize's tag list [{"tagKey": k, "tagValue": v}]; empty when absent.
  core::Tags TagList(std::string_view key, bool required = false);
  // A reader of a nested object (over an empty object when absent) whose problems are
  // recorded in this reader's status. REQUIRES: this reader outlives it.
  JsonReader Object(std::string_view key, bool required = false);

  // Calls `read` with a reader of each object of a list of at most `max_entries` (no calls
  // when absent). Problems inside element i are named "key[i].member", and are recorded in
  // this reader's status. The element reader is valid only during its call.
  void ObjectList(std::string_view key, const std::function<void(JsonReader&)>& read,
                  size_t max_entries = 100);

  // OK, or the first problem found (also in nested readers).
  const Status& status() const { return *sink_; }

 private:
  JsonReader(const nlohmann::json& body, std::string prefix, Status* sink)
      : body_(body), prefix_(std::move(prefix)), sink_(sink) {}
  const nlohmann::json* Find(std::string_view key, bool required);
  void Fail(std::string_view key, std::string_view what);

  const nlohmann::json& body_;
  std::string
      prefix_;  // "dataSource." or "list[2]." in nested readers, so messages name the full path
  Status own_status_;
  Status* sink_;  // &own_status_, or the root reader's
};

}  // namespace tailor::api
