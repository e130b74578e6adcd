#include "serve/filter/filter_values.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor::serve {
namespace {

using ::testing::HasSubstr;

TEST(FilterValuesTest, SplitsWireValues) {
  struct Case {
    const char* label;
    std::string wire;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"one", "\"comedy\"", {"comedy"}},
      {"two", "\"comedy\",\"drama\"", {"comedy", "drama"}},
      {"blanks", "  \"a\" ,\t\"b\"  ", {"a", "b"}},
      {"comma inside quotes", "\"a,b\",\"c\"", {"a,b", "c"}},
      {"escapes", R"("say \"hi\"","x\\y")", {"say \"hi\"", "x\\y"}},
      {"empty string value", "\"\"", {""}},
      {"unquoted numbers", "10,-2.5, 1e3", {"10", "-2.5", "1e3"}},
      {"quoted number", "\"1990\"", {"1990"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    StatusOr<std::vector<std::string>> values = ParseFilterValueList("P", c.wire);
    ASSERT_TRUE(values.ok()) << values.status().ToString();
    EXPECT_EQ(*values, c.expected);
  }
}

TEST(FilterValuesTest, RejectsMalformedValues) {
  struct Case {
    const char* label;
    std::string wire;
    const char* detail;
  };
  const Case cases[] = {
      {"unquoted word", "comedy", "at character 1: 'comedy' is neither quoted nor a number"},
      {"unclosed quote", "\"a\",\"b", "at character 5: the quote is not closed"},
      {"missing comma", "\"a\" \"b\"", "at character 5: expected ','"},
      {"trailing comma", "\"a\",", "at character 5: a value is missing"},
      {"empty element", "\"a\",,\"b\"", "at character 5: a value is missing"},
      {"hex is not a number", "0x10", "neither quoted nor a number"},
      {"nan is not a number", "nan", "neither quoted nor a number"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    StatusOr<std::vector<std::string>> values = ParseFilterValueList("GENRES", c.wire);
    ASSERT_FALSE(values.ok());
    EXPECT_TRUE(values.status().IsInvalidInput());
    EXPECT_THAT(values.status().message(), HasSubstr("filterValues GENRES is malformed"));
    EXPECT_THAT(values.status().message(), HasSubstr(c.detail));
  }
}

TEST(FilterValuesTest, ValidatesTheMap) {
  EXPECT_TRUE(ValidateFilterValues({}).ok());
  EXPECT_TRUE(ValidateFilterValues({{"GENRES", "\"a\""}, {"max_price_2", "10"}}).ok());

  FilterValueMap too_many;
  for (int i = 0; i < 26; ++i) too_many["K" + std::to_string(i)] = "\"a\"";
  Status status = ValidateFilterValues(too_many);
  EXPECT_TRUE(status.IsInvalidInput());
  EXPECT_THAT(status.message(), HasSubstr("26 entries; at most 25"));
  too_many.erase("K0");
  EXPECT_TRUE(ValidateFilterValues(too_many).ok());

  status = ValidateFilterValues({{"BAD-KEY", "\"a\""}});
  EXPECT_TRUE(status.IsInvalidInput());
  EXPECT_THAT(status.message(), HasSubstr("BAD-KEY"));
  EXPECT_TRUE(ValidateFilterValues({{std::string(51, 'K'), "\"a\""}}).IsInvalidInput());
  EXPECT_TRUE(ValidateFilterValues({{std::string(50, 'K'), "\"a\""}}).ok());

  status = ValidateFilterValues({{"G", std::string(1001, 'x')}});
  EXPECT_TRUE(status.IsInvalidInput());
  EXPECT_THAT(status.message(), HasSubstr("filterValues G has 1001 characters"));
}

TEST(FilterValuesTest, ParsesPlainNumbersOnly) {
  double value = 0;
  EXPECT_TRUE(ParseFilterNumber("-2.5", &value));
  EXPECT_EQ(value, -2.5);
  EXPECT_TRUE(ParseFilterNumber("1700000000", &value));
  EXPECT_EQ(value, 1700000000.0);
  EXPECT_FALSE(ParseFilterNumber("", &value));
  EXPECT_FALSE(ParseFilterNumber("10abc", &value));
  EXPECT_FALSE(ParseFilterNumber("inf", &value));
  EXPECT_FALSE(ParseFilterNumber("1e999", &value));
  EXPECT_TRUE(IsBlankFilterValue(""));
  EXPECT_TRUE(IsBlankFilterValue("  "));
  EXPECT_FALSE(IsBlankFilterValue("\"\""));
}

}  // namespace
}  // namespace tailor::serve
