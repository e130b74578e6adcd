#include "data/schema.h"

#include <string>

#include <gtest/gtest.h>

namespace tailor::data {
namespace {

std::string Record(const std::string& fields) {
  return R"({"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema",)"
         R"("fields":[)" +
         fields + R"(],"version":"1.0"})";
}

constexpr char kIds[] = R"({"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},)"
                        R"({"name":"TIMESTAMP","type":"long"})";

TEST(SchemaTest, ParsesTheReferenceExample) {
  auto schema = ParseSchema(Record(
      std::string(kIds) + R"(,{"name":"EVENT_VALUE","type":["float","null"]},)"
                          R"({"name":"DEVICE","type":["null","string"],"categorical":true})"));
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->name, "Interactions");
  ASSERT_EQ(schema->fields.size(), 5u);
  const Field* value = schema->Find("EVENT_VALUE");
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->type, FieldType::kFloat);
  EXPECT_TRUE(value->nullable);
  const Field* device = schema->Find("DEVICE");
  ASSERT_NE(device, nullptr);
  EXPECT_EQ(device->type, FieldType::kString);
  EXPECT_TRUE(device->nullable);
  EXPECT_TRUE(device->categorical);
  EXPECT_FALSE(schema->Find("USER_ID")->nullable);
  EXPECT_EQ(schema->Find("TIMESTAMP")->type, FieldType::kLong);
  EXPECT_EQ(schema->Find("user_id"), nullptr);
}

TEST(SchemaTest, ParsesEveryPrimitiveType) {
  const std::pair<const char*, FieldType> cases[] = {
      {"string", FieldType::kString}, {"int", FieldType::kInt},
      {"long", FieldType::kLong},     {"float", FieldType::kFloat},
      {"double", FieldType::kDouble}, {"boolean", FieldType::kBoolean},
  };
  for (const auto& [name, type] : cases) {
    auto schema = ParseSchema(Record(R"({"name":"F","type":")" + std::string(name) + "\"}"));
    ASSERT_TRUE(schema.ok()) << name << ": " << schema.status().ToString();
    EXPECT_EQ(schema->fields[0].type, type) << name;
    EXPECT_EQ(FieldTypeName(type), name);
  }
}

struct BadSchemaCase {
  const char* label;
  std::string json;
  const char* expected;  // a substring of the error message
};

TEST(SchemaTest, RejectsEverythingOutsideTheSubset) {
  const BadSchemaCase cases[] = {
      {"not json", "{", "not valid JSON"},
      {"not an object", "[1]", "JSON object"},
      {"top level not a record", R"({"type":"enum","name":"X","fields":[]})", "\"record\""},
      {"no name", R"({"type":"record","fields":[{"name":"A","type":"string"}]})", "'name'"},
      {"no fields", R"({"type":"record","name":"X"})", "'fields'"},
      {"empty fields", R"({"type":"record","name":"X","fields":[]})", "'fields'"},
      {"field not an object", Record("1"), "Field #1"},
      {"field without a name", Record(R"({"type":"string"})"), "Field #1: 'name'"},
      {"bad field name", Record(R"({"name":"1A","type":"string"})"), "Field '1A'"},
      {"field without a type", Record(R"({"name":"A"})"), "Field 'A': 'type' is missing"},
      {"bytes", Record(R"({"name":"RATING","type":"bytes"})"),
       "Field 'RATING': type 'bytes' is not supported; use string, int, long, float, double or "
       "boolean"},
      {"null alone", Record(R"({"name":"A","type":"null"})"), "Field 'A': type 'null'"},
      {"record type", Record(R"({"name":"A","type":{"type":"record","name":"R","fields":[]}})"),
       "Field 'A': complex types"},
      {"array type", Record(R"({"name":"A","type":{"type":"array","items":"string"}})"),
       "Field 'A': complex types"},
      {"map type", Record(R"({"name":"A","type":{"type":"map","values":"string"}})"),
       "Field 'A': complex types"},
      {"enum type", Record(R"({"name":"A","type":{"type":"enum","name":"E","symbols":["x"]}})"),
       "Field 'A': complex types"},
      {"logical type object",
       Record(R"({"name":"A","type":{"type":"long","logicalType":"timestamp-millis"}})"),
       "Field 'A': complex types"},
      {"logical type on field", Record(R"({"name":"A","type":"long","logicalType":"date"})"),
       "Field 'A': logical types"},
      {"three-member union", Record(R"({"name":"A","type":["null","string","int"]})"),
       "Field 'A': a union"},
      {"union without null", Record(R"({"name":"A","type":["string","int"]})"),
       "Field 'A': a union"},
      {"union of nulls", Record(R"({"name":"A","type":["null","null"]})"), "Field 'A': a union"},
      {"union with bytes", Record(R"({"name":"A","type":["null","bytes"]})"),
       "Field 'A': type 'bytes'"},
      {"union with a complex member",
       Record(R"({"name":"A","type":["null",{"type":"array","items":"string"}]})"),
       "Field 'A': a union"},
      {"categorical int", Record(R"({"name":"A","type":"int","categorical":true})"),
       "Field 'A': 'categorical' applies only to string fields"},
      {"textual float", Record(R"({"name":"A","type":["null","float"],"textual":true})"),
       "Field 'A': 'textual' applies only to string fields"},
      {"categorical not boolean", Record(R"({"name":"A","type":"string","categorical":"yes"})"),
       "Field 'A': 'categorical' must be true or false"},
      {"categorical and textual",
       Record(R"({"name":"A","type":"string","categorical":true,"textual":true})"),
       "Field 'A': a field cannot be both"},
      {"duplicate name", Record(R"({"name":"A","type":"string"},{"name":"A","type":"int"})"),
       "Field 'A': the name appears more than once"},
      {"duplicate after folding",
       Record(R"({"name":"GENRES_FIELD_1","type":"string"},{"name":"GenresField1","type":"int"})"),
       "Field 'GenresField1': clashes with field 'GENRES_FIELD_1'"},
  };
  for (const auto& c : cases) {
    auto schema = ParseSchema(c.json);
    ASSERT_FALSE(schema.ok()) << c.label;
    EXPECT_TRUE(schema.status().IsInvalidInput()) << c.label;
    EXPECT_NE(schema.status().message().find(c.expected), std::string::npos)
        << c.label << ": " << schema.status().message();
  }
}

struct DatasetCase {
  const char* label;
  DatasetType type;
  const char* domain;
  std::string fields;
  const char* expected;  // nullptr when valid, else a substring of the error
};

TEST(SchemaTest, ValidatesDatasetRules) {
  const std::string ids = kIds;
  const DatasetCase cases[] = {
      // Interactions.
      {"minimal interactions", DatasetType::kInteractions, "", ids, nullptr},
      {"all reserved interactions", DatasetType::kInteractions, "",
       ids + R"(,{"name":"EVENT_TYPE","type":"string"},)"
             R"({"name":"EVENT_VALUE","type":"float"},)"
             R"({"name":"IMPRESSION","type":["null","string"]},)"
             R"({"name":"RECOMMENDATION_ID","type":["string","null"]},)"
             R"({"name":"EVENT_ATTRIBUTION_SOURCE","type":"string"})",
       nullptr},
      {"double event value", DatasetType::kInteractions, "",
       ids + R"(,{"name":"EVENT_VALUE","type":["double","null"]})", nullptr},
      {"missing user id", DatasetType::kInteractions, "",
       R"({"name":"ITEM_ID","type":"string"},{"name":"TIMESTAMP","type":"long"})",
       "Field 'USER_ID' is required"},
      {"missing timestamp", DatasetType::kInteractions, "",
       R"({"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"})",
       "Field 'TIMESTAMP' is required"},
      {"int timestamp", DatasetType::kInteractions, "",
       R"({"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},)"
       R"({"name":"TIMESTAMP","type":"int"})",
       "Field 'TIMESTAMP': must be of type long"},
      {"nullable item id", DatasetType::kInteractions, "",
       R"({"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":["null","string"]},)"
       R"({"name":"TIMESTAMP","type":"long"})",
       "Field 'ITEM_ID': cannot be nullable"},
      {"int event value", DatasetType::kInteractions, "",
       ids + R"(,{"name":"EVENT_VALUE","type":"int"})", "Field 'EVENT_VALUE': must be of type"},
      {"categorical event type", DatasetType::kInteractions, "",
       ids + R"(,{"name":"EVENT_TYPE","type":"string","categorical":true})",
       "Field 'EVENT_TYPE': cannot be categorical"},
      {"long impression", DatasetType::kInteractions, "",
       ids + R"(,{"name":"IMPRESSION","type":"long"})", "Field 'IMPRESSION': must be of type"},
      {"textual in interactions", DatasetType::kInteractions, "",
       ids + R"(,{"name":"NOTE","type":"string","textual":true})",
       "Field 'NOTE': 'textual' is allowed only in Items"},
      {"six metadata columns", DatasetType::kInteractions, "",
       ids + R"(,{"name":"A","type":"int"},{"name":"B","type":"int"},{"name":"C","type":"int"},)"
             R"({"name":"D","type":"int"},{"name":"E","type":"int"},{"name":"F","type":"int"})",
       "at most 5 metadata fields"},
      {"domain needs event type", DatasetType::kInteractions, "ECOMMERCE", ids,
       "Field 'EVENT_TYPE' is required"},
      {"unknown domain", DatasetType::kInteractions, "RETAIL", ids, "domain 'RETAIL'"},
      // Items.
      {"minimal items", DatasetType::kItems, "",
       R"({"name":"ITEM_ID","type":"string"},{"name":"GENRES","type":"string","categorical":true})",
       nullptr},
      {"items need metadata", DatasetType::kItems, "", R"({"name":"ITEM_ID","type":"string"})",
       "at least 1 metadata field"},
      {"items need an id", DatasetType::kItems, "", R"({"name":"GENRES","type":"string"})",
       "Field 'ITEM_ID' is required"},
      {"string creation timestamp", DatasetType::kItems, "",
       R"({"name":"ITEM_ID","type":"string"},{"name":"CREATION_TIMESTAMP","type":"string"})",
       "Field 'CREATION_TIMESTAMP': must be of type long"},
      {"two textual fields", DatasetType::kItems, "",
       R"({"name":"ITEM_ID","type":"string"},{"name":"A","type":"string","textual":true},)"
       R"({"name":"B","type":"string","textual":true})",
       "Field 'B': only one textual field"},
      {"ecommerce without price", DatasetType::kItems, "ECOMMERCE",
       R"({"name":"ITEM_ID","type":"string"},)"
       R"({"name":"CATEGORY_L1","type":"string","categorical":true})",
       "Field 'PRICE'"},
      {"ecommerce valid", DatasetType::kItems, "ECOMMERCE",
       R"({"name":"ITEM_ID","type":"string"},{"name":"PRICE","type":"float"},)"
       R"({"name":"CATEGORY_L1","type":"string","categorical":true})",
       nullptr},
      {"ecommerce category not categorical", DatasetType::kItems, "ECOMMERCE",
       R"({"name":"ITEM_ID","type":"string"},{"name":"PRICE","type":"float"},)"
       R"({"name":"CATEGORY_L1","type":"string"})",
       "Field 'CATEGORY_L1' must be a categorical string"},
      {"video without creation timestamp", DatasetType::kItems, "VIDEO_ON_DEMAND",
       R"({"name":"ITEM_ID","type":"string"},{"name":"GENRES","type":"string","categorical":true})",
       "Field 'CREATION_TIMESTAMP' is required"},
      {"video without genres", DatasetType::kItems, "VIDEO_ON_DEMAND",
       R"({"name":"ITEM_ID","type":"string"},{"name":"CREATION_TIMESTAMP","type":"long"})",
       "Field 'GENRES' must be a categorical string"},
      // Users.
      {"minimal users", DatasetType::kUsers, "",
       R"({"name":"USER_ID","type":"string"},{"name":"AGE","type":["null","int"]})", nullptr},
      {"users need metadata", DatasetType::kUsers, "", R"({"name":"USER_ID","type":"string"})",
       "at least 1 metadata field"},
      {"nullable user id", DatasetType::kUsers, "",
       R"({"name":"USER_ID","type":["null","string"]},{"name":"AGE","type":"int"})",
       "Field 'USER_ID': cannot be nullable"},
      {"textual in users", DatasetType::kUsers, "",
       R"({"name":"USER_ID","type":"string"},{"name":"BIO","type":"string","textual":true})",
       "Field 'BIO': 'textual' is allowed only in Items"},
  };
  for (const auto& c : cases) {
    auto schema = ParseSchema(Record(c.fields));
    ASSERT_TRUE(schema.ok()) << c.label << ": " << schema.status().ToString();
    Status s = ValidateSchemaForDataset(*schema, c.type, c.domain);
    if (c.expected == nullptr) {
      EXPECT_TRUE(s.ok()) << c.label << ": " << s.ToString();
    } else {
      EXPECT_TRUE(s.IsInvalidInput()) << c.label << ": " << s.ToString();
      EXPECT_NE(s.message().find(c.expected), std::string::npos) << c.label << ": " << s.message();
    }
  }
}

TEST(SchemaTest, LimitsMetadataFieldCounts) {
  auto many = [](const char* id, int n) {
    std::string fields = std::string(R"({"name":")") + id + R"(","type":"string"})";
    for (int i = 0; i < n; ++i)
      fields += R"(,{"name":"F)" + std::to_string(i) + R"(","type":"int"})";
    return fields;
  };
  auto items100 = ParseSchema(Record(many("ITEM_ID", 100)));
  auto items101 = ParseSchema(Record(many("ITEM_ID", 101)));
  auto users25 = ParseSchema(Record(many("USER_ID", 25)));
  auto users26 = ParseSchema(Record(many("USER_ID", 26)));
  ASSERT_TRUE(items100.ok() && items101.ok() && users25.ok() && users26.ok());
  EXPECT_TRUE(ValidateSchemaForDataset(*items100, DatasetType::kItems, "").ok());
  EXPECT_TRUE(ValidateSchemaForDataset(*items101, DatasetType::kItems, "").IsInvalidInput());
  EXPECT_TRUE(ValidateSchemaForDataset(*users25, DatasetType::kUsers, "").ok());
  Status s = ValidateSchemaForDataset(*users26, DatasetType::kUsers, "");
  EXPECT_NE(s.message().find("at most 25 metadata fields"), std::string::npos) << s.ToString();
}

TEST(SchemaTest, ParsesDatasetTypesCaseInsensitively) {
  const std::pair<const char*, DatasetType> cases[] = {
      {"Interactions", DatasetType::kInteractions},
      {"items", DatasetType::kItems},
      {"USERS", DatasetType::kUsers},
      {"Actions", DatasetType::kActions},
      {"ACTION_INTERACTIONS", DatasetType::kActionInteractions},
  };
  for (const auto& [text, type] : cases) {
    auto parsed = ParseDatasetType(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(*parsed, type);
    auto round_trip = ParseDatasetType(DatasetTypeName(type));
    ASSERT_TRUE(round_trip.ok());
    EXPECT_EQ(*round_trip, type);
  }
  EXPECT_EQ(DatasetTypeName(DatasetType::kActionInteractions), "Action_Interactions");
  EXPECT_EQ(DatasetTypeArnName(DatasetType::kItems), "ITEMS");
  auto bad = ParseDatasetType("Events");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("datasetType"), std::string::npos);
}

}  // namespace
}  // namespace tailor::data
