// Schema: the Avro subset that Personalize accepts (personalize-semantics.md §3.1), parsed once
// into fields, and the rules each dataset type puts on it.
// Thread-safety: value types and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor::data {

enum class DatasetType { kInteractions, kItems, kUsers, kActions, kActionInteractions };

// Parses "Interactions", "items", "ACTION_INTERACTIONS"... case-insensitively.
// InvalidInput naming `datasetType` otherwise.
StatusOr<DatasetType> ParseDatasetType(std::string_view text);
// "Interactions", "Items", "Users", "Actions", "Action_Interactions": the wire spelling.
std::string_view DatasetTypeName(DatasetType type);
// "INTERACTIONS", "ITEMS", ...: the spelling in dataset ARNs.
std::string_view DatasetTypeArnName(DatasetType type);

enum class FieldType { kString, kInt, kLong, kFloat, kDouble, kBoolean };
std::string_view FieldTypeName(FieldType type);  // "string", "int", ...

struct Field {
  std::string name;
  FieldType type = FieldType::kString;
  bool nullable = false;     // declared as a union with "null"
  bool categorical = false;  // strings only; values may hold several, separated by '|'
  bool textual = false;      // strings only, Items only
};

struct Schema {
  std::string name;  // the record's name
  std::vector<Field> fields;

  // The field with this exact name, or nullptr. Borrowed: valid while the schema lives.
  const Field* Find(std::string_view field_name) const;
  // The field that `key` names ignoring case and '_', as the camelCase keys of PutEvents /
  // PutItems / PutUsers properties name fields ("numberOfRatings" ↔ NUMBER_OF_RATINGS, §8);
  // nullptr when none. ParseSchema keeps folded names distinct, so there is at most one.
  const Field* FindFolded(std::string_view key) const;
};

// A field name's comparison key: upper case without '_'.
std::string FoldFieldName(std::string_view name);

// Whether an Interactions field is contextual metadata (DEVICE, LOCATION...): a string field
// other than the reserved ones (USER_ID, ITEM_ID, EVENT_TYPE, IMPRESSION, ...).
bool IsContextField(const Field& field);

// Parses an Avro record schema. InvalidInput naming the field and the rule broken when the JSON
// is malformed, the top level is not a record, a field type is outside the subset, a flag sits
// on a non-string field, names repeat (also after folding case and dropping '_'), ...
StatusOr<Schema> ParseSchema(std::string_view avro_json);

// Checks the rules of a dataset type: required fields and their types (USER_ID, ITEM_ID,
// TIMESTAMP for Interactions...), reserved field types, never-nullable ids, metadata limits, and
// the extra rules of a domain ("" = custom, "ECOMMERCE", "VIDEO_ON_DEMAND").
// InvalidInput naming the field and the rule.
Status ValidateSchemaForDataset(const Schema& schema, DatasetType type, std::string_view domain);

}  // namespace tailor::data
