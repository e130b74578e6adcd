#include "api/control/json_reader.h"

#include <gtest/gtest.h>

namespace tailor::api {
namespace {

TEST(JsonReaderTest, ReadsTypedMembers) {
  auto body = nlohmann::json::parse(R"({"name":"x","maxResults":5,"flag":true,
    "tags":[{"tagKey":"a","tagValue":"b"}],"dataSource":{"dataLocation":"/x.csv"},"keys":["k"]})");
  JsonReader in(body);
  EXPECT_EQ(in.String("name", true), "x");
  EXPECT_EQ(in.Int("maxResults", 100), 5);
  EXPECT_EQ(in.Int("absent", 100), 100);
  EXPECT_TRUE(in.Bool("flag", false));
  EXPECT_EQ(in.TagList("tags"), (core::Tags{{"a", "b"}}));
  EXPECT_EQ(in.StringList("keys"), std::vector<std::string>{"k"});
  JsonReader source = in.Object("dataSource", true);
  EXPECT_EQ(source.String("dataLocation", true), "/x.csv");
  EXPECT_TRUE(in.status().ok()) << in.status().ToString();
}

TEST(JsonReaderTest, FirstProblemNamesTheMember) {
  auto body = nlohmann::json::parse(R"({"name":5,"dataSource":{}})");
  JsonReader in(body);
  in.String("name", true);
  in.String("other", true);
  EXPECT_TRUE(in.status().IsInvalidInput());
  EXPECT_EQ(in.status().message(), "name must be a string.");

  JsonReader nested_in(body);
  JsonReader source = nested_in.Object("dataSource", true);
  source.String("dataLocation", true);
  EXPECT_EQ(nested_in.status().message(), "dataSource.dataLocation is required.");
}

}  // namespace
}  // namespace tailor::api
