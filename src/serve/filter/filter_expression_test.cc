#include "serve/filter/filter_expression.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "serve/filter/filter_lexer.h"

namespace tailor::serve {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct ValidCase {
  const char* label;
  std::string input;
  std::string canonical;  // FilterPlan::ToString()
};

TEST(FilterPlanTest, ParsesDocumentedExpressions) {
  const ValidCase cases[] = {
      {"interactions", R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch"))",
       R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch"))"},
      {"placeholder", "INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)",
       "INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)"},
      {"current item",
       "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE",
       "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN "
       "CurrentItem.GENRE"},
      {"pipe",
       R"(EXCLUDE ItemID WHERE Items.YEAR < 1990 | INCLUDE ItemID WHERE Items.GENRES IN ("Drama"))",
       R"(EXCLUDE ItemID WHERE Items.YEAR < 1990 | INCLUDE ItemID WHERE Items.GENRES IN ("Drama"))"},
      {"if current user",
       R"(EXCLUDE ItemID WHERE Items.GENRE IN ("Horror") IF CurrentUser.AGE < 18)",
       R"(EXCLUDE ItemID WHERE Items.GENRE IN ("Horror") IF CurrentUser.AGE < 18)"},
      {"if with and and in",
       R"(INCLUDE ItemID WHERE Items.TIER IN ("gold") IF CurrentUser.MEMBERSHIP IN ("gold", "vip") AND CurrentUser.AGE >= $AGE)",
       R"(INCLUDE ItemID WHERE Items.TIER IN ("gold") IF CurrentUser.MEMBERSHIP IN ("gold", "vip") AND CurrentUser.AGE >= $AGE)"},
      {"wildcard", R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*"))",
       R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*"))"},
      {"bare wildcard", "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*)",
       R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*"))"},
      {"lower-case keywords",
       R"(include itemid where items.GENRES not in ("a") and ITEMS.PRICE >= 2.5)",
       R"(INCLUDE ItemID WHERE Items.GENRES NOT IN ("a") AND Items.PRICE >= 2.5)"},
      {"all comparisons",
       "INCLUDE ItemID WHERE Items.A = 1 AND Items.B < -2 AND Items.C <= 3e2 AND Items.D > $D OR "
       "Items.E >= 0.5",
       "INCLUDE ItemID WHERE Items.A = 1 AND Items.B < -2 AND Items.C <= 3e2 AND Items.D > $D OR "
       "Items.E >= 0.5"},
      {"string equality", R"(INCLUDE ItemID WHERE Items.GENRE = "Comedy")",
       R"(INCLUDE ItemID WHERE Items.GENRE = "Comedy")"},
      {"mixed list", R"(INCLUDE ItemID WHERE Items.GENRES IN ("a", 1990, $G))",
       R"(INCLUDE ItemID WHERE Items.GENRES IN ("a", 1990, $G))"},
      {"escapes", R"(INCLUDE ItemID WHERE Items.T IN ("say \"hi\"", "back\\slash"))",
       R"(INCLUDE ItemID WHERE Items.T IN ("say \"hi\"", "back\\slash"))"},
      {"whitespace", "  INCLUDE\tItemID\nWHERE Items . GENRES IN(\"a\",\"b\")  ",
       R"(INCLUDE ItemID WHERE Items.GENRES IN ("a", "b"))"},
      {"date placeholder", "INCLUDE ItemID WHERE Items.CREATION_TIMESTAMP < $DATE",
       "INCLUDE ItemID WHERE Items.CREATION_TIMESTAMP < $DATE"},
      {"users", R"(INCLUDE UserID WHERE Users.MEMBERSHIP_STATUS IN ($MEMBERSHIP))",
       R"(INCLUDE UserID WHERE Users.MEMBERSHIP_STATUS IN ($MEMBERSHIP))"},
      {"user interactions",
       R"(INCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("click", "rating"))",
       R"(INCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("click", "rating"))"},
      {"actions", R"(EXCLUDE ActionID WHERE ActionInteractions.EVENT_TYPE IN ("Taken"))",
       R"(EXCLUDE ActionID WHERE ActionInteractions.EVENT_TYPE IN ("Taken"))"},
      {"action metadata",
       "INCLUDE ActionID WHERE Actions.VALUE > 10 | EXCLUDE ActionID WHERE "
       "Action_Interactions.EVENT_TYPE = \"Viewed\"",
       "INCLUDE ActionID WHERE Actions.VALUE > 10 | EXCLUDE ActionID WHERE "
       "ActionInteractions.EVENT_TYPE = \"Viewed\""},
  };
  for (const ValidCase& c : cases) {
    SCOPED_TRACE(c.label);
    StatusOr<FilterPlan> plan = FilterPlan::Parse(c.input);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    EXPECT_EQ(plan->ToString(), c.canonical);
    EXPECT_EQ(plan->text(), c.input);
    // The canonical form parses back to itself.
    StatusOr<FilterPlan> again = FilterPlan::Parse(plan->ToString());
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->ToString(), c.canonical);
  }
}

struct InvalidCase {
  const char* label;
  std::string input;
  size_t position;
  const char* detail;  // a substring of the message
};

TEST(FilterPlanTest, RejectsInvalidExpressionsNamingThePosition) {
  const InvalidCase cases[] = {
      {"unknown operator", "INCLUDE ItemID WHERE Items.GENRES WHEN (\"a\")", 35,
       "expected IN, NOT IN or a comparison after Items.GENRES, found 'WHEN'"},
      {"no action", "SELECT ItemID WHERE Items.A IN (\"a\")", 1,
       "expected INCLUDE or EXCLUDE, found 'SELECT'"},
      {"no target", "INCLUDE Item WHERE Items.A IN (\"a\")", 9,
       "expected ItemID, UserID or ActionID after INCLUDE, found 'Item'"},
      {"no where", "EXCLUDE ItemID Items.A IN (\"a\")", 16,
       "expected WHERE after ItemID, found 'Items'"},
      {"unknown dataset", "INCLUDE ItemID WHERE Products.A IN (\"a\")", 22,
       "expected a field such as Items.GENRES after WHERE, found 'Products'"},
      {"no dot", "INCLUDE ItemID WHERE Items A IN (\"a\")", 28, "expected '.' after Items"},
      {"no column", "INCLUDE ItemID WHERE Items.(\"a\")", 28,
       "expected a column name after Items., found '('"},
      {"no list", "INCLUDE ItemID WHERE Items.A IN \"a\"", 33,
       "expected '(' or CurrentItem.COLUMN after IN, found '\"a\"'"},
      {"empty list", "INCLUDE ItemID WHERE Items.A IN ()", 34, "expected a value"},
      {"unclosed list", "INCLUDE ItemID WHERE Items.A IN (\"a\" \"b\")", 38,
       "expected ',' or ')' in the value list, found '\"b\"'"},
      {"truncated", "INCLUDE ItemID WHERE Items.A IN (\"a\",", 38,
       "found the end of the expression"},
      {"not without in", "INCLUDE ItemID WHERE Items.A NOT (\"a\")", 34, "expected IN after NOT"},
      {"unknown character", "INCLUDE ItemID WHERE Items.A != 3", 30, "unexpected character '!'"},
      {"unterminated string", "INCLUDE ItemID WHERE Items.A IN (\"abc)", 34, "unterminated string"},
      {"empty placeholder", "INCLUDE ItemID WHERE Items.A IN ($)", 34, "placeholder name"},
      {"trailing garbage", "INCLUDE ItemID WHERE Items.A IN (\"a\") THEN", 39,
       "expected AND, OR, IF, '|' or the end of the expression, found 'THEN'"},
      {"dangling pipe", "INCLUDE ItemID WHERE Items.A IN (\"a\") |", 40,
       "expected INCLUDE or EXCLUDE, found the end of the expression"},
      {"comparison with string", "INCLUDE ItemID WHERE Items.A < \"b\"", 32, "< compares numbers"},
      {"comparison without operand", "INCLUDE ItemID WHERE Items.A >= )", 33,
       "expected a number, $NAME or CurrentItem.COLUMN after >="},
      // §9 restrictions.
      {"placeholder with not in", "EXCLUDE ItemID WHERE Items.GENRES NOT IN ($G)", 43,
       "placeholders cannot be used with NOT IN"},
      {"interactions column", "EXCLUDE ItemID WHERE Interactions.EVENT_VALUE IN (\"1\")", 22,
       "only EVENT_TYPE can be filtered on Interactions"},
      {"interactions comparison", "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE > 3", 22,
       "takes IN, NOT IN or ="},
      {"mixed interactions and items",
       "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"a\") AND Items.GENRES IN (\"b\")", 59,
       "Interactions and Items fields cannot be mixed in one expression"},
      {"mixed items and interactions",
       "EXCLUDE ItemID WHERE Items.GENRES IN (\"b\") OR Interactions.EVENT_TYPE IN (\"a\")", 47,
       "Items and Interactions fields cannot be mixed"},
      {"other dataset",
       "INCLUDE UserID WHERE Users.A IN (\"a\") AND Interactions.EVENT_TYPE IN (\"b\")", 43,
       "cannot be mixed"},
      {"users in item filter", "INCLUDE ItemID WHERE Users.AGE > 3", 22,
       "an ItemID filter can use Items and Interactions fields, found Users.AGE; test the "
       "requesting user with IF CurrentUser.AGE"},
      {"items in user filter", "INCLUDE UserID WHERE Items.A IN (\"a\")", 22,
       "a UserID filter can use Users and Interactions fields"},
      {"wildcard outside events", "INCLUDE ItemID WHERE Items.GENRES IN (*)", 39,
       "'*' is allowed only in the value list of Interactions.EVENT_TYPE"},
      {"current item on the left", "INCLUDE ItemID WHERE CurrentItem.A IN (\"a\")", 22,
       "CurrentItem.COLUMN can only be on the right"},
      {"current user in where", "INCLUDE ItemID WHERE CurrentUser.A IN (\"a\")", 22,
       "CurrentUser conditions belong in an IF clause"},
      {"current item in user filter", "INCLUDE UserID WHERE Users.A IN CurrentItem.A", 33,
       "CurrentItem can be used only in ItemID filters"},
      {"current item with interactions",
       "INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN CurrentItem.A", 49,
       "cannot be compared with CurrentItem"},
      {"if in user filter", "INCLUDE UserID WHERE Users.A IN (\"a\") IF CurrentUser.B > 1", 39,
       "an IF clause can be used only in ItemID and ActionID filters"},
      {"two ifs",
       "INCLUDE ItemID WHERE Items.A IN (\"a\") IF CurrentUser.B > 1 IF CurrentUser.C > 1", 60,
       "only one IF clause"},
      {"or in if",
       "INCLUDE ItemID WHERE Items.A IN (\"a\") IF CurrentUser.B > 1 OR CurrentUser.C > 1", 60,
       "IF conditions can only be joined with AND"},
      {"if without current user", "INCLUDE ItemID WHERE Items.A IN (\"a\") IF Users.B > 1", 42,
       "expected CurrentUser.COLUMN after IF, found 'Users'"},
      {"if after if clause then where",
       "INCLUDE ItemID WHERE Items.A IN (\"a\") IF CurrentUser.B > 1 X", 60,
       "expected AND, '|' or the end of the expression, found 'X'"},
      {"not in inside if",
       "INCLUDE ItemID WHERE Items.A IN (\"a\") IF CurrentUser.B NOT IN (\"x\")", 56,
       "expected IN or a comparison after CurrentUser.B, found 'NOT'"},
      {"targets differ",
       "INCLUDE ItemID WHERE Items.A IN (\"a\") | EXCLUDE UserID WHERE Users.B IN (\"b\")", 49,
       "every expression joined with '|' must select ItemID, found UserID"},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.label);
    StatusOr<FilterPlan> plan = FilterPlan::Parse(c.input);
    ASSERT_FALSE(plan.ok()) << plan->ToString();
    EXPECT_TRUE(plan.status().IsInvalidInput());
    EXPECT_THAT(plan.status().message(), HasSubstr("Invalid filter expression at position " +
                                                   std::to_string(c.position) + ": "));
    EXPECT_THAT(plan.status().message(), HasSubstr(c.detail));
  }
}

TEST(FilterPlanTest, EnforcesLengthLimits) {
  StatusOr<FilterPlan> empty = FilterPlan::Parse("");
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.status().IsInvalidInput());
  EXPECT_THAT(empty.status().message(), HasSubstr("1 to 2500"));

  // Pad a valid expression with a long value to exactly 2500 characters, then one more.
  const std::string prefix = "INCLUDE ItemID WHERE Items.A IN (\"";
  const std::string suffix = "\")";
  const std::string at_limit =
      prefix + std::string(kMaxFilterExpressionLength - prefix.size() - suffix.size(), 'x') +
      suffix;
  ASSERT_EQ(at_limit.size(), kMaxFilterExpressionLength);
  EXPECT_TRUE(FilterPlan::Parse(at_limit).ok());
  StatusOr<FilterPlan> too_long = FilterPlan::Parse(at_limit + " ");
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(too_long.status().message(), HasSubstr("2501 characters"));
}

TEST(FilterPlanTest, LimitsDistinctFields) {
  std::string expression = "INCLUDE ItemID WHERE Items.C0 = 1";
  for (int i = 1; i < 10; ++i) expression += " AND Items.C" + std::to_string(i) + " = 1";
  EXPECT_TRUE(FilterPlan::Parse(expression).ok());
  // Repeating a field does not count twice.
  EXPECT_TRUE(FilterPlan::Parse(expression + " AND Items.C0 = 2").ok());
  StatusOr<FilterPlan> plan = FilterPlan::Parse(expression + " AND Items.C10 = 1");
  ASSERT_FALSE(plan.ok());
  EXPECT_THAT(plan.status().message(), HasSubstr("at most 10 distinct dataset fields"));
}

TEST(FilterPlanTest, GroupsAndBeforeOr) {
  StatusOr<FilterPlan> plan = FilterPlan::Parse(
      "INCLUDE ItemID WHERE Items.A = 1 AND Items.B = 2 OR Items.C = 3 AND "
      "Items.D = 4 AND Items.E = 5 OR Items.F = 6");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->expressions().size(), 1u);
  const FilterExpression& expression = plan->expressions()[0];
  ASSERT_EQ(expression.any_of.size(), 3u);
  EXPECT_EQ(expression.any_of[0].size(), 2u);
  EXPECT_EQ(expression.any_of[1].size(), 3u);
  EXPECT_EQ(expression.any_of[2].size(), 1u);
  EXPECT_EQ(expression.any_of[1][2].field.column, "E");
  EXPECT_EQ(expression.any_of[1][2].position, 85u);
}

TEST(FilterPlanTest, RecordsConditionDetails) {
  StatusOr<FilterPlan> plan = FilterPlan::Parse(
      R"(EXCLUDE ItemID WHERE Items.PRICE <= $PRICE AND Items.GENRE IN CurrentItem.GENRE IF CurrentUser.AGE < 18)");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const FilterExpression& expression = plan->expressions()[0];
  EXPECT_EQ(expression.action, FilterAction::kExclude);
  EXPECT_EQ(expression.target, FilterTarget::kItemId);
  EXPECT_EQ(expression.dataset, FilterDataset::kItems);
  EXPECT_EQ(expression.position, 1u);
  const FilterCondition& price = expression.any_of[0][0];
  EXPECT_EQ(price.field.dataset, FilterDataset::kItems);
  EXPECT_EQ(price.field.column, "PRICE");
  EXPECT_EQ(price.op, FilterOp::kLe);
  ASSERT_EQ(price.values.size(), 1u);
  EXPECT_EQ(price.values[0].kind, FilterValue::Kind::kPlaceholder);
  EXPECT_EQ(price.values[0].text, "PRICE");
  EXPECT_EQ(price.position, 22u);
  const FilterCondition& genre = expression.any_of[0][1];
  EXPECT_TRUE(genre.uses_current_item());
  EXPECT_EQ(genre.current_item_column, "GENRE");
  EXPECT_TRUE(genre.values.empty());
  ASSERT_EQ(expression.if_all.size(), 1u);
  EXPECT_EQ(expression.if_all[0].field.dataset, FilterDataset::kUsers);
  EXPECT_EQ(expression.if_all[0].field.column, "AGE");
  EXPECT_EQ(expression.if_all[0].values[0].kind, FilterValue::Kind::kNumber);
  EXPECT_EQ(expression.if_all[0].values[0].number, 18);
  EXPECT_THAT(expression.placeholders, ElementsAre("PRICE"));
}

TEST(FilterPlanTest, ReportsWhatRequestsNeed) {
  struct NeedsCase {
    const char* input;
    bool interactions, user_metadata, current_item;
    std::vector<std::string> placeholders, required;
  };
  const NeedsCase cases[] = {
      {R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch"))", true, false, false, {}, {}},
      {"INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)",
       false,
       false,
       false,
       {"GENRES"},
       {"GENRES"}},
      {"INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE", false, false, true, {}, {}},
      {R"(EXCLUDE ItemID WHERE Items.A IN ($X) IF CurrentUser.AGE > $AGE | INCLUDE ItemID WHERE Items.B IN ($Y))",
       false,
       true,
       false,
       {"AGE", "X", "Y"},
       {"Y"}},
      // UserID filters read interactions from the index, not from the request.
      {R"(EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ($E))", false, false, false, {"E"}, {}},
  };
  for (const NeedsCase& c : cases) {
    SCOPED_TRACE(c.input);
    StatusOr<FilterPlan> plan = FilterPlan::Parse(c.input);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    EXPECT_EQ(plan->needs_interactions(), c.interactions);
    EXPECT_EQ(plan->needs_user_metadata(), c.user_metadata);
    EXPECT_EQ(plan->needs_user(), c.interactions || c.user_metadata);
    EXPECT_EQ(plan->needs_current_item(), c.current_item);
    EXPECT_EQ(std::vector<std::string>(plan->placeholders().begin(), plan->placeholders().end()),
              c.placeholders);
    EXPECT_EQ(std::vector<std::string>(plan->required_placeholders().begin(),
                                       plan->required_placeholders().end()),
              c.required);
  }
}

TEST(FilterPlanTest, ListsDistinctFields) {
  StatusOr<FilterPlan> plan = FilterPlan::Parse(
      "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.G2 IF "
      "CurrentUser.AGE > 1");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_THAT(plan->fields(), ElementsAre("Items.G2", "Items.GENRE", "Items.PRICE", "Users.AGE"));
  EXPECT_EQ(plan->target(), FilterTarget::kItemId);
}

TEST(FilterLexerTest, GivesOneBasedPositions) {
  StatusOr<std::vector<FilterToken>> tokens =
      TokenizeFilterExpression(" a.b<=-1.5e3 \"x\\\"y\"$P_1");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  using Kind = FilterToken::Kind;
  const std::vector<std::pair<Kind, size_t>> expected = {
      {Kind::kWord, 2},   {Kind::kDot, 3},     {Kind::kWord, 4},         {Kind::kLe, 5},
      {Kind::kNumber, 7}, {Kind::kString, 14}, {Kind::kPlaceholder, 20}, {Kind::kEnd, 24}};
  ASSERT_EQ(tokens->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*tokens)[i].kind, expected[i].first) << i;
    EXPECT_EQ((*tokens)[i].position, expected[i].second) << i;
  }
  EXPECT_EQ((*tokens)[4].raw, "-1.5e3");
  EXPECT_EQ((*tokens)[5].value, "x\"y");
  EXPECT_EQ((*tokens)[6].value, "P_1");
}

}  // namespace
}  // namespace tailor::serve
