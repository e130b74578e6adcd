// Randomized equality of FilterEvaluator (indexed) with EvaluateFilterReference (style.md X7):
// random catalogues, metadata, filter expressions and requests.
#include "serve/filter/filter_reference.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "data/table.h"
#include "serve/filter/filter_evaluator.h"
#include "serve/filter/filter_index.h"
#include "serve/filter/filter_test_util.h"

namespace tailor::serve {
namespace {

using testing::BitString;
using testing::DoubleColumn;
using testing::IntColumn;
using testing::MakeTable;
using testing::StringColumn;

class RandomWorld {
 public:
  RandomWorld(FilterTarget target, size_t size, uint32_t seed) : target_(target), rng_(seed) {
    for (size_t i = 0; i < size; ++i) ids_.push_back("e" + std::to_string(i));
    for (int i = 0; i < 8; ++i) user_ids_.push_back("u" + std::to_string(i));
    if (target_ == FilterTarget::kUserId) {
      ids_ = user_ids_;
      for (size_t i = 8; i < size; ++i) ids_.push_back("u" + std::to_string(i));
      entities_ = MakeUsers(ids_);
      MakeInteractions();
    } else {
      entities_ = MakeItems();
      users_ = MakeUsers(user_ids_);
    }
  }

  const std::vector<std::string>& ids() const { return ids_; }
  std::shared_ptr<const data::DatasetTable> entities() const { return entities_; }
  std::shared_ptr<const data::DatasetTable> users() const { return users_; }
  const data::InteractionTable& interactions() const { return interactions_; }

  std::string RandomExpression() {
    std::string text;
    const int expressions = Uniform(1, 3);
    for (int e = 0; e < expressions; ++e) {
      if (e > 0) text += " | ";
      text += Chance(0.5) ? "INCLUDE " : "EXCLUDE ";
      text += std::string(FilterTargetName(target_)) + " WHERE ";
      const bool events = Chance(0.3);
      const int groups = Uniform(1, 3);
      for (int g = 0; g < groups; ++g) {
        if (g > 0) text += " OR ";
        const int conditions = Uniform(1, 3);
        for (int c = 0; c < conditions; ++c) {
          if (c > 0) text += " AND ";
          text += events ? EventCondition() : MetadataCondition();
        }
      }
      if (target_ == FilterTarget::kItemId && Chance(0.25)) {
        text += Chance(0.5) ? " IF CurrentUser.AGE " + Pick<std::string>({"<", ">=", "="}) + " " +
                                  Pick<std::string>({"20", "$A0"})
                            : R"( IF CurrentUser.TIER IN ("gold", $T0))";
      }
    }
    return text;
  }

  FilterValueMap RandomValues() {
    FilterValueMap values;
    auto maybe = [&](const std::string& name, std::string value) {
      if (Chance(0.75)) values[name] = std::move(value);
    };
    maybe("G0", QuotedList({"a", "b", "c", "D", "zz"}));
    maybe("G1", QuotedList({"a", "d", "x", "y"}));
    // Comparisons need one value; sometimes two, which must fail in both evaluators.
    maybe("P0", Chance(0.9) ? Pick<std::string>({"2", "\"2.5\"", "1984", "0", "\"1987\""})
                            : "\"1\",\"2\"");
    maybe("P1", Pick<std::string>({"3", "1990", "-1"}));
    maybe("E0", QuotedList({"click", "WATCH", "buy", "Nope", "*"}));
    maybe("A0", Pick<std::string>({"18", "30"}));
    maybe("T0", QuotedList({"vip", "silver"}));
    return values;
  }

  std::vector<FilterInteraction> RandomInteractions() {
    std::vector<FilterInteraction> interactions(Uniform(0, 20));
    for (FilterInteraction& interaction : interactions) {
      interaction.item = Uniform(-1, static_cast<int>(ids_.size()) + 1);
      interaction.event_type =
          Pick<std::string_view>({"click", "CLICK", "watch", "Buy", "buy", ""});
    }
    return interactions;
  }

  std::string RandomCurrentItem() {
    if (Chance(0.1) || ids_.empty()) return Chance(0.5) ? "" : "unknown";
    return Chance(0.1) ? "extra1" : ids_[Uniform(0, static_cast<int>(ids_.size()) - 1)];
  }
  std::string RandomUser() { return Chance(0.1) ? "" : "u" + std::to_string(Uniform(0, 9)); }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  T Pick(std::vector<T> options) {
    return options[Uniform(0, static_cast<int>(options.size()) - 1)];
  }

  std::string QuotedList(const std::vector<std::string>& vocabulary) {
    std::string out;
    const int n = Uniform(1, 3);
    for (int i = 0; i < n; ++i) {
      if (i > 0) out += ",";
      out += "\"" + Pick(vocabulary) + "\"";
    }
    return out;
  }

  std::string NumberList() {
    std::string out = "(";
    const int n = Uniform(1, 3);
    for (int i = 0; i < n; ++i) {
      if (i > 0) out += ", ";
      out += Pick<std::string>({"1", "2", "2.5", "1984", "1988", "7"});
    }
    return out + ")";
  }

  std::string MetadataCondition() {
    const bool users = target_ == FilterTarget::kUserId;
    const std::string dataset = users ? "Users." : "Items.";
    const bool numeric = Chance(0.5);
    const bool current_item = !users && Chance(0.2);
    if (numeric) {
      const std::string column = users ? "AGE" : Pick<std::string>({"PRICE", "YEAR"});
      const std::string op = Pick<std::string>({"IN", "NOT IN", "=", "<", "<=", ">", ">="});
      std::string rhs;
      if (current_item) {
        rhs = "CurrentItem." + Pick<std::string>({"PRICE", "YEAR"});
      } else if (op == "IN" || op == "NOT IN") {
        rhs = op == "IN" && Chance(0.3) ? "($P0, 3)" : NumberList();
      } else {
        rhs = Chance(0.4) ? Pick<std::string>({"$P0", "$P1"})
                          : Pick<std::string>({"2", "2.5", "1985", "-3", "1e3"});
      }
      return dataset + column + " " + op + " " + rhs;
    }
    const std::string column = users ? "TIER" : Pick<std::string>({"GENRES", "TAG"});
    const std::string op = Pick<std::string>({"IN", "NOT IN", "="});
    std::string rhs;
    if (current_item) {
      rhs = op == "=" ? "CurrentItem.TAG" : "CurrentItem." + Pick<std::string>({"GENRES", "TAG"});
    } else if (op == "=") {
      rhs = Chance(0.3) ? "$G0" : "\"" + Pick<std::string>({"a", "b", "x", "gold"}) + "\"";
    } else if (op == "IN" && Chance(0.4)) {
      rhs = Pick<std::string>({"($G0)", "($G1, \"b\")", "($T0)"});
    } else {
      rhs = "(" + QuotedList({"a", "b", "c", "d", "D", "x", "gold", "vip"}) + ")";
    }
    return dataset + column + " " + op + " " + rhs;
  }

  std::string EventCondition() {
    const std::string op = Pick<std::string>({"IN", "NOT IN", "="});
    std::string rhs;
    if (op == "=") {
      rhs = Pick<std::string>({"\"click\"", "\"BUY\"", "$E0"});
    } else if (op == "IN" && Chance(0.3)) {
      rhs = "($E0)";
    } else {
      rhs = Pick<std::string>(
          {"(\"click\")", "(\"Watch\", \"buy\")", "(\"*\")", "(*, \"x\")", "(\"\")"});
    }
    return "Interactions.EVENT_TYPE " + op + " " + rhs;
  }

  std::optional<std::string> Genres() {
    if (Chance(0.1)) return std::nullopt;
    std::string value;
    const int parts = Uniform(0, 3);
    for (int i = 0; i < parts; ++i) {
      if (i > 0) value += "|";
      value += Pick<std::string>({"a", "b", "c", "d", "D", "a"});
    }
    return value;
  }

  // Most catalogue entries get a row, in shuffled order; two extra rows are not in the catalogue.
  std::vector<std::string> TableIds(const std::vector<std::string>& ids) {
    std::vector<std::string> rows;
    for (const std::string& id : ids) {
      if (Chance(0.85)) rows.push_back(id);
    }
    rows.push_back("extra1");
    rows.push_back("extra2");
    std::shuffle(rows.begin(), rows.end(), rng_);
    return rows;
  }

  std::shared_ptr<const data::DatasetTable> MakeItems() {
    const std::vector<std::string> rows = TableIds(ids_);
    std::vector<std::optional<std::string>> item_ids, genres, tags;
    std::vector<std::optional<double>> prices;
    std::vector<std::optional<int64_t>> years;
    for (const std::string& id : rows) {
      item_ids.push_back(id);
      genres.push_back(Genres());
      tags.push_back(Chance(0.1) ? std::nullopt
                                 : std::optional<std::string>(Pick<std::string>({"x", "y", "a"})));
      prices.push_back(Chance(0.1) ? std::nullopt
                                   : std::optional<double>(Pick<double>({1, 2, 2.5, 3, 7})));
      years.push_back(Chance(0.1) ? std::nullopt : std::optional<int64_t>(Uniform(1980, 1990)));
    }
    return MakeTable({StringColumn("ITEM_ID", item_ids),
                      StringColumn("GENRES", genres, /*categorical=*/true),
                      StringColumn("TAG", tags), DoubleColumn("PRICE", prices),
                      IntColumn("YEAR", years, data::FieldType::kLong)});
  }

  std::shared_ptr<const data::DatasetTable> MakeUsers(const std::vector<std::string>& ids) {
    const std::vector<std::string> rows = TableIds(ids);
    std::vector<std::optional<std::string>> user_ids, tiers;
    std::vector<std::optional<int64_t>> ages;
    for (const std::string& id : rows) {
      user_ids.push_back(id);
      ages.push_back(Chance(0.2) ? std::nullopt : std::optional<int64_t>(Uniform(10, 40)));
      tiers.push_back(
          Pick<std::optional<std::string>>({"gold", "silver", "gold|vip", std::nullopt}));
    }
    return MakeTable({StringColumn("USER_ID", user_ids), IntColumn("AGE", ages),
                      StringColumn("TIER", tiers, /*categorical=*/true)});
  }

  void MakeInteractions() {
    interactions_.user_ids = ids_;
    interactions_.user_ids.push_back("stranger");
    interactions_.item_ids = {"i0"};
    interactions_.event_types = {"click", "Watch", "BUY", ""};
    const int rows = Uniform(0, static_cast<int>(ids_.size()) * 2);
    for (int r = 0; r < rows; ++r) {
      interactions_.users.push_back(Uniform(0, static_cast<int>(ids_.size())));
      interactions_.items.push_back(0);
      interactions_.timestamps.push_back(r);
      interactions_.event_type_per_row.push_back(Chance(0.1) ? data::InteractionTable::kNoEventType
                                                             : Uniform(0, 3));
    }
  }

  FilterTarget target_;
  std::mt19937 rng_;
  std::vector<std::string> ids_;
  std::vector<std::string> user_ids_;
  std::shared_ptr<const data::DatasetTable> entities_;
  std::shared_ptr<const data::DatasetTable> users_;
  data::InteractionTable interactions_;
};

void CompareWithReference(FilterTarget target, size_t size, uint32_t seed, int filters,
                          int requests_per_filter) {
  SCOPED_TRACE("size " + std::to_string(size) + ", seed " + std::to_string(seed));
  RandomWorld world(target, size, seed);
  StatusOr<std::unique_ptr<FilterIndex>> built =
      target == FilterTarget::kUserId
          ? FilterIndex::ForUsers(world.ids(), world.entities(), &world.interactions())
          : FilterIndex::ForItems(world.ids(), world.entities(), world.users());
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  std::shared_ptr<const FilterIndex> index = std::move(built).value();
  const ReferenceFilterData data = {.target = target,
                                    .ids = world.ids(),
                                    .entities = world.entities().get(),
                                    .users = world.users().get(),
                                    .interactions = &world.interactions()};
  int agreed_ok = 0;
  for (int f = 0; f < filters; ++f) {
    const std::string text = world.RandomExpression();
    SCOPED_TRACE(text);
    StatusOr<FilterPlan> plan = FilterPlan::Parse(text);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    StatusOr<std::unique_ptr<FilterEvaluator>> evaluator = FilterEvaluator::Create(*plan, index);
    ASSERT_TRUE(evaluator.ok()) << evaluator.status().ToString();
    for (int r = 0; r < requests_per_filter; ++r) {
      const FilterValueMap values = world.RandomValues();
      const std::vector<FilterInteraction> interactions = world.RandomInteractions();
      const std::string current_item = world.RandomCurrentItem();
      const std::string user = world.RandomUser();
      const FilterRequest request = {.filter_values = &values,
                                     .user_id = user,
                                     .interactions = interactions,
                                     .current_item_id = current_item};
      std::vector<uint64_t> fast;
      const Status status = (*evaluator)->Evaluate(request, &fast);
      const StatusOr<std::vector<uint64_t>> slow = EvaluateFilterReference(*plan, data, request);
      ASSERT_EQ(status.ok(), slow.ok())
          << "indexed: " << status.ToString() << ", reference: " << slow.status().ToString();
      if (!status.ok()) {
        EXPECT_TRUE(status.IsInvalidInput());
        continue;
      }
      ++agreed_ok;
      ASSERT_EQ(BitString(fast, size), BitString(*slow, size))
          << "user " << user << ", current item " << current_item;
      ASSERT_EQ(fast, *slow);
    }
  }
  // Most requests should evaluate; a generator that only produced errors would test nothing.
  EXPECT_GT(agreed_ok, filters * requests_per_filter / 4);
}

TEST(FilterReferenceTest, IndexedItemFiltersMatchTheReference) {
  uint32_t seed = 1;
  for (size_t size : {1, 7, 63, 64, 65, 129, 200}) {
    CompareWithReference(FilterTarget::kItemId, size, seed++, 60, 4);
  }
  // Large enough for the numeric index's prefix bins to have partial and full bins.
  CompareWithReference(FilterTarget::kItemId, 5000, seed++, 12, 2);
}

TEST(FilterReferenceTest, IndexedUserFiltersMatchTheReference) {
  uint32_t seed = 100;
  for (size_t size : {8, 9, 64, 100, 300}) {
    CompareWithReference(FilterTarget::kUserId, size, seed++, 50, 3);
  }
}

TEST(FilterReferenceTest, EmptyCatalogue) {
  auto index = FilterIndex::ForItems({}, MakeTable({StringColumn("ITEM_ID", {"x"})}), nullptr);
  ASSERT_TRUE(index.ok());
  auto evaluator = FilterEvaluator::Create(
      FilterPlan::Parse(R"(INCLUDE ItemID WHERE Items.ITEM_ID IN ("x"))").value(),
      std::move(index).value());
  ASSERT_TRUE(evaluator.ok()) << evaluator.status().ToString();
  std::vector<uint64_t> exclude = {7};
  ASSERT_TRUE((*evaluator)->Evaluate({}, &exclude).ok());
  EXPECT_TRUE(exclude.empty());
}

}  // namespace
}  // namespace tailor::serve
