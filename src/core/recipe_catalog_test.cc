#include "core/recipe_catalog.h"

#include <gtest/gtest.h>

#include "algo/recipe_registry.h"

namespace tailor::core {
namespace {

const RecipeEntry& Recipe(std::string_view name) {
  StatusOr<const RecipeEntry*> entry = FindRecipe("recipeArn", name);
  EXPECT_TRUE(entry.ok()) << name;
  return **entry;
}

TEST(TrainingHyperParamsTest, FeatureTransformationParametersTheTrainerReadsTrainIt) {
  const algo::RecipeRegistry registry = algo::BuiltinRecipes();
  SolutionConfig config;
  config.algorithm_hyper_parameters = {{"popularity_discount_factor", "0.3"}};
  config.feature_transformation_parameters = {{"max_item_interaction_count_percentile", "0.8"}};
  StatusOr<algo::HyperParams> sims = TrainingHyperParams(registry, Recipe("aws-sims"), config);
  ASSERT_TRUE(sims.ok()) << sims.status().ToString();
  EXPECT_EQ(sims->values(),
            (std::map<std::string, std::string>{{"max_item_interaction_count_percentile", "0.8"},
                                                {"popularity_discount_factor", "0.3"}}));

  // Popularity-count reads none of the sims transformation's parameters.
  config.algorithm_hyper_parameters.clear();
  StatusOr<algo::HyperParams> pop =
      TrainingHyperParams(registry, Recipe("aws-popularity-count"), config);
  ASSERT_TRUE(pop.ok());
  EXPECT_TRUE(pop->values().empty());
}

TEST(TrainingHyperParamsTest, RejectsConflictsAndFrequenciesPersonalizeDoesNotOffer) {
  const algo::RecipeRegistry registry = algo::BuiltinRecipes();
  const RecipeEntry& trending = Recipe("arn:aws:personalize:::recipe/aws-trending-now");
  EXPECT_EQ(trending.recipe_type, std::string_view(kPopularItems));
  SolutionConfig config;
  config.feature_transformation_parameters = {{"trend_discovery_frequency", "1 day"}};
  StatusOr<algo::HyperParams> ok = TrainingHyperParams(registry, trending, config);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->values().at("trend_discovery_frequency"), "1 day");

  config.algorithm_hyper_parameters = {{"trend_discovery_frequency", "1 hour"}};
  Status twice = TrainingHyperParams(registry, trending, config).status();
  EXPECT_TRUE(twice.IsInvalidInput());
  EXPECT_NE(twice.message().find("gives trend_discovery_frequency twice"), std::string::npos)
      << twice.message();

  config.algorithm_hyper_parameters.clear();
  config.feature_transformation_parameters = {{"trend_discovery_frequency", "daily"}};
  Status bad = TrainingHyperParams(registry, trending, config).status();
  EXPECT_TRUE(bad.IsInvalidInput());
  EXPECT_NE(bad.message().find("featureTransformationParameters: trend_discovery_frequency "
                               "'daily' must be one of"),
            std::string::npos)
      << bad.message();
}

}  // namespace
}  // namespace tailor::core
