// RecipeCatalog: the recipes Tailor offers under Personalize's names (personalize-semantics.md
// §4), each mapped to the algo::Recipe that trains it, with the recipe type that decides which
// runtime API its campaigns answer and how its offline metrics are computed.
// Thread-safety: the table is immutable; the functions are pure.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "algo/hyper_params.h"
#include "common/status_or.h"
#include "core/resources.h"

namespace tailor::algo {
class RecipeRegistry;
}

namespace tailor::core {

inline constexpr const char kUserPersonalization[] = "USER_PERSONALIZATION";
inline constexpr const char kPersonalizedRanking[] = "PERSONALIZED_RANKING";
inline constexpr const char kRelatedItems[] = "RELATED_ITEMS";
inline constexpr const char kUserSegmentation[] = "USER_SEGMENTATION";
inline constexpr const char kPopularItems[] = "POPULAR_ITEMS";

struct RecipeEntry {
  std::string_view name;                    // the last part of the recipe ARN
  std::string_view recipe_type;             // kUserPersonalization, ...
  std::string_view algo_recipe;             // the algo::RecipeRegistry name that trains it
  std::string_view feature_transformation;  // "" when none
  std::string_view description;
  // The last part of its algorithm ARN when it is not `name` (Personalize's Trending-Now runs
  // the algorithm aws-trending-now-custom).
  std::string_view algorithm = {};
  std::string_view algorithm_name() const { return algorithm.empty() ? name : algorithm; }
};

// Every recipe, in ListRecipes order.
std::span<const RecipeEntry> Recipes();

// The recipe of `name_or_arn` ("aws-sims" or "arn:aws:personalize:::recipe/aws-sims").
// InvalidInput naming `field` when the ARN is malformed or no such recipe exists.
StatusOr<const RecipeEntry*> FindRecipe(std::string_view field, std::string_view name_or_arn);

std::string RecipeArn(std::string_view name);
std::string AlgorithmArn(std::string_view name);
std::string FeatureTransformationArn(std::string_view name);

// The wire descriptions of a recipe, its algorithm (defaults and ranges from `registry`) and
// a feature transformation. NotFound for an unknown ARN.
RecipeInfo DescribeRecipeEntry(const RecipeEntry& entry);
StatusOr<AlgorithmInfo> DescribeAlgorithmArn(const algo::RecipeRegistry& registry,
                                             std::string_view arn);
StatusOr<FeatureTransformationInfo> DescribeFeatureTransformationArn(std::string_view arn);

// The hyper-parameters a solution trains `recipe` with: its algorithmHyperParameters, and the
// featureTransformationParameters that the recipe's trainer reads itself (SIMS's percentiles,
// Trending-Now's trend_discovery_frequency). The others shape Personalize's own data
// preparation and stay recorded on the solution only. InvalidInput when both maps give one
// parameter different values, or for a trend_discovery_frequency Personalize does not offer.
StatusOr<algo::HyperParams> TrainingHyperParams(const algo::RecipeRegistry& registry,
                                                const RecipeEntry& recipe,
                                                const SolutionConfig& config);

}  // namespace tailor::core
