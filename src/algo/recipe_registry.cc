#include "algo/recipe_registry.h"

#include "algo/als/ials_model.h"
#include "algo/als/ials_recipe.h"
#include "algo/item_similarity/ease_model.h"
#include "algo/item_similarity/sims_model.h"
#include "algo/model_io.h"
#include "algo/popularity/popularity_model.h"
#include "algo/popularity/trending_model.h"
#include "algo/user_personalization/user_personalization_model.h"
#include "algo/user_personalization/user_personalization_recipe.h"

namespace tailor::algo {

void RecipeRegistry::AddRecipe(std::unique_ptr<Recipe> recipe) {
  std::string name(recipe->name());
  recipes_[name] = std::move(recipe);
}

void RecipeRegistry::AddLoader(std::string tag, Loader loader) {
  loaders_[std::move(tag)] = std::move(loader);
}

const Recipe* RecipeRegistry::Find(std::string_view name) const {
  constexpr std::string_view kMarker = "recipe/";
  if (auto at = name.rfind(kMarker); at != std::string_view::npos) {
    name.remove_prefix(at + kMarker.size());
  }
  auto it = recipes_.find(name);
  return it == recipes_.end() ? nullptr : it->second.get();
}

std::vector<std::string> RecipeRegistry::RecipeNames() const {
  std::vector<std::string> names;
  for (const auto& [name, r] : recipes_) names.push_back(name);
  return names;
}

StatusOr<std::unique_ptr<Model>> RecipeRegistry::LoadModel(std::string_view bytes) const {
  TAILOR_ASSIGN_OR_RETURN(ModelEnvelope env, ReadModelEnvelope(bytes));
  auto it = loaders_.find(env.tag);
  if (it == loaders_.end()) {
    return Status::Internal("model artifact of unknown type \"" + env.tag + "\"");
  }
  return it->second(env.payload);
}

RecipeRegistry BuiltinRecipes() {
  RecipeRegistry r;
  r.AddRecipe(std::make_unique<PopularityCountRecipe>());
  r.AddRecipe(std::make_unique<TrendingNowRecipe>());
  r.AddRecipe(std::make_unique<EaseRecipe>());
  r.AddRecipe(std::make_unique<als::IalsRecipe>());
  r.AddRecipe(std::make_unique<UserPersonalizationRecipe>("aws-user-personalization"));
  r.AddRecipe(std::make_unique<UserPersonalizationRecipe>("aws-personalized-ranking"));
  r.AddRecipe(std::make_unique<UserPersonalizationRecipe>("aws-item-affinity"));
  r.AddLoader(std::string(UserPersonalizationModel::kType), &UserPersonalizationModel::Load);
  r.AddRecipe(std::make_unique<SimsRecipe>());
  r.AddLoader(std::string(SimsModel::kType), &SimsModel::Load);
  r.AddLoader(std::string(PopularityModel::kType), &PopularityModel::Load);
  r.AddLoader(std::string(TrendingModel::kType), &TrendingModel::Load);
  r.AddLoader(std::string(EaseModel::kType), &EaseModel::Load);
  r.AddLoader(std::string(als::IalsModel::kType), &als::IalsModel::Load);
  return r;
}

}  // namespace tailor::algo
