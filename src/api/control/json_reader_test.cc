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

TEST(JsonReaderTest, ReadsNumbersAndIntegerStrings) {
  auto body = nlohmann::json::parse(R"({"a":1.5,"b":2,"jobs":"40"})");
  JsonReader in(body);
  EXPECT_DOUBLE_EQ(in.Double("a", 0), 1.5);
  EXPECT_DOUBLE_EQ(in.Double("b", 0), 2.0);
  EXPECT_DOUBLE_EQ(in.Double("absent", -1), -1.0);
  EXPECT_EQ(in.IntString("jobs", 0, 1, 40), 40);
  EXPECT_EQ(in.IntString("absent", 7, 1, 40), 7);
  EXPECT_TRUE(in.status().ok()) << in.status().ToString();
}

TEST(JsonReaderTest, RejectsBadIntegerStrings) {
  struct Case {
    const char* body;
    const char* message;
  } cases[] = {
      {R"({"n":40})", "n must be a string holding an integer from 1 to 10."},
      {R"({"n":"abc"})", "n must be a string holding an integer from 1 to 10; got \"abc\"."},
      {R"({"n":"11"})", "n must be a string holding an integer from 1 to 10; got \"11\"."},
      {R"({"n":"0"})", "n must be a string holding an integer from 1 to 10; got \"0\"."},
      {R"({"n":"3x"})", "n must be a string holding an integer from 1 to 10; got \"3x\"."},
      {R"({"n":""})", "n must be a string holding an integer from 1 to 10; got \"\"."},
  };
  for (const auto& c : cases) {
    auto body = nlohmann::json::parse(c.body);
    JsonReader in(body);
    in.IntString("n", 0, 1, 10);
    EXPECT_TRUE(in.status().IsInvalidInput()) << c.body;
    EXPECT_EQ(in.status().message(), c.message) << c.body;
  }
  auto body = nlohmann::json::parse(R"({"d":"1.5"})");
  JsonReader in(body);
  in.Double("d", 0);
  EXPECT_EQ(in.status().message(), "d must be a number.");
}

TEST(JsonReaderTest, ReadsStringMaps) {
  auto body = nlohmann::json::parse(R"({"config":{"params":{"hidden_dimension":"16","x":""}}})");
  JsonReader in(body);
  JsonReader config = in.Object("config");
  EXPECT_EQ(config.StringMap("params"),
            (std::map<std::string, std::string>{{"hidden_dimension", "16"}, {"x", ""}}));
  EXPECT_TRUE(config.StringMap("absent").empty());
  EXPECT_TRUE(in.status().ok()) << in.status().ToString();
}

TEST(JsonReaderTest, StringMapProblemsNameTheEntry) {
  struct Case {
    const char* body;
    const char* message;
  } cases[] = {
      {R"({"c":{"p":{"hidden_dimension":16}}})", "c.p.hidden_dimension must be a string."},
      {R"({"c":{"p":["16"]}})", "c.p must be a map of strings to strings."},
      {R"({"c":{"p":{"a":"1","b":"2","c":"3"}}})", "c.p may hold at most 2 entries."},
  };
  for (const auto& c : cases) {
    auto body = nlohmann::json::parse(c.body);
    JsonReader in(body);
    JsonReader config = in.Object("c");
    EXPECT_TRUE(config.StringMap("p", 2).empty()) << c.body;
    EXPECT_TRUE(in.status().IsInvalidInput()) << c.body;
    EXPECT_EQ(in.status().message(), c.message) << c.body;
  }
}

TEST(JsonReaderTest, ObjectListReadsEachElement) {
  auto body = nlohmann::json::parse(
      R"({"r":{"ranges":[{"name":"a","minValue":1},{"name":"b","minValue":2}]}})");
  JsonReader in(body);
  JsonReader ranges = in.Object("r");
  std::vector<std::pair<std::string, int>> got;
  ranges.ObjectList("ranges", [&](JsonReader& range) {
    got.emplace_back(range.String("name"), range.Int("minValue", 0));
  });
  ranges.ObjectList("absent", [&](JsonReader&) { ADD_FAILURE() << "called for absent list"; });
  EXPECT_EQ(got, (std::vector<std::pair<std::string, int>>{{"a", 1}, {"b", 2}}));
  EXPECT_TRUE(in.status().ok()) << in.status().ToString();
}

TEST(JsonReaderTest, ObjectListProblemsNameTheElementPath) {
  struct Case {
    const char* body;
    const char* message;
  } cases[] = {
      {R"({"h":{"ranges":{"integer":[{"minValue":1},{"minValue":"1"}]}}})",
       "h.ranges.integer[1].minValue must be an integer."},
      {R"({"h":{"ranges":{"integer":[{"minValue":1},5]}}})",
       "h.ranges.integer[1] must be an object."},
      {R"({"h":{"ranges":{"integer":{"minValue":1}}}})",
       "h.ranges.integer must be a list of objects."},
      {R"({"h":{"ranges":{"integer":[{},{},{}]}}})",
       "h.ranges.integer may hold at most 2 entries."},
  };
  for (const auto& c : cases) {
    auto body = nlohmann::json::parse(c.body);
    JsonReader in(body);
    JsonReader ranges = in.Object("h").Object("ranges");
    ranges.ObjectList(
        "integer", [](JsonReader& range) { range.Int("minValue", 0); }, 2);
    EXPECT_TRUE(in.status().IsInvalidInput()) << c.body;
    EXPECT_EQ(in.status().message(), c.message) << c.body;
  }
}

}  // namespace
}  // namespace tailor::api
