// Avro-subset parsing and the per-dataset-type rules of personalize-semantics.md §3.1.
#include "data/schema.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

namespace tailor::data {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSupportedTypes = "string, int, long, float, double or boolean";

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsAvroName(std::string_view name) {
  if (name.empty()) return false;
  auto c0 = static_cast<unsigned char>(name[0]);
  if (!std::isalpha(c0) && c0 != '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::optional<FieldType> PrimitiveType(std::string_view name) {
  if (name == "string") return FieldType::kString;
  if (name == "int") return FieldType::kInt;
  if (name == "long") return FieldType::kLong;
  if (name == "float") return FieldType::kFloat;
  if (name == "double") return FieldType::kDouble;
  if (name == "boolean") return FieldType::kBoolean;
  return std::nullopt;
}

std::string FieldPrefix(const std::string& name) { return "Field '" + name + "': "; }

// Reads one field's "type" member into `field`.
Status ParseFieldType(const Json& type, Field* field) {
  const std::string prefix = FieldPrefix(field->name);
  if (type.is_string()) {
    const auto& name = type.get_ref<const std::string&>();
    auto primitive = PrimitiveType(name);
    if (!primitive) {
      return Status::InvalidInput(prefix + "type '" + name + "' is not supported; use " +
                                  std::string(kSupportedTypes));
    }
    field->type = *primitive;
    return Status::OK();
  }
  if (type.is_array()) {
    const std::string rule = prefix +
                             "a union must have exactly two members, \"null\" and one of " +
                             std::string(kSupportedTypes);
    if (type.size() != 2 || !type[0].is_string() || !type[1].is_string()) {
      return Status::InvalidInput(rule);
    }
    const auto& a = type[0].get_ref<const std::string&>();
    const auto& b = type[1].get_ref<const std::string&>();
    const std::string& other = a == "null" ? b : a;
    if ((a == "null") == (b == "null")) return Status::InvalidInput(rule);
    auto primitive = PrimitiveType(other);
    if (!primitive) {
      return Status::InvalidInput(prefix + "type '" + other + "' is not supported; use " +
                                  std::string(kSupportedTypes));
    }
    field->type = *primitive;
    field->nullable = true;
    return Status::OK();
  }
  if (type.is_object()) {
    return Status::InvalidInput(prefix +
                                "complex types (record, array, map, enum, fixed and logical "
                                "types) are not supported; use " +
                                std::string(kSupportedTypes));
  }
  return Status::InvalidInput(prefix + "'type' must be a type name or a union with \"null\"");
}

Status ParseFlag(const Json& object, const char* key, Field* field, bool* flag) {
  auto it = object.find(key);
  if (it == object.end()) return Status::OK();
  if (!it->is_boolean()) {
    return Status::InvalidInput(FieldPrefix(field->name) + "'" + key + "' must be true or false");
  }
  *flag = it->get<bool>();
  if (*flag && field->type != FieldType::kString) {
    return Status::InvalidInput(FieldPrefix(field->name) + "'" + key +
                                "' applies only to string fields, not " +
                                std::string(FieldTypeName(field->type)));
  }
  return Status::OK();
}

StatusOr<Field> ParseField(const Json& object, size_t index) {
  if (!object.is_object()) {
    return Status::InvalidInput("Field #" + std::to_string(index + 1) + " must be a JSON object");
  }
  auto name_it = object.find("name");
  if (name_it == object.end() || !name_it->is_string()) {
    return Status::InvalidInput("Field #" + std::to_string(index + 1) +
                                ": 'name' is missing or not a string");
  }
  Field field;
  field.name = name_it->get<std::string>();
  if (!IsAvroName(field.name)) {
    return Status::InvalidInput(FieldPrefix(field.name) +
                                "a name must start with a letter or '_' and hold only letters, "
                                "digits and '_'");
  }
  auto type_it = object.find("type");
  if (type_it == object.end()) {
    return Status::InvalidInput(FieldPrefix(field.name) + "'type' is missing");
  }
  TAILOR_RETURN_IF_ERROR(ParseFieldType(*type_it, &field));
  if (object.contains("logicalType")) {
    return Status::InvalidInput(FieldPrefix(field.name) + "logical types are not supported");
  }
  TAILOR_RETURN_IF_ERROR(ParseFlag(object, "categorical", &field, &field.categorical));
  TAILOR_RETURN_IF_ERROR(ParseFlag(object, "textual", &field, &field.textual));
  if (field.categorical && field.textual) {
    return Status::InvalidInput(FieldPrefix(field.name) +
                                "a field cannot be both categorical and textual");
  }
  return field;
}

StatusOr<Schema> ParseSchemaJson(const Json& root) {
  if (!root.is_object()) return Status::InvalidInput("Schema must be a JSON object");
  auto type_it = root.find("type");
  if (type_it == root.end() || !type_it->is_string() || *type_it != "record") {
    return Status::InvalidInput("Schema: the top-level 'type' must be \"record\"");
  }
  Schema schema;
  auto name_it = root.find("name");
  if (name_it == root.end() || !name_it->is_string() ||
      !IsAvroName(name_it->get_ref<const std::string&>())) {
    return Status::InvalidInput("Schema: the record needs a 'name' that is an Avro name");
  }
  schema.name = name_it->get<std::string>();
  auto fields_it = root.find("fields");
  if (fields_it == root.end() || !fields_it->is_array() || fields_it->empty()) {
    return Status::InvalidInput("Schema: 'fields' must be a non-empty array");
  }
  std::map<std::string, std::string> folded;  // folded name -> first name seen
  for (size_t i = 0; i < fields_it->size(); ++i) {
    TAILOR_ASSIGN_OR_RETURN(Field field, ParseField((*fields_it)[i], i));
    auto [it, inserted] = folded.emplace(FoldFieldName(field.name), field.name);
    if (!inserted) {
      if (it->second == field.name) {
        return Status::InvalidInput(FieldPrefix(field.name) + "the name appears more than once");
      }
      return Status::InvalidInput(FieldPrefix(field.name) + "clashes with field '" + it->second +
                                  "': names must differ after ignoring case and '_'");
    }
    schema.fields.push_back(std::move(field));
  }
  return schema;
}

// ---- Dataset rules ----

enum class Nullability { kNever, kAllowed };

// A field with a fixed meaning: its accepted types and whether it may be nullable.
struct ReservedField {
  std::string_view name;
  std::array<std::optional<FieldType>, 2> types;
  Nullability nullable;
  bool required;
};

std::string TypeList(const ReservedField& rule) {
  std::string out(FieldTypeName(*rule.types[0]));
  if (rule.types[1]) out += " or " + std::string(FieldTypeName(*rule.types[1]));
  return out;
}

Status CheckReserved(const Schema& schema, const ReservedField& rule, std::string_view dataset) {
  const Field* field = schema.Find(rule.name);
  if (field == nullptr) {
    if (!rule.required) return Status::OK();
    return Status::InvalidInput("Field '" + std::string(rule.name) + "' is required in " +
                                std::string(dataset) + " schemas");
  }
  if (field->type != rule.types[0] && field->type != rule.types[1]) {
    return Status::InvalidInput(FieldPrefix(field->name) + "must be of type " + TypeList(rule) +
                                " in " + std::string(dataset) + " schemas, not " +
                                std::string(FieldTypeName(field->type)));
  }
  if (field->nullable && rule.nullable == Nullability::kNever) {
    return Status::InvalidInput(FieldPrefix(field->name) + "cannot be nullable");
  }
  if (field->textual) {
    return Status::InvalidInput(FieldPrefix(field->name) + "a reserved field cannot be textual");
  }
  return Status::OK();
}

Status CheckMetadataFields(const Schema& schema, std::string_view dataset, size_t num_reserved,
                           size_t min_fields, size_t max_fields, bool textual_allowed) {
  size_t metadata = schema.fields.size() - num_reserved;
  if (metadata < min_fields) {
    return Status::InvalidInput(std::string(dataset) + " schemas need at least " +
                                std::to_string(min_fields) + " metadata field besides the id");
  }
  if (metadata > max_fields) {
    return Status::InvalidInput(std::string(dataset) + " schemas allow at most " +
                                std::to_string(max_fields) + " metadata fields; this one has " +
                                std::to_string(metadata));
  }
  const Field* textual = nullptr;
  for (const Field& field : schema.fields) {
    if (!field.textual) continue;
    if (!textual_allowed) {
      return Status::InvalidInput(FieldPrefix(field.name) + "'textual' is allowed only in Items " +
                                  "schemas");
    }
    if (textual != nullptr) {
      return Status::InvalidInput(FieldPrefix(field.name) + "only one textual field is allowed; '" +
                                  textual->name + "' is already textual");
    }
    textual = &field;
  }
  return Status::OK();
}

Status RequireCategorical(const Schema& schema, std::string_view name, std::string_view domain) {
  const Field* field = schema.Find(name);
  if (field == nullptr || field->type != FieldType::kString || !field->categorical) {
    return Status::InvalidInput("Field '" + std::string(name) +
                                "' must be a categorical string in " + std::string(domain) +
                                " Items schemas");
  }
  return Status::OK();
}

constexpr auto kString = FieldType::kString;
constexpr auto kLong = FieldType::kLong;
constexpr auto kFloat = FieldType::kFloat;
constexpr auto kDouble = FieldType::kDouble;

Status ValidateInteractions(const Schema& schema, std::string_view domain) {
  constexpr std::string_view kName = "Interactions";
  const ReservedField rules[] = {
      {"USER_ID", {kString, {}}, Nullability::kNever, true},
      {"ITEM_ID", {kString, {}}, Nullability::kNever, true},
      {"TIMESTAMP", {kLong, {}}, Nullability::kNever, true},
      {"EVENT_TYPE", {kString, {}}, Nullability::kNever, !domain.empty()},
      // float is the documented type; double carries the same values, so accept it too.
      {"EVENT_VALUE", {kFloat, kDouble}, Nullability::kAllowed, false},
      {"IMPRESSION", {kString, {}}, Nullability::kAllowed, false},
      {"RECOMMENDATION_ID", {kString, {}}, Nullability::kAllowed, false},
      {"EVENT_ATTRIBUTION_SOURCE", {kString, {}}, Nullability::kAllowed, false},
  };
  for (const auto& rule : rules) TAILOR_RETURN_IF_ERROR(CheckReserved(schema, rule, kName));
  if (const Field* event_type = schema.Find("EVENT_TYPE"); event_type && event_type->categorical) {
    return Status::InvalidInput("Field 'EVENT_TYPE': cannot be categorical");
  }
  size_t reserved = 0;
  for (const auto& rule : rules) reserved += schema.Find(rule.name) != nullptr;
  return CheckMetadataFields(schema, kName, reserved, 0, 5, false);
}

Status ValidateItems(const Schema& schema, std::string_view domain) {
  constexpr std::string_view kName = "Items";
  const ReservedField rules[] = {
      {"ITEM_ID", {kString, {}}, Nullability::kNever, true},
      {"CREATION_TIMESTAMP", {kLong, {}}, Nullability::kAllowed, domain == "VIDEO_ON_DEMAND"},
  };
  for (const auto& rule : rules) TAILOR_RETURN_IF_ERROR(CheckReserved(schema, rule, kName));
  // CREATION_TIMESTAMP counts as metadata: an Items schema of ITEM_ID and it is valid.
  TAILOR_RETURN_IF_ERROR(CheckMetadataFields(schema, kName, 1, 1, 100, true));
  if (domain == "ECOMMERCE") {
    const Field* price = schema.Find("PRICE");
    if (price == nullptr || (price->type != kFloat && price->type != kDouble)) {
      return Status::InvalidInput("Field 'PRICE' must be of type float in ECOMMERCE Items schemas");
    }
    TAILOR_RETURN_IF_ERROR(RequireCategorical(schema, "CATEGORY_L1", domain));
  } else if (domain == "VIDEO_ON_DEMAND") {
    TAILOR_RETURN_IF_ERROR(RequireCategorical(schema, "GENRES", domain));
  }
  return Status::OK();
}

Status ValidateUsers(const Schema& schema) {
  const ReservedField id{"USER_ID", {kString, {}}, Nullability::kNever, true};
  TAILOR_RETURN_IF_ERROR(CheckReserved(schema, id, "Users"));
  return CheckMetadataFields(schema, "Users", 1, 1, 25, false);
}

Status ValidateActions(const Schema& schema) {
  const ReservedField id{"ACTION_ID", {kString, {}}, Nullability::kNever, true};
  TAILOR_RETURN_IF_ERROR(CheckReserved(schema, id, "Actions"));
  return CheckMetadataFields(schema, "Actions", 1, 0, 100, false);
}

Status ValidateActionInteractions(const Schema& schema) {
  constexpr std::string_view kName = "Action_Interactions";
  const ReservedField rules[] = {
      {"USER_ID", {kString, {}}, Nullability::kNever, true},
      {"ACTION_ID", {kString, {}}, Nullability::kNever, true},
      {"TIMESTAMP", {kLong, {}}, Nullability::kNever, true},
      {"EVENT_TYPE", {kString, {}}, Nullability::kNever, true},
  };
  for (const auto& rule : rules) TAILOR_RETURN_IF_ERROR(CheckReserved(schema, rule, kName));
  return CheckMetadataFields(schema, kName, 4, 0, 10, false);
}

}  // namespace

std::string FoldFieldName(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c != '_') out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

const Field* Schema::FindFolded(std::string_view key) const {
  const std::string folded = FoldFieldName(key);
  for (const Field& field : fields) {
    if (FoldFieldName(field.name) == folded) return &field;
  }
  return nullptr;
}

StatusOr<DatasetType> ParseDatasetType(std::string_view text) {
  const std::string upper = Upper(text);
  if (upper == "INTERACTIONS") return DatasetType::kInteractions;
  if (upper == "ITEMS") return DatasetType::kItems;
  if (upper == "USERS") return DatasetType::kUsers;
  if (upper == "ACTIONS") return DatasetType::kActions;
  if (upper == "ACTION_INTERACTIONS") return DatasetType::kActionInteractions;
  return Status::InvalidInput("datasetType '" + std::string(text) +
                              "' is not one of Interactions, Items, Users, Actions or "
                              "Action_Interactions");
}

std::string_view DatasetTypeName(DatasetType type) {
  switch (type) {
    case DatasetType::kInteractions:
      return "Interactions";
    case DatasetType::kItems:
      return "Items";
    case DatasetType::kUsers:
      return "Users";
    case DatasetType::kActions:
      return "Actions";
    case DatasetType::kActionInteractions:
      return "Action_Interactions";
  }
  return "Interactions";
}

std::string_view DatasetTypeArnName(DatasetType type) {
  switch (type) {
    case DatasetType::kInteractions:
      return "INTERACTIONS";
    case DatasetType::kItems:
      return "ITEMS";
    case DatasetType::kUsers:
      return "USERS";
    case DatasetType::kActions:
      return "ACTIONS";
    case DatasetType::kActionInteractions:
      return "ACTION_INTERACTIONS";
  }
  return "INTERACTIONS";
}

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kInt:
      return "int";
    case FieldType::kLong:
      return "long";
    case FieldType::kFloat:
      return "float";
    case FieldType::kDouble:
      return "double";
    case FieldType::kBoolean:
      return "boolean";
  }
  return "string";
}

const Field* Schema::Find(std::string_view field_name) const {
  for (const Field& field : fields) {
    if (field.name == field_name) return &field;
  }
  return nullptr;
}

StatusOr<Schema> ParseSchema(std::string_view avro_json) {
  // nlohmann::json throws on malformed input and on type mismatches; nothing may escape
  // (style.md E4), so both parsing and walking the tree happen inside the try.
  try {
    Json root = Json::parse(avro_json);
    return ParseSchemaJson(root);
  } catch (const Json::exception& e) {
    return Status::InvalidInput(std::string("Schema is not valid JSON: ") + e.what());
  }
}

Status ValidateSchemaForDataset(const Schema& schema, DatasetType type, std::string_view domain) {
  if (!domain.empty() && domain != "ECOMMERCE" && domain != "VIDEO_ON_DEMAND") {
    return Status::InvalidInput("domain '" + std::string(domain) +
                                "' is not one of ECOMMERCE or VIDEO_ON_DEMAND");
  }
  switch (type) {
    case DatasetType::kInteractions:
      return ValidateInteractions(schema, domain);
    case DatasetType::kItems:
      return ValidateItems(schema, domain);
    case DatasetType::kUsers:
      return ValidateUsers(schema);
    case DatasetType::kActions:
      return ValidateActions(schema);
    case DatasetType::kActionInteractions:
      return ValidateActionInteractions(schema);
  }
  return Status::InvalidInput("unknown dataset type");
}

bool IsContextField(const Field& field) {
  for (std::string_view reserved :
       {"USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE", "IMPRESSION",
        "RECOMMENDATION_ID", "EVENT_ATTRIBUTION_SOURCE"}) {
    if (field.name == reserved) return false;
  }
  return field.type == FieldType::kString;
}

}  // namespace tailor::data
