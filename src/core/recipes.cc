// ListRecipes, DescribeRecipe, DescribeAlgorithm, DescribeFeatureTransformation: the built-in
// recipe catalogue (recipe_catalog.h), which needs no storage.
#include <algorithm>
#include <cstdlib>

#include "algo/recipe_registry.h"
#include "common/arn.h"
#include "core/control_plane.h"
#include "core/recipe_catalog.h"

namespace tailor::core {

StatusOr<Page<RecipeInfo>> ControlPlane::ListRecipes(std::string_view recipe_provider,
                                                     std::string_view domain,
                                                     const PageRequest& page) {
  if (!recipe_provider.empty() && recipe_provider != "SERVICE") {
    return Status::InvalidInput("recipeProvider must be SERVICE; got '" +
                                std::string(recipe_provider) + "'.");
  }
  if (page.max_results < 1 || page.max_results > 100) {
    return Status::InvalidInput("maxResults must be between 1 and 100; got " +
                                std::to_string(page.max_results) + ".");
  }
  std::vector<RecipeInfo> all;
  // Tailor has no domain recipes: a domain lists none.
  if (domain.empty()) {
    for (const RecipeEntry& entry : Recipes()) all.push_back(DescribeRecipeEntry(entry));
  }
  // The token is the index of the next recipe: the list is fixed, so positions are stable.
  size_t start = 0;
  if (!page.next_token.empty()) {
    char* end = nullptr;
    unsigned long v = std::strtoul(page.next_token.c_str(), &end, 10);
    if (*end != '\0' || v == 0 || v >= all.size()) {
      return Status::InvalidNextToken("The nextToken is invalid for ListRecipes.");
    }
    start = v;
  }
  Page<RecipeInfo> out;
  size_t stop = std::min(all.size(), start + static_cast<size_t>(page.max_results));
  for (size_t i = start; i < stop; ++i) out.items.push_back(all[i]);
  if (stop < all.size()) out.next_token = std::to_string(stop);
  return out;
}

StatusOr<RecipeInfo> ControlPlane::DescribeRecipe(std::string_view arn) {
  TAILOR_RETURN_IF_ERROR(ValidateArn("recipeArn", arn));
  StatusOr<const RecipeEntry*> entry = FindRecipe("recipeArn", arn);
  if (!entry.ok()) return Status::NotFound("Resource Arn " + std::string(arn) + " does not exist.");
  return DescribeRecipeEntry(**entry);
}

StatusOr<AlgorithmInfo> ControlPlane::DescribeAlgorithm(std::string_view arn) {
  TAILOR_RETURN_IF_ERROR(ValidateArn("algorithmArn", arn));
  return DescribeAlgorithmArn(*recipes_, arn);
}

StatusOr<FeatureTransformationInfo> ControlPlane::DescribeFeatureTransformation(
    std::string_view arn) {
  TAILOR_RETURN_IF_ERROR(ValidateArn("featureTransformationArn", arn));
  return DescribeFeatureTransformationArn(arn);
}

}  // namespace tailor::core
