// RecipeRegistry: maps recipe names (the last part of the recipe ARN, e.g.
// "aws-user-personalization") to Recipe objects, and model artifact tags to loaders. Built
// explicitly at startup with BuiltinRecipes(); tests can build their own (style.md O5).
// Thread-safety: fill it before sharing; after that, const methods are safe concurrently.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "algo/recipe.h"

namespace tailor::algo {

class RecipeRegistry {
 public:
  using Loader = std::function<StatusOr<std::unique_ptr<Model>>(std::string_view payload)>;

  void AddRecipe(std::unique_ptr<Recipe> recipe);
  void AddLoader(std::string tag, Loader loader);

  // The recipe named `name` (a bare name or a full ARN ending in "recipe/<name>"), or nullptr.
  // The pointer stays valid as long as the registry.
  const Recipe* Find(std::string_view name) const;
  std::vector<std::string> RecipeNames() const;

  // Reads an artifact written by Model::Save. Internal when corrupt or of an unknown type.
  StatusOr<std::unique_ptr<Model>> LoadModel(std::string_view bytes) const;

 private:
  std::map<std::string, std::unique_ptr<Recipe>, std::less<>> recipes_;
  std::map<std::string, Loader, std::less<>> loaders_;
};

// A registry with every built-in recipe and model loader.
RecipeRegistry BuiltinRecipes();

}  // namespace tailor::algo
