#include "core/recipe_catalog.h"

#include <array>

#include "algo/popularity/trending_model.h"
#include "algo/recipe_registry.h"

namespace tailor::core {
namespace {

constexpr std::string_view kPrefix = "arn:aws:personalize:::";

constexpr std::array<RecipeEntry, 11> kRecipes = {{
    {"aws-user-personalization", kUserPersonalization, "aws-user-personalization",
     "JSON-percentile-filtering",
     "Recommends items for a user from their history: implicit matrix factorisation (iALS) "
     "blended with recency-aware item-item and popularity signals; the user's own items come "
     "back by the chance learned of users returning to them; real-time events update the next "
     "answer."},
    {"aws-user-personalization-v2", kUserPersonalization, "aws-user-personalization",
     "JSON-percentile-filtering",
     "The user-personalization engine under its v2 name; same model and hyper-parameters."},
    {"aws-personalized-ranking", kPersonalizedRanking, "aws-personalized-ranking",
     "JSON-percentile-filtering",
     "Ranks a given list of items for a user with the user-personalization model."},
    {"aws-personalized-ranking-v2", kPersonalizedRanking, "aws-personalized-ranking",
     "JSON-percentile-filtering", "The personalized-ranking engine under its v2 name."},
    {"aws-sims", kRelatedItems, "aws-sims", "sims",
     "Items similar to an item, from co-occurrence in user histories with a popularity "
     "discount; popular items fill in for unknown or sparse items."},
    {"aws-similar-items", kRelatedItems, "aws-sims", "sims",
     "Items similar to an item: co-occurrence with a popularity discount, and for an item with "
     "fewer than 5 users or none the items sharing its Items metadata first; popular items "
     "fill in."},
    {"aws-popularity-count", kUserPersonalization, "aws-popularity-count", "sims",
     "The same list for every user: items ranked by the number of unique users who "
     "interacted with them. The baseline for offline metrics."},
    {"aws-trending-now", kPopularItems, "aws-trending-now", "trending-now",
     "The same list for every user: the items whose interactions grew the most from one window "
     "of trend_discovery_frequency to the next, then popular items; real-time events move it "
     "without retraining.",
     "aws-trending-now-custom"},
    {"aws-item-affinity", kUserSegmentation, "aws-item-affinity", "",
     "User segments: for an item, the users most likely to interact with it."},
    {"tailor-ials", kUserPersonalization, "tailor-ials", "",
     "Tailor's plain implicit ALS (conjugate gradient), without the blend."},
    {"tailor-ease", kUserPersonalization, "tailor-ease", "",
     "Tailor's EASE item-item model (closed-form ridge regression over the item co-occurrence "
     "Gram matrix), for catalogues of up to about 20,000 items."},
}};

std::string_view StripPrefix(std::string_view arn, std::string_view kind) {
  if (arn.substr(0, kPrefix.size()) != kPrefix) return arn;
  arn.remove_prefix(kPrefix.size());
  if (arn.substr(0, kind.size()) != kind || arn.size() <= kind.size() || arn[kind.size()] != '/') {
    return {};
  }
  return arn.substr(kind.size() + 1);
}

const RecipeEntry* Lookup(std::string_view name) {
  for (const RecipeEntry& entry : kRecipes) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

// The recipe whose algorithm is `name` (its algorithm_name()).
const RecipeEntry* LookupAlgorithm(std::string_view name) {
  for (const RecipeEntry& entry : kRecipes) {
    if (entry.algorithm_name() == name) return &entry;
  }
  return nullptr;
}

}  // namespace

std::span<const RecipeEntry> Recipes() { return kRecipes; }

std::string RecipeArn(std::string_view name) {
  return std::string(kPrefix) + "recipe/" + std::string(name);
}
std::string AlgorithmArn(std::string_view name) {
  return std::string(kPrefix) + "algorithm/" + std::string(name);
}
std::string FeatureTransformationArn(std::string_view name) {
  return std::string(kPrefix) + "feature-transformation/" + std::string(name);
}

StatusOr<const RecipeEntry*> FindRecipe(std::string_view field, std::string_view name_or_arn) {
  if (name_or_arn.substr(0, 4) == "arn:" && name_or_arn.substr(0, kPrefix.size()) != kPrefix) {
    return Status::InvalidInput(std::string(field) + " '" + std::string(name_or_arn) +
                                "' is not a recipe ARN (arn:aws:personalize:::recipe/<name>).");
  }
  std::string_view name = StripPrefix(name_or_arn, "recipe");
  const RecipeEntry* entry = Lookup(name);
  if (entry == nullptr) {
    std::string known;
    for (const RecipeEntry& e : kRecipes)
      known += (known.empty() ? "" : ", ") + std::string(e.name);
    return Status::InvalidInput(std::string(field) + " '" + std::string(name_or_arn) +
                                "' names no recipe Tailor has; use one of " + known + ".");
  }
  return entry;
}

RecipeInfo DescribeRecipeEntry(const RecipeEntry& entry) {
  RecipeInfo info;
  info.name = std::string(entry.name);
  info.arn = RecipeArn(entry.name);
  info.recipe_type = std::string(entry.recipe_type);
  info.description = std::string(entry.description);
  info.algorithm_arn = AlgorithmArn(entry.algorithm_name());
  if (!entry.feature_transformation.empty()) {
    info.feature_transformation_arn = FeatureTransformationArn(entry.feature_transformation);
  }
  return info;
}

StatusOr<AlgorithmInfo> DescribeAlgorithmArn(const algo::RecipeRegistry& registry,
                                             std::string_view arn) {
  std::string_view name = StripPrefix(arn, "algorithm");
  const RecipeEntry* entry = name.empty() ? nullptr : LookupAlgorithm(name);
  const algo::Recipe* recipe = entry ? registry.Find(entry->algo_recipe) : nullptr;
  if (recipe == nullptr) {
    return Status::NotFound("Resource Arn " + std::string(arn) + " does not exist.");
  }
  AlgorithmInfo info;
  info.name = std::string(entry->algorithm_name());
  info.arn = AlgorithmArn(entry->algorithm_name());
  info.algorithm_image = "tailor/" + std::string(entry->algo_recipe);
  info.default_hyper_parameters = recipe->DefaultParams().values();
  for (const algo::ParamRange& range : recipe->TunableRanges()) {
    info.tunable.push_back(range.name);
    switch (range.kind) {
      case algo::ParamRange::Kind::kInteger:
        info.integer_ranges.push_back(
            {range.name, static_cast<int64_t>(range.min), static_cast<int64_t>(range.max)});
        break;
      case algo::ParamRange::Kind::kContinuous:
        info.continuous_ranges.push_back({range.name, range.min, range.max});
        break;
      case algo::ParamRange::Kind::kCategorical:
        info.categorical_ranges.push_back({range.name, range.values});
        break;
    }
  }
  return info;
}

StatusOr<FeatureTransformationInfo> DescribeFeatureTransformationArn(std::string_view arn) {
  std::string_view name = StripPrefix(arn, "feature-transformation");
  FeatureTransformationInfo info;
  info.name = std::string(name);
  info.arn = FeatureTransformationArn(name);
  if (name == "JSON-percentile-filtering") {
    info.default_parameters = {{"min_user_history_length_percentile", "0.0"},
                               {"max_user_history_length_percentile", "0.99"}};
  } else if (name == "sims") {
    info.default_parameters = {{"min_user_history_length_percentile", "0.005"},
                               {"max_user_history_length_percentile", "0.995"},
                               {"min_item_interaction_count_percentile", "0.01"},
                               {"max_item_interaction_count_percentile", "0.9"}};
  } else if (name == "trending-now") {
    info.default_parameters = {
        {"trend_discovery_frequency", std::string(algo::TrendingModel::kDefaultFrequency)}};
  } else {
    return Status::NotFound("Resource Arn " + std::string(arn) + " does not exist.");
  }
  return info;
}

StatusOr<algo::HyperParams> TrainingHyperParams(const algo::RecipeRegistry& registry,
                                                const RecipeEntry& recipe,
                                                const SolutionConfig& config) {
  algo::HyperParams params(config.algorithm_hyper_parameters);
  const algo::Recipe* trainer = registry.Find(recipe.algo_recipe);
  const algo::HyperParams defaults = trainer ? trainer->DefaultParams() : algo::HyperParams();
  for (const auto& [name, value] : config.feature_transformation_parameters) {
    if (!defaults.Has(name)) continue;
    auto given = config.algorithm_hyper_parameters.find(name);
    if (given != config.algorithm_hyper_parameters.end() && given->second != value) {
      return Status::InvalidInput("solutionConfig gives " + name + " twice, '" + given->second +
                                  "' in algorithmHyperParameters and '" + value +
                                  "' in featureTransformationParameters.");
    }
    params.Set(name, value);
  }
  if (recipe.algo_recipe == "aws-trending-now") {
    TAILOR_RETURN_IF_ERROR(algo::TrendingModel::WindowSecondsOf(params).status().WithPrefix(
        "solutionConfig.featureTransformationParameters"));
  }
  return params;
}

}  // namespace tailor::core
