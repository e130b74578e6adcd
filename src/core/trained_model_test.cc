#include "core/trained_model.h"

#include <gtest/gtest.h>

#include "algo/context/context_lift.h"
#include "algo/model.h"
#include "algo/recipe.h"
#include "algo/recipe_registry.h"

namespace tailor::core {
namespace {

// A popularity model of 3 items and 2 users, with a DEVICE context where item 0 goes with
// mobile and item 1 with desktop.
std::shared_ptr<TrainedModel> SmallModel(const algo::RecipeRegistry& registry) {
  algo::Interactions data;
  data.num_users = 2;
  data.num_items = 3;
  for (int k = 0; k < 4; ++k) {
    data.Add(0, 0, 10 + k);
    data.Add(1, 1, 20 + k);
  }
  data.Add(0, 2, 30);
  auto model = registry.Find("aws-popularity-count")->Train(data, {}, {});
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  auto trained = std::make_shared<TrainedModel>();
  trained->recipe_name = "aws-popularity-count";
  trained->user_ids = {"u0", "u1"};
  trained->item_ids = {"i0", "i1", "i2"};
  trained->event_types = {"click", "purchase"};
  trained->model = std::move(*model);
  std::vector<int32_t> items = {0, 0, 0, 0, 1, 1, 1, 1, 2};
  std::vector<std::string> values = {"mobile", "desktop"};
  std::vector<uint32_t> device = {0, 0, 0, 0, 1, 1, 1, 1, algo::ContextLift::kNoValue};
  std::vector<algo::ContextLift::ColumnInput> columns = {{"DEVICE", values, device}};
  trained->context =
      std::make_shared<algo::ContextLift>(algo::ContextLift::Build(3, items, columns));
  trained->BuildIndexes();
  return trained;
}

TEST(TrainedModelTest, TheArtifactKeepsTheContextAndUserMetadataLifts) {
  const algo::RecipeRegistry registry = algo::BuiltinRecipes();
  auto trained = SmallModel(registry);
  trained->user_metadata = trained->context;
  auto bytes = SerializeTrainedModel(*trained);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto loaded = ParseTrainedModel(registry, *bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->item_ids, trained->item_ids);
  ASSERT_NE((*loaded)->context, nullptr);
  const algo::ContextLift& lift = *(*loaded)->context;
  const algo::ContextLift::Condition mobile = lift.Find(lift.FindColumn("DEVICE"), "mobile");
  for (int32_t i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(lift.Lift({&mobile, 1}, i), trained->context->Lift({&mobile, 1}, i));
  }
  EXPECT_GT(lift.Lift({&mobile, 1}, 0), 1.0);
  EXPECT_LT(lift.Lift({&mobile, 1}, 1), 1.0);
  ASSERT_NE((*loaded)->user_metadata, nullptr);
  EXPECT_EQ((*loaded)->user_metadata->ColumnNames(), std::vector<std::string>{"DEVICE"});
  EXPECT_EQ((*loaded)->event_types, trained->event_types);
  EXPECT_EQ((*loaded)->EventTypeIndex("purchase"), 1);
  EXPECT_EQ((*loaded)->EventTypeIndex("Purchase"), 255) << "event types are case-sensitive";

  // Without them the artifact loads without them.
  trained->context = nullptr;
  trained->user_metadata = nullptr;
  bytes = SerializeTrainedModel(*trained);
  ASSERT_TRUE(bytes.ok());
  loaded = ParseTrainedModel(registry, *bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->context, nullptr);
  EXPECT_EQ((*loaded)->user_metadata, nullptr);
}

}  // namespace
}  // namespace tailor::core
