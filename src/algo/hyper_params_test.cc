#include "algo/hyper_params.h"

#include <gtest/gtest.h>

namespace tailor::algo {
namespace {

TEST(HyperParamsTest, ParsesTypedValuesWithDefaults) {
  HyperParams p({{"n", "149"}, {"x", "0.5"}, {"b", "TRUE"}, {"e", "b"}});
  EXPECT_EQ(*p.GetInt("n", 1, 0, 1000), 149);
  EXPECT_EQ(*p.GetInt("missing", 7, 0, 10), 7);
  EXPECT_DOUBLE_EQ(*p.GetDouble("x", 0, 0, 1), 0.5);
  EXPECT_TRUE(*p.GetBool("b", false));
  EXPECT_EQ(*p.GetEnum("e", "a", {"a", "b"}), "b");
}

// Table-driven: each bad value yields InvalidInput whose message names the parameter.
TEST(HyperParamsTest, RejectsBadValuesNamingTheParameter) {
  struct Case {
    std::string name, value;
  } cases[] = {{"hidden_dimension", "abc"},
               {"hidden_dimension", "12x"},
               {"hidden_dimension", "4096"},
               {"hidden_dimension", ""},
               {"alpha", "nan"},
               {"alpha", "-1"},
               {"recency_mask", "yes"}};
  for (const Case& c : cases) {
    HyperParams p(std::map<std::string, std::string>{{c.name, c.value}});
    Status s;
    if (c.name == "hidden_dimension") s = p.GetInt(c.name, 1, 32, 256).status();
    if (c.name == "alpha") s = p.GetDouble(c.name, 1, 0, 100).status();
    if (c.name == "recency_mask") s = p.GetBool(c.name, true).status();
    EXPECT_TRUE(s.IsInvalidInput()) << c.name << "=" << c.value;
    EXPECT_NE(s.message().find(c.name), std::string::npos) << s.message();
  }
}

TEST(HyperParamsTest, CheckKnownNamesTheUnknownParameter) {
  HyperParams p({{"factors", "8"}, {"factros", "9"}});
  Status s = p.CheckKnown({"factors"});
  EXPECT_TRUE(s.IsInvalidInput());
  EXPECT_NE(s.message().find("factros"), std::string::npos);
  EXPECT_TRUE(HyperParams(std::map<std::string, std::string>{{"factors", "8"}})
                  .CheckKnown({"factors"})
                  .ok());
}

}  // namespace
}  // namespace tailor::algo
