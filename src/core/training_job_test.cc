#include "core/training_job.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "algo/context/context_lift.h"
#include "algo/recipe_registry.h"
#include "core/recipe_catalog.h"
#include "core/trained_model.h"

namespace tailor::core {
namespace {

// Four events: a click of value 1, a click of value 3, a purchase of value 2, a view.
data::InteractionTable FourEvents() {
  data::InteractionTable t;
  t.user_ids = {"u0", "u1"};
  t.item_ids = {"i0", "i1", "i2"};
  t.event_types = {"click", "purchase", "view"};
  t.users = {0, 0, 1, 1};
  t.items = {0, 1, 2, 0};
  t.timestamps = {10, 20, 30, 40};
  t.event_type_per_row = {0, 0, 1, 2};
  t.event_values = {1, 3, 2, NAN};
  return t;
}

TEST(SelectEventsTest, WithoutEventsConfigEveryEventWeighsOne) {
  auto s = SelectEvents(FourEvents(), "", "", {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->data.size(), 4u);
  for (size_t e = 0; e < s->data.size(); ++e) EXPECT_EQ(s->data.weight_at(e), 1.0f);
}

// The events keep their types, numbered in order of first appearance among the selected ones.
TEST(SelectEventsTest, EventTypesAreNumberedByFirstAppearance) {
  auto s = SelectEvents(FourEvents(), "", "2", {});  // values 3 (click) and 2 (purchase)
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->event_types, (std::vector<std::string>{"click", "purchase"}));
  EXPECT_EQ(s->data.event_type, (std::vector<uint8_t>{0, 1}));
  data::InteractionTable t = FourEvents();
  t.event_type_per_row = {2, data::InteractionTable::kNoEventType, 2, 0};
  s = SelectEvents(t, "", "", {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->event_types, (std::vector<std::string>{"view", "", "click"}));
  EXPECT_EQ(s->data.event_type, (std::vector<uint8_t>{0, 1, 0, 2}));
}

TEST(SelectEventsTest, EventsConfigKeepsListedTypesWithTheirThresholdsAndWeights) {
  std::vector<EventParameters> params = {{.event_type = "click",
                                          .has_event_value_threshold = true,
                                          .event_value_threshold = 2,
                                          .weight = 0.25},
                                         {.event_type = "purchase", .weight = 1}};
  auto s = SelectEvents(FourEvents(), "", "", params);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  // The click of value 1 is under its threshold and the view is not listed.
  ASSERT_EQ(s->data.size(), 2u);
  EXPECT_EQ(s->item_ids, (std::vector<std::string>{"i1", "i2"}));
  EXPECT_FLOAT_EQ(s->data.weight_at(0), 0.25f);
  EXPECT_FLOAT_EQ(s->data.weight_at(1), 1.0f);

  // A weight of 0 takes the type out.
  params[1].weight = 0;
  s = SelectEvents(FourEvents(), "", "", params);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->data.size(), 1u);
}

TEST(SelectEventsTest, EventsConfigErrorsNameTheProblem) {
  auto unknown = SelectEvents(FourEvents(), "", "", {{.event_type = "share"}});
  EXPECT_TRUE(unknown.status().IsInvalidInput());
  EXPECT_NE(unknown.status().message().find("'share'"), std::string::npos);
  data::InteractionTable no_types = FourEvents();
  no_types.event_type_per_row.clear();
  auto s = SelectEvents(no_types, "", "", {{.event_type = "click"}});
  EXPECT_TRUE(s.status().IsInvalidInput());
  EXPECT_NE(s.status().message().find("EVENT_TYPE"), std::string::npos);
}

// `users` × `per_user` events on 50 items, with a DEVICE column of two values and an ORDER_ID
// column of one value per event.
data::InteractionTable WithContext(int users, int per_user) {
  data::InteractionTable t;
  data::InteractionTable::ContextColumn device{
      .name = "DEVICE", .values = {"mobile", "desktop"}, .value_per_row = {}};
  data::InteractionTable::ContextColumn order{
      .name = "ORDER_ID", .values = {}, .value_per_row = {}};
  for (int i = 0; i < 50; ++i) t.item_ids.push_back("i" + std::to_string(i));
  for (int u = 0; u < users; ++u) {
    t.user_ids.push_back("u" + std::to_string(u));
    for (int e = 0; e < per_user; ++e) {
      t.users.push_back(u);
      t.items.push_back((u * 7 + e * 3) % 50);
      t.timestamps.push_back(1000 + e);
      device.value_per_row.push_back(t.items.back() < 25 ? 0 : 1);
      order.value_per_row.push_back(static_cast<uint32_t>(order.values.size()));
      order.values.push_back("o" + std::to_string(order.values.size()));
    }
  }
  t.context_columns = {device, order};
  return t;
}

TEST(TrainSolutionVersionTest, LearnsContextColumnsButNotIdentifiers) {
  const algo::RecipeRegistry registry = algo::BuiltinRecipes();
  const data::InteractionTable table = WithContext(/*users=*/1000, /*per_user=*/101);
  TrainingJobInput input;
  input.interactions = &table;
  auto recipe = FindRecipe("recipeArn", "aws-user-personalization");
  ASSERT_TRUE(recipe.ok());
  input.recipe = *recipe;
  input.config.algorithm_hyper_parameters = {{"hidden_dimension", "4"}, {"iterations", "1"}};
  std::vector<std::string> lines;
  input.report = [&](const std::string& line) { lines.push_back(line); };
  auto result = TrainSolutionVersion(registry, input);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_NE(result->model->context, nullptr);
  // 101,000 order ids: an identifier, left out and said so in the log.
  EXPECT_EQ(result->model->context->ColumnNames(), std::vector<std::string>{"DEVICE"});
  bool reported = false;
  for (const std::string& line : lines) reported |= line.find("ORDER_ID") != std::string::npos;
  EXPECT_TRUE(reported);
  // trainingDataConfig can leave DEVICE out too.
  input.config.excluded_dataset_columns = {{"INTERACTIONS", {"DEVICE"}}};
  result = TrainSolutionVersion(registry, input);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->model->context, nullptr);
}

// Drama fans d0..d59 watch dramas, comedy fans c0..c59 comedies (10 items each), and one user
// only the two rare items: "rare-drama" and "rare-comedy", which the events cannot tell apart.
data::InteractionTable FansAndTwoRareItems() {
  data::InteractionTable t;
  for (int i = 0; i < 10; ++i) t.item_ids.push_back("drama" + std::to_string(i));
  for (int i = 0; i < 10; ++i) t.item_ids.push_back("comedy" + std::to_string(i));
  t.item_ids.push_back("rare-drama");
  t.item_ids.push_back("rare-comedy");
  auto add = [&](int32_t user, int32_t item, int64_t ts) {
    t.users.push_back(user);
    t.items.push_back(item);
    t.timestamps.push_back(ts);
  };
  int64_t ts = 1000;
  for (int u = 0; u < 120; ++u) {
    const bool drama = u < 60;
    t.user_ids.push_back((drama ? "d" : "c") + std::to_string(drama ? u : u - 60));
    for (int e = 0; e < 10; ++e) add(u, (drama ? 0 : 10) + (u + e) % 10, ++ts);
  }
  t.user_ids.push_back("both");
  add(120, 20, ++ts);
  add(120, 21, ts);
  return t;
}

// An Items table with GENRES (categorical) for the items of FansAndTwoRareItems.
data::DatasetTable GenresOf(const data::InteractionTable& interactions) {
  data::DatasetTable items;
  data::TableColumn ids{.field = {.name = "ITEM_ID"}},
      genres{.field = {.name = "GENRES", .categorical = true}};
  genres.dictionary = {"Drama", "Comedy"};
  for (const std::string& id : interactions.item_ids) {
    ids.codes.push_back(static_cast<uint32_t>(ids.dictionary.size()));
    ids.dictionary.push_back(id);
    genres.codes.push_back(id.find("drama") != std::string::npos ? 0 : 1);
  }
  items.num_rows = static_cast<int64_t>(interactions.item_ids.size());
  items.columns = {ids, genres};
  return items;
}

// A user-personalization job on `table` with ALS alone deciding (no sequence or popularity
// component), logging into *lines.
TrainingJobInput AlsOnlyJob(const data::InteractionTable& table, std::vector<std::string>* lines) {
  TrainingJobInput input;
  input.interactions = &table;
  input.recipe = *FindRecipe("recipeArn", "aws-user-personalization");
  input.config.algorithm_hyper_parameters = {{"hidden_dimension", "8"},
                                             {"sequence_weight", "0"},
                                             {"popularity_weight", "0"},
                                             {"neighbor_weight", "0"}};
  input.report = [lines](const std::string& line) { lines->push_back(line); };
  return input;
}

// The model's score of every item for `user`.
std::vector<float> ScoresOf(const TrainedModel& m, const std::string& user) {
  std::vector<float> scores(m.item_ids.size());
  EXPECT_TRUE(m.model->ScoreItems({.user = m.UserIndex(user)}, scores).ok());
  return scores;
}

// Items metadata reaches training: the rare drama leads the rare comedy for a drama fan and
// trails it for a comedy fan; trainingDataConfig leaving GENRES out leaves them tied.
TEST(TrainSolutionVersionTest, ItemsMetadataPlacesItemsWithLittleHistory) {
  const algo::RecipeRegistry registry = algo::BuiltinRecipes();
  const data::InteractionTable table = FansAndTwoRareItems();
  const data::DatasetTable items = GenresOf(table);
  std::vector<std::string> lines;
  TrainingJobInput input = AlsOnlyJob(table, &lines);
  input.items = &items;
  auto lead = [&](const TrainedModel& m, const std::string& user) {
    const std::vector<float> scores = ScoresOf(m, user);
    return scores[m.ItemIndex("rare-drama")] - scores[m.ItemIndex("rare-comedy")];
  };
  auto result = TrainSolutionVersion(registry, input);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const float drama_fan = lead(*result->model, "d3"), comedy_fan = lead(*result->model, "c3");
  EXPECT_GT(drama_fan, 0.0f);
  EXPECT_LT(comedy_fan, 0.0f);
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "Items metadata: 2 values of the columns GENRES, on 22 of the 22 items"),
            lines.end());

  input.config.excluded_dataset_columns = {{"ITEMS", {"GENRES"}}};
  result = TrainSolutionVersion(registry, input);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_LT(std::abs(lead(*result->model, "d3")), 0.1f * drama_fan);
  EXPECT_LT(std::abs(lead(*result->model, "c3")), 0.1f * -comedy_fan);
}

// Coverage's catalogue is the interactions' items and the Items dataset's: 22 more Items rows
// without interactions halve it for the same recommendations.
TEST(TrainSolutionVersionTest, CoverageCountsTheItemsDatasetsItems) {
  const algo::RecipeRegistry registry = algo::BuiltinRecipes();
  const data::InteractionTable table = FansAndTwoRareItems();
  data::InteractionTable shadow = table;
  for (std::string& id : shadow.item_ids) id = "only-in-items-" + id;
  data::DatasetTable items = GenresOf(table);
  const data::DatasetTable more = GenresOf(shadow);
  for (size_t c = 0; c < items.columns.size(); ++c) {
    data::TableColumn& column = items.columns[c];
    for (uint32_t code : more.columns[c].codes) {
      if (c == 0) {
        column.codes.push_back(static_cast<uint32_t>(column.dictionary.size()));
        column.dictionary.push_back(more.columns[c].dictionary[code]);
      } else {
        column.codes.push_back(code);
      }
    }
  }
  items.num_rows *= 2;
  TrainingJobInput input;
  input.interactions = &table;
  auto recipe = FindRecipe("recipeArn", "aws-user-personalization");
  ASSERT_TRUE(recipe.ok());
  input.recipe = *recipe;
  // Without the metadata prior, so that the Items dataset changes the catalogue only.
  input.config.algorithm_hyper_parameters = {{"hidden_dimension", "8"},
                                             {"item_metadata_weight", "0"}};
  auto alone = TrainSolutionVersion(registry, input);
  ASSERT_TRUE(alone.ok()) << alone.status().ToString();
  input.items = &items;
  auto with_items = TrainSolutionVersion(registry, input);
  ASSERT_TRUE(with_items.ok()) << with_items.status().ToString();
  EXPECT_GT(alone->metrics.at("coverage"), 0.0);
  EXPECT_DOUBLE_EQ(with_items->metrics.at("coverage"), alone->metrics.at("coverage") / 2);
}

// Fans as in FansAndTwoRareItems, plus two users with one event each on the same item, which
// every fan also had: only their Users row (SEGMENT) tells them apart.
TEST(TrainSolutionVersionTest, UsersMetadataPlacesUsersWithLittleHistory) {
  const algo::RecipeRegistry registry = algo::BuiltinRecipes();
  data::InteractionTable table = FansAndTwoRareItems();
  table.item_ids.push_back("everyone");
  const int32_t everyone = static_cast<int32_t>(table.item_ids.size()) - 1;
  for (int32_t u = 0; u < 120; ++u) {
    table.users.push_back(u);
    table.items.push_back(everyone);
    table.timestamps.push_back(900);
  }
  for (const char* id : {"new-drama-fan", "new-comedy-fan"}) {
    table.user_ids.push_back(id);
    table.users.push_back(static_cast<int32_t>(table.user_ids.size()) - 1);
    table.items.push_back(everyone);
    table.timestamps.push_back(5000);
  }
  data::DatasetTable users;
  data::TableColumn ids{.field = {.name = "USER_ID"}};
  data::TableColumn segment{.field = {.name = "SEGMENT", .categorical = true}};
  segment.dictionary = {"drama", "comedy"};
  for (const std::string& id : table.user_ids) {
    if (id == "both") continue;
    ids.codes.push_back(static_cast<uint32_t>(ids.dictionary.size()));
    ids.dictionary.push_back(id);
    segment.codes.push_back(id[0] == 'd' || id == "new-drama-fan" ? 0 : 1);
  }
  users.num_rows = static_cast<int64_t>(ids.codes.size());
  users.columns = {ids, segment};
  std::vector<std::string> lines;
  TrainingJobInput input = AlsOnlyJob(table, &lines);
  input.users = &users;
  // How much more the user's scores favour dramas than comedies, on average.
  auto drama_lead = [&](const TrainedModel& m, const std::string& user) {
    const std::vector<float> scores = ScoresOf(m, user);
    double lead = 0;
    for (int i = 0; i < 10; ++i) {
      lead += scores[m.ItemIndex("drama" + std::to_string(i))] -
              scores[m.ItemIndex("comedy" + std::to_string(i))];
    }
    return lead / 10;
  };
  auto result = TrainSolutionVersion(registry, input);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const double drama = drama_lead(*result->model, "new-drama-fan");
  const double comedy = drama_lead(*result->model, "new-comedy-fan");
  EXPECT_GT(drama, 0.0);
  EXPECT_LT(comedy, 0.0);
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "Users metadata: 2 values of the columns SEGMENT, on 122 of the 123 users"),
            lines.end());

  input.config.excluded_dataset_columns = {{"USERS", {"SEGMENT"}}};
  result = TrainSolutionVersion(registry, input);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_LT(std::abs(drama_lead(*result->model, "new-drama-fan")), 0.1 * drama);
  EXPECT_LT(std::abs(drama_lead(*result->model, "new-comedy-fan")), 0.1 * -comedy);
}

// The log names each stage's iALS iterations with their loss, as the users watch them.
TEST(TrainSolutionVersionTest, LogsEachIterationWithItsLoss) {
  const algo::RecipeRegistry registry = algo::BuiltinRecipes();
  const data::InteractionTable table = FansAndTwoRareItems();
  TrainingJobInput input;
  input.interactions = &table;
  auto recipe = FindRecipe("recipeArn", "aws-user-personalization");
  ASSERT_TRUE(recipe.ok());
  input.recipe = *recipe;
  input.config.algorithm_hyper_parameters = {{"hidden_dimension", "4"}, {"iterations", "3"}};
  std::vector<std::string> lines;
  input.report = [&](const std::string& line) { lines.push_back(line); };
  ASSERT_TRUE(TrainSolutionVersion(registry, input).ok());
  std::vector<std::string> final_iterations;
  for (const std::string& line : lines) {
    if (line.rfind("final model: iALS iteration ", 0) == 0) final_iterations.push_back(line);
  }
  ASSERT_EQ(final_iterations.size(), 3u);
  EXPECT_EQ(final_iterations[2].rfind("final model: iALS iteration 3/3: loss ", 0), 0u)
      << final_iterations[2];
  EXPECT_NE(final_iterations[2].find("per event of 121 sampled users"), std::string::npos)
      << final_iterations[2];
}

}  // namespace
}  // namespace tailor::core
