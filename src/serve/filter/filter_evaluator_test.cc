#include "serve/filter/filter_evaluator.h"

#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/table.h"
#include "serve/filter/bitset_ops.h"
#include "serve/filter/filter_index.h"
#include "serve/filter/filter_test_util.h"

namespace tailor::serve {
namespace {

using testing::DoubleColumn;
using ::testing::HasSubstr;
using testing::IntColumn;
using testing::MakeTable;
using testing::SetIds;
using testing::StringColumn;
using Ids = std::vector<std::string>;

// The catalogue in model order; "ghost" has no Items row.
const Ids kItems = {"i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "ghost"};

// Items rows in another order than the catalogue, plus "other", which the model lacks.
std::shared_ptr<const data::DatasetTable> ItemsTable() {
  return MakeTable({
      StringColumn("ITEM_ID", {"i7", "i6", "i5", "i4", "i3", "i2", "i1", "i0", "other"}),
      StringColumn("GENRES",
                   {"Action", "Drama|Drama", "comedy", std::nullopt, "Horror", "Action|Comedy",
                    "Drama", "Comedy|Drama", "Horror"},
                   /*categorical=*/true),
      DoubleColumn("PRICE", {100, 20, 15, std::nullopt, 30, 5.5, 20, 10, 12}),
      IntColumn("YEAR", {1990, 1989, 2010, 1990, 1970, 2000, 1995, 1985, 2020}),
      IntColumn("CREATION_TIMESTAMP",
                {1700000700, 1700000600, 1700000500, 1700000400, 1700000300, 1700000200, 1700000100,
                 1700000000, 1700000800},
                data::FieldType::kLong),
      StringColumn("DESCRIPTION", {"a", "b", "c", "d", "e", "f", "g", "h", "i"},
                   /*categorical=*/false, /*textual=*/true),
      IntColumn("IS_NEW", {1, 0, 1, 0, 1, 0, 1, 0, 1}, data::FieldType::kBoolean),
  });
}

std::shared_ptr<const data::DatasetTable> UsersTable() {
  return MakeTable({
      StringColumn("USER_ID", {"u1", "u2", "u3"}),
      IntColumn("AGE", {25, 15, std::nullopt}),
      StringColumn("MEMBERSHIP", {"gold", "silver|trial", "gold"}, /*categorical=*/true),
  });
}

// One expression and the ids it must exclude.
struct Case {
  const char* expression;
  Ids excluded;
};

class FilterEvaluatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<std::unique_ptr<FilterIndex>> index =
        FilterIndex::ForItems(kItems, ItemsTable(), UsersTable());
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::move(index).value();
  }

  StatusOr<std::unique_ptr<FilterEvaluator>> Make(const std::string& expression) {
    StatusOr<FilterPlan> plan = FilterPlan::Parse(expression);
    if (!plan.ok()) return plan.status();
    return FilterEvaluator::Create(std::move(plan).value(), index_);
  }

  // The ids the filter removes for `request`, or the error's message prefixed by "error: ".
  std::vector<std::string> Excluded(const std::string& expression,
                                    const FilterRequest& request = {}) {
    StatusOr<std::unique_ptr<FilterEvaluator>> evaluator = Make(expression);
    if (!evaluator.ok()) return {"error: " + evaluator.status().message()};
    std::vector<uint64_t> exclude;
    Status status = (*evaluator)->Evaluate(request, &exclude);
    if (!status.ok()) return {"error: " + status.message()};
    EXPECT_EQ(exclude.size(), BitsetWords(kItems.size()));
    return SetIds(exclude, kItems);
  }

  void ExpectCases(const std::vector<Case>& cases, const FilterRequest& request = {}) {
    for (const Case& c : cases) {
      SCOPED_TRACE(c.expression);
      EXPECT_EQ(Excluded(c.expression, request), c.excluded);
    }
  }

  std::shared_ptr<const FilterIndex> index_;
};

TEST_F(FilterEvaluatorTest, MatchesCategoricalValues) {
  const std::vector<Case> cases = {
      {R"(INCLUDE ItemID WHERE Items.GENRES IN ("Comedy"))",
       {"i1", "i3", "i4", "i5", "i6", "i7", "ghost"}},
      {R"(EXCLUDE ItemID WHERE Items.GENRES IN ("Comedy"))", {"i0", "i2"}},
      {R"(EXCLUDE ItemID WHERE Items.GENRES IN ("Comedy", "Horror"))", {"i0", "i2", "i3"}},
      // NOT IN: has a row and no listed value, so the null i4 matches and the ghost does not.
      {R"(EXCLUDE ItemID WHERE Items.GENRES NOT IN ("Comedy", "Drama"))", {"i3", "i4", "i5", "i7"}},
      {R"(INCLUDE ItemID WHERE Items.GENRES = "Drama")", {"i2", "i3", "i4", "i5", "i7", "ghost"}},
      // Exact matching: "comedy" is only i5's value.
      {R"(INCLUDE ItemID WHERE Items.GENRES IN ("comedy"))",
       {"i0", "i1", "i2", "i3", "i4", "i6", "i7", "ghost"}},
      {R"(include itemid where items.genres in ("Comedy"))",
       {"i1", "i3", "i4", "i5", "i6", "i7", "ghost"}},
      // A part is matched whole, never as a substring or the joined value.
      {R"(EXCLUDE ItemID WHERE Items.GENRES IN ("Comedy|Drama", "Dram"))", {}},
      {R"(EXCLUDE ItemID WHERE Items.ITEM_ID IN ("i3", "ghost", "other"))", {"i3"}},
  };
  ExpectCases(cases);
}

TEST_F(FilterEvaluatorTest, ComparesNumbers) {
  const std::vector<Case> cases = {
      {"EXCLUDE ItemID WHERE Items.YEAR < 1990", {"i0", "i3", "i6"}},
      {"EXCLUDE ItemID WHERE Items.YEAR <= 1990", {"i0", "i3", "i4", "i6", "i7"}},
      {"EXCLUDE ItemID WHERE Items.YEAR > 1990", {"i1", "i2", "i5"}},
      {"EXCLUDE ItemID WHERE Items.YEAR >= 1990", {"i1", "i2", "i4", "i5", "i7"}},
      {"EXCLUDE ItemID WHERE Items.YEAR = 1990", {"i4", "i7"}},
      {"EXCLUDE ItemID WHERE Items.PRICE IN (20, 5.5)", {"i1", "i2", "i6"}},
      {R"(EXCLUDE ItemID WHERE Items.PRICE IN ("20"))", {"i1", "i6"}},
      // The null price of i4 fails every comparison but passes NOT IN.
      {"EXCLUDE ItemID WHERE Items.PRICE NOT IN (20)", {"i0", "i2", "i3", "i4", "i5", "i7"}},
      {"EXCLUDE ItemID WHERE Items.PRICE < 1000", {"i0", "i1", "i2", "i3", "i5", "i6", "i7"}},
      {"EXCLUDE ItemID WHERE Items.PRICE < 5.5", {}},
      {"EXCLUDE ItemID WHERE Items.CREATION_TIMESTAMP >= 1700000600", {"i6", "i7"}},
      {"EXCLUDE ItemID WHERE Items.YEAR < -1e9", {}},
  };
  ExpectCases(cases);
}

TEST_F(FilterEvaluatorTest, CombinesConditionsAndExpressions) {
  const Ids all_but_i1 = {"i0", "i2", "i3", "i4", "i5", "i6", "i7", "ghost"};
  const std::vector<Case> cases = {
      {"EXCLUDE ItemID WHERE Items.PRICE > 15 AND Items.YEAR < 1990", {"i3", "i6"}},
      {R"(EXCLUDE ItemID WHERE Items.PRICE > 50 OR Items.GENRES IN ("Horror"))", {"i3", "i7"}},
      // AND binds tighter: Action OR (Drama AND PRICE < 15).
      {R"(EXCLUDE ItemID WHERE Items.GENRES IN ("Action") OR Items.GENRES IN ("Drama") AND Items.PRICE < 15)",
       {"i0", "i2", "i7"}},
      // (∪ INCLUDE) − (∪ EXCLUDE), in either order.
      {R"(EXCLUDE ItemID WHERE Items.YEAR < 1990 | INCLUDE ItemID WHERE Items.GENRES IN ("Drama"))",
       all_but_i1},
      {R"(INCLUDE ItemID WHERE Items.GENRES IN ("Drama") | EXCLUDE ItemID WHERE Items.YEAR < 1990)",
       all_but_i1},
      {R"(INCLUDE ItemID WHERE Items.GENRES IN ("Horror") | INCLUDE ItemID WHERE Items.PRICE >= 100)",
       {"i0", "i1", "i2", "i4", "i5", "i6", "ghost"}},
      {R"(EXCLUDE ItemID WHERE Items.GENRES IN ("Horror") | EXCLUDE ItemID WHERE Items.PRICE >= 100)",
       {"i3", "i7"}},
      // Excluding everything is an answer, not an error.
      {R"(INCLUDE ItemID WHERE Items.GENRES IN ("Nope"))", kItems},
      {"EXCLUDE ItemID WHERE Items.YEAR > 0 OR Items.YEAR <= 0 | EXCLUDE ItemID WHERE "
       "Items.ITEM_ID NOT IN (\"x\")",
       {"i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7"}},
      // Column names fall back to a case-insensitive match.
      {R"(EXCLUDE ItemID WHERE Items.genres IN ("Horror"))", {"i3"}},
  };
  ExpectCases(cases);
}

TEST_F(FilterEvaluatorTest, FillsPlaceholders) {
  const char* include = "INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)";
  FilterValueMap values = {{"GENRES", "\"Comedy\",\"Horror\""}};
  EXPECT_EQ(Excluded(include, {.filter_values = &values}),
            (Ids{"i1", "i4", "i5", "i6", "i7", "ghost"}));
  values = {{"GENRES", " \"Drama\" "}};
  EXPECT_EQ(Excluded(include, {.filter_values = &values}),
            (Ids{"i2", "i3", "i4", "i5", "i7", "ghost"}));
  // Literals and a placeholder in one list.
  values = {{"G", "\"Action\""}};
  EXPECT_EQ(Excluded(R"(EXCLUDE ItemID WHERE Items.GENRES IN ("Horror", $G))",
                     {.filter_values = &values}),
            (Ids{"i2", "i3", "i7"}));
  // Comparisons take one value, quoted or not.
  for (const char* price : {"20", "\"20\"", " 2e1 "}) {
    values = {{"PRICE", price}};
    EXPECT_EQ(Excluded("INCLUDE ItemID WHERE Items.PRICE <= $PRICE", {.filter_values = &values}),
              (Ids{"i3", "i4", "i7", "ghost"}))
        << price;
  }
  values = {{"DATE", "1700000200"}};
  EXPECT_EQ(
      Excluded("EXCLUDE ItemID WHERE Items.CREATION_TIMESTAMP < $DATE", {.filter_values = &values}),
      (Ids{"i0", "i1"}));
  // Keys the filter does not use are ignored.
  values = {{"DATE", "1700000200"}, {"UNUSED", "\"x\""}};
  EXPECT_EQ(
      Excluded("EXCLUDE ItemID WHERE Items.CREATION_TIMESTAMP < $DATE", {.filter_values = &values}),
      (Ids{"i0", "i1"}));
}

TEST_F(FilterEvaluatorTest, HandlesMissingPlaceholders) {
  // An EXCLUDE without its value is skipped; blank counts as missing.
  const FilterValueMap blank = {{"GENRES", " "}};
  EXPECT_EQ(Excluded("EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)"), Ids{});
  EXPECT_EQ(Excluded("EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)", {.filter_values = &blank}),
            Ids{});
  // The skipped EXCLUDE leaves the INCLUDE in force.
  const FilterValueMap price = {{"PRICE", "20"}};
  EXPECT_EQ(Excluded("EXCLUDE ItemID WHERE Items.GENRES IN ($G) | INCLUDE ItemID WHERE "
                     "Items.PRICE <= $PRICE",
                     {.filter_values = &price}),
            (Ids{"i3", "i4", "i7", "ghost"}));
  // An INCLUDE without its value is an error naming the placeholder.
  for (const FilterValueMap* values :
       {static_cast<const FilterValueMap*>(nullptr), &blank, &price}) {
    Ids result =
        Excluded("INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)", {.filter_values = values});
    ASSERT_EQ(result.size(), 1u);
    EXPECT_THAT(result[0], HasSubstr("error: filterValues has no value for GENRES, which the "
                                     "INCLUDE expression at position 1"));
  }
}

TEST_F(FilterEvaluatorTest, RejectsBadValues) {
  struct BadCase {
    const char* expression;
    FilterValueMap values;
    const char* detail;
  };
  FilterValueMap too_many;
  for (int i = 0; i < 26; ++i) too_many["K" + std::to_string(i)] = "\"a\"";
  const BadCase cases[] = {
      {"INCLUDE ItemID WHERE Items.GENRES IN ($G)",
       {{"G", "Comedy"}},
       "filterValues G is malformed"},
      {"INCLUDE ItemID WHERE Items.GENRES IN ($G)", {{"G", "\"a\",\"b"}}, "is malformed"},
      {"INCLUDE ItemID WHERE Items.PRICE <= $P",
       {{"P", "\"10\",\"20\""}},
       "filterValues P must hold exactly one value for Items.PRICE <= $P, found 2"},
      {"INCLUDE ItemID WHERE Items.PRICE <= $P",
       {{"P", "\"cheap\""}},
       "filterValues P: 'cheap' is not a number, but Items.PRICE is numeric"},
      {"INCLUDE ItemID WHERE Items.PRICE IN ($P)", {{"P", "\"1\",\"x\""}}, "'x' is not a number"},
      {"INCLUDE ItemID WHERE Items.GENRES = $G", {{"G", "\"a\",\"b\""}}, "exactly one value"},
      {"EXCLUDE ItemID WHERE Items.GENRES IN ($G)", too_many, "26 entries; at most 25"},
      {"EXCLUDE ItemID WHERE Items.YEAR < 3", {{"bad key", "1"}}, "bad key"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.expression);
    Ids result = Excluded(c.expression, {.filter_values = &c.values});
    ASSERT_EQ(result.size(), 1u);
    EXPECT_THAT(result[0], HasSubstr("error: "));
    EXPECT_THAT(result[0], HasSubstr(c.detail));
  }
}

TEST_F(FilterEvaluatorTest, ComparesWithTheCurrentItem) {
  const char* related =
      "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRES IN CurrentItem.GENRES";
  const Ids all_but = {"i1", "i2", "i3", "i4", "i5", "i6", "i7", "ghost"};
  // i1: price 20, Drama -> cheaper Drama items: i0.
  EXPECT_EQ(Excluded(related, {.current_item_id = "i1"}), all_but);
  // i0: price 10, Comedy|Drama -> i2 (5.5, Action|Comedy).
  EXPECT_EQ(Excluded(related, {.current_item_id = "i0"}),
            (Ids{"i0", "i1", "i3", "i4", "i5", "i6", "i7", "ghost"}));
  // "other" is in the Items table but not the catalogue: still a valid current item
  // (12, Horror), but nothing cheaper is Horror.
  EXPECT_EQ(Excluded(related, {.current_item_id = "other"}), kItems);
  // Unknown or value-less current items match nothing.
  EXPECT_EQ(Excluded(related, {.current_item_id = "nope"}), kItems);
  EXPECT_EQ(
      Excluded("EXCLUDE ItemID WHERE Items.YEAR = CurrentItem.YEAR", {.current_item_id = "i7"}),
      (Ids{"i4", "i7"}));
  EXPECT_EQ(
      Excluded("EXCLUDE ItemID WHERE Items.PRICE >= CurrentItem.PRICE", {.current_item_id = "i4"}),
      Ids{});
  EXPECT_EQ(Excluded("EXCLUDE ItemID WHERE Items.GENRES NOT IN CurrentItem.GENRES",
                     {.current_item_id = "i2"}),
            (Ids{"i1", "i3", "i4", "i5", "i6"}));
  // A request without an itemId cannot evaluate CurrentItem.
  Ids result = Excluded(related);
  ASSERT_EQ(result.size(), 1u);
  EXPECT_THAT(result[0], HasSubstr("needs an itemId"));
}

TEST_F(FilterEvaluatorTest, AppliesIfClausesToTheRequestingUser) {
  const char* kids = R"(EXCLUDE ItemID WHERE Items.GENRES IN ("Horror") IF CurrentUser.AGE < 18)";
  EXPECT_EQ(Excluded(kids, {.user_id = "u2"}), Ids{"i3"});
  EXPECT_EQ(Excluded(kids, {.user_id = "u1"}), Ids{});
  EXPECT_EQ(Excluded(kids, {.user_id = "u3"}), Ids{});  // null AGE
  EXPECT_EQ(Excluded(kids, {.user_id = "nobody"}), Ids{});
  EXPECT_EQ(Excluded(kids), Ids{});

  // A skipped INCLUDE restricts nothing.
  const char* gold =
      R"(INCLUDE ItemID WHERE Items.GENRES IN ("Drama") IF CurrentUser.MEMBERSHIP IN ("gold"))";
  EXPECT_EQ(Excluded(gold, {.user_id = "u1"}), (Ids{"i2", "i3", "i4", "i5", "i7", "ghost"}));
  EXPECT_EQ(Excluded(gold, {.user_id = "u2"}), Ids{});

  const FilterValueMap min_age = {{"MIN_AGE", "18"}, {"TIER", "\"trial\""}};
  const char* both =
      "EXCLUDE ItemID WHERE Items.YEAR < 1980 IF CurrentUser.AGE < $MIN_AGE AND "
      "CurrentUser.MEMBERSHIP IN ($TIER)";
  EXPECT_EQ(Excluded(both, {.filter_values = &min_age, .user_id = "u2"}), Ids{"i3"});
  EXPECT_EQ(Excluded(both, {.filter_values = &min_age, .user_id = "u1"}), Ids{});
  // A missing IF value skips the EXCLUDE too.
  EXPECT_EQ(Excluded(both, {.user_id = "u2"}), Ids{});
}

TEST_F(FilterEvaluatorTest, MatchesTheUsersInteractions) {
  const std::vector<FilterInteraction> interactions = {{1, "Watch"},  {3, "click"},  {8, "WATCH"},
                                                       {42, "watch"}, {-1, "watch"}, {5, ""}};
  const FilterRequest request = {.user_id = "u1", .interactions = interactions};
  const std::vector<Case> cases = {
      {R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch"))", {"i1", "ghost"}},
      {R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("WATCH", "Click"))",
       {"i1", "i3", "ghost"}},
      {R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE = "click")", {"i3"}},
      {R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*"))", {"i1", "i3", "i5", "ghost"}},
      {R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN ("watch"))", {"i3", "i5"}},
      {R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN ("*"))", {}},
      {R"(INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click"))",
       {"i0", "i1", "i2", "i4", "i5", "i6", "i7", "ghost"}},
      // Interactions and Items are separate expressions joined with '|'.
      {R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch") | EXCLUDE ItemID WHERE Items.GENRES IN ("Horror"))",
       {"i1", "i3", "ghost"}},
  };
  ExpectCases(cases, request);
  const FilterValueMap values = {{"EVENTS", "\"CLICK\""}};
  EXPECT_EQ(Excluded("INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENTS)",
                     {.filter_values = &values, .interactions = interactions}),
            (Ids{"i0", "i1", "i2", "i4", "i5", "i6", "i7", "ghost"}));
  // Without interactions nothing matches.
  EXPECT_EQ(Excluded(R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*"))"), Ids{});
}

TEST_F(FilterEvaluatorTest, ChecksThePlanAgainstTheData) {
  struct BadCase {
    const char* expression;
    const char* detail;
  };
  const BadCase cases[] = {
      {"EXCLUDE ItemID WHERE Items.NOPE IN (\"a\")",
       "Filter expression at position 22: Items.NOPE is not a column of the Items dataset"},
      {"EXCLUDE ItemID WHERE Items.DESCRIPTION IN (\"a\")", "textual columns cannot be used"},
      {"EXCLUDE ItemID WHERE Items.IS_NEW = 1", "boolean columns cannot be used"},
      {"EXCLUDE ItemID WHERE Items.GENRES > 3", "Items.GENRES is a string column"},
      {"EXCLUDE ItemID WHERE Items.PRICE IN (\"cheap\")", "Items.PRICE is numeric, but \"cheap\""},
      {"EXCLUDE ItemID WHERE Items.PRICE = \"cheap\"", "is not a number"},
      {"EXCLUDE ItemID WHERE Items.PRICE < CurrentItem.GENRES", "cannot be compared"},
      {"EXCLUDE ItemID WHERE Items.GENRES IN CurrentItem.NOPE", "CurrentItem.NOPE is not a column"},
      {"EXCLUDE ItemID WHERE Items.YEAR > 1 IF CurrentUser.NOPE > 1",
       "CurrentUser.NOPE is not a column of the Users dataset"},
      {"EXCLUDE ItemID WHERE Items.YEAR > 1 IF CurrentUser.MEMBERSHIP > 1",
       "CurrentUser.MEMBERSHIP is a string column"},
      {"EXCLUDE UserID WHERE Users.AGE > 1",
       "selects UserID, but it is applied to a catalogue of "
       "ItemIDs"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.expression);
    StatusOr<std::unique_ptr<FilterEvaluator>> evaluator = Make(c.expression);
    ASSERT_FALSE(evaluator.ok());
    EXPECT_TRUE(evaluator.status().IsInvalidInput());
    EXPECT_THAT(evaluator.status().message(), HasSubstr(c.detail));
  }
}

TEST(FilterEvaluatorDataTest, NeedsTheDatasetsItUses) {
  StatusOr<std::unique_ptr<FilterIndex>> bare = FilterIndex::ForItems(kItems, nullptr, nullptr);
  ASSERT_TRUE(bare.ok());
  std::shared_ptr<const FilterIndex> index = std::move(bare).value();
  auto create = [&](const char* text) {
    StatusOr<FilterPlan> plan = FilterPlan::Parse(text);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return FilterEvaluator::Create(std::move(plan).value(), index);
  };
  auto items = create("EXCLUDE ItemID WHERE Items.A IN (\"a\")");
  EXPECT_THAT(items.status().message(), HasSubstr("Items.A needs the Items dataset"));
  auto users =
      create(R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("a") IF CurrentUser.AGE > 1)");
  EXPECT_THAT(users.status().message(), HasSubstr("CurrentUser.AGE needs the Users dataset"));
  // Interactions need no table: they come with the request.
  auto events = create(R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("a"))");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  const std::vector<FilterInteraction> interactions = {{2, "A"}};
  std::vector<uint64_t> exclude;
  ASSERT_TRUE((*events)->Evaluate({.interactions = interactions}, &exclude).ok());
  EXPECT_EQ(exclude, std::vector<uint64_t>{0b100});

  StatusOr<std::unique_ptr<FilterIndex>> no_id =
      FilterIndex::ForItems(kItems, MakeTable({StringColumn("GENRES", {"a"})}), nullptr);
  EXPECT_TRUE(no_id.status().IsInvalidInput());
  EXPECT_THAT(no_id.status().message(), HasSubstr("ITEM_ID"));
}

TEST(FilterEvaluatorBitsetTest, LaysOutSixtyFourItemsPerWord) {
  // 130 items: three words, the last holding two.
  std::vector<std::string> ids;
  std::vector<std::optional<std::string>> table_ids;
  std::vector<std::optional<int64_t>> ranks;
  for (int i = 0; i < 130; ++i) {
    ids.push_back("item" + std::to_string(i));
    table_ids.push_back(ids.back());
    ranks.push_back(i);
  }
  auto index = FilterIndex::ForItems(
      ids, MakeTable({StringColumn("ITEM_ID", table_ids), IntColumn("RANK", ranks)}), nullptr);
  ASSERT_TRUE(index.ok());
  std::shared_ptr<const FilterIndex> shared = std::move(index).value();
  auto evaluate = [&](const char* text, const FilterValueMap* values = nullptr) {
    auto evaluator = FilterEvaluator::Create(FilterPlan::Parse(text).value(), shared);
    EXPECT_TRUE(evaluator.ok()) << evaluator.status().ToString();
    std::vector<uint64_t> exclude;
    EXPECT_TRUE((*evaluator)->Evaluate({.filter_values = values}, &exclude).ok());
    return exclude;
  };
  EXPECT_EQ(evaluate("EXCLUDE ItemID WHERE Items.RANK IN (0, 63, 64, 129)"),
            (std::vector<uint64_t>{0x8000000000000001ull, 1, 0b10}));
  // Everything excluded: all bits set, none past the catalogue.
  EXPECT_EQ(evaluate("INCLUDE ItemID WHERE Items.RANK < 0"),
            (std::vector<uint64_t>{~0ull, ~0ull, 0b11}));
  const FilterValueMap values = {{"R", "127"}};
  EXPECT_EQ(evaluate("EXCLUDE ItemID WHERE Items.RANK >= $R"), (std::vector<uint64_t>{0, 0, 0}));
  EXPECT_EQ(evaluate("EXCLUDE ItemID WHERE Items.RANK >= $R", &values),
            (std::vector<uint64_t>{0, 1ull << 63, 0b11}));
  EXPECT_EQ(evaluate("EXCLUDE ItemID WHERE Items.RANK > 200"), (std::vector<uint64_t>{0, 0, 0}));
}

TEST(FilterEvaluatorUsersTest, FiltersUserSegments) {
  const Ids users = {"u1", "u2", "u3", "u4"};  // u4 has no Users row
  data::InteractionTable interactions;
  interactions.user_ids = {"u1", "u2", "u4", "stranger"};
  interactions.item_ids = {"i0"};
  interactions.event_types = {"click", "WATCH", "Purchase"};
  interactions.users = {0, 0, 1, 2, 3};
  interactions.items = {0, 0, 0, 0, 0};
  interactions.timestamps = {1, 2, 3, 4, 5};
  interactions.event_type_per_row = {0, 1, 2, data::InteractionTable::kNoEventType, 0};
  auto built = FilterIndex::ForUsers(users, UsersTable(), &interactions);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  std::shared_ptr<const FilterIndex> index = std::move(built).value();
  EXPECT_EQ(index->target(), FilterTarget::kUserId);
  EXPECT_EQ(index->size(), 4u);
  auto excluded = [&](const char* text, const FilterValueMap* values = nullptr) -> Ids {
    auto evaluator = FilterEvaluator::Create(FilterPlan::Parse(text).value(), index);
    if (!evaluator.ok()) return {"error: " + evaluator.status().message()};
    std::vector<uint64_t> exclude;
    Status status = (*evaluator)->Evaluate({.filter_values = values}, &exclude);
    if (!status.ok()) return {"error: " + status.message()};
    return SetIds(exclude, users);
  };
  const FilterValueMap values = {
      {"MEMBERSHIP", "\"gold\""}, {"AGE", "18"}, {"EVENT_TYPE", "\"watch\""}};
  EXPECT_EQ(excluded("INCLUDE UserID WHERE Users.MEMBERSHIP IN ($MEMBERSHIP)", &values),
            (Ids{"u2", "u4"}));
  EXPECT_EQ(excluded("EXCLUDE UserID WHERE Users.AGE < $AGE", &values), Ids{"u2"});
  EXPECT_EQ(excluded("EXCLUDE UserID WHERE Users.MEMBERSHIP NOT IN (\"trial\")"),
            (Ids{"u1", "u3"}));
  EXPECT_EQ(excluded(R"(INCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("click", "rating"))"),
            (Ids{"u2", "u3", "u4"}));
  EXPECT_EQ(excluded("EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)", &values),
            Ids{"u1"});
  EXPECT_EQ(excluded("EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)"), Ids{});
  EXPECT_EQ(excluded(R"(INCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("*"))"), Ids{"u3"});
  // u1 watched, u2 purchased, u4 has an interaction without a type: all outside ("click").
  EXPECT_EQ(excluded(R"(INCLUDE UserID WHERE Interactions.EVENT_TYPE NOT IN ("click"))"),
            Ids{"u3"});
  EXPECT_EQ(
      excluded(
          R"(INCLUDE UserID WHERE Users.AGE >= 18 | EXCLUDE UserID WHERE Interactions.EVENT_TYPE = "CLICK")"),
      (Ids{"u1", "u2", "u3", "u4"}));
  EXPECT_EQ(excluded(R"(INCLUDE ItemID WHERE Items.A IN ("a"))")[0],
            "error: Filter expression selects ItemID, but it is applied to a catalogue of UserIDs");

  auto no_events = FilterIndex::ForUsers(users, UsersTable(), nullptr);
  ASSERT_TRUE(no_events.ok());
  auto evaluator = FilterEvaluator::Create(
      FilterPlan::Parse(R"(EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("a"))").value(),
      std::move(no_events).value());
  EXPECT_THAT(evaluator.status().message(), HasSubstr("needs the interactions"));
}

TEST(FilterEvaluatorActionsTest, FiltersActions) {
  const Ids actions = {"a0", "a1", "a2"};
  auto table =
      MakeTable({StringColumn("ACTION_ID", {"a0", "a1", "a2"}), IntColumn("VALUE", {5, 50, 500})});
  auto built = FilterIndex::ForActions(actions, table, nullptr);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  std::shared_ptr<const FilterIndex> index = std::move(built).value();
  auto evaluator = FilterEvaluator::Create(
      FilterPlan::Parse(
          R"(INCLUDE ActionID WHERE Actions.VALUE > 10 | EXCLUDE ActionID WHERE ActionInteractions.EVENT_TYPE IN ("Taken"))")
          .value(),
      index);
  ASSERT_TRUE(evaluator.ok()) << evaluator.status().ToString();
  const std::vector<FilterInteraction> interactions = {{2, "taken"}, {1, "Viewed"}};
  std::vector<uint64_t> exclude;
  ASSERT_TRUE((*evaluator)->Evaluate({.interactions = interactions}, &exclude).ok());
  EXPECT_EQ(SetIds(exclude, actions), (Ids{"a0", "a2"}));
}

TEST_F(FilterEvaluatorTest, EvaluatesConcurrently) {
  auto evaluator = Make(
      "INCLUDE ItemID WHERE Items.GENRES IN ($GENRES) | EXCLUDE ItemID WHERE Items.PRICE > $MAX");
  ASSERT_TRUE(evaluator.ok()) << evaluator.status().ToString();
  const FilterEvaluator& shared = **evaluator;
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const FilterValueMap values = {{"GENRES", t % 2 ? "\"Drama\"" : "\"Comedy\""}, {"MAX", "15"}};
      const Ids expected = t % 2 ? Ids{"i1", "i2", "i3", "i4", "i5", "i6", "i7", "ghost"}
                                 : Ids{"i1", "i3", "i4", "i5", "i6", "i7", "ghost"};
      std::vector<uint64_t> exclude;
      for (int i = 0; i < 300; ++i) {
        Status status = shared.Evaluate({.filter_values = &values}, &exclude);
        if (!status.ok() || SetIds(exclude, kItems) != expected) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace tailor::serve
