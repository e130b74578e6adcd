// ListRecipes, DescribeRecipe, DescribeAlgorithm, DescribeFeatureTransformation: the built-in
// catalogue (personalize-semantics.md §4).
#include "api/control/operations.h"

namespace tailor::api {
namespace {

using nlohmann::json;

// The catalogue is built into the binary, so its entries carry no stored timestamps. Every
// entry shows the day Amazon Personalize was announced (2018-11-28T00:00:00Z), so that the
// Recipe, Algorithm and FeatureTransformation shapes have their dates and the answers are
// stable across restarts.
constexpr double kCatalogueTime = 1543363200.0;

void AddCatalogueDates(json* out) {
  (*out)["creationDateTime"] = kCatalogueTime;
  (*out)["lastUpdatedDateTime"] = kCatalogueTime;
}

json RecipeSummary(const core::RecipeInfo& r) {
  json out = {{"name", r.name}, {"recipeArn", r.arn}, {"status", core::kActive}};
  AddCatalogueDates(&out);
  SetIfNotEmpty(&out, "domain", r.domain);
  return out;
}

json Recipe(const core::RecipeInfo& r) {
  json out = {{"name", r.name}, {"recipeArn", r.arn}, {"status", core::kActive}};
  SetIfNotEmpty(&out, "algorithmArn", r.algorithm_arn);
  SetIfNotEmpty(&out, "featureTransformationArn", r.feature_transformation_arn);
  SetIfNotEmpty(&out, "description", r.description);
  SetIfNotEmpty(&out, "recipeType", r.recipe_type);
  AddCatalogueDates(&out);
  return out;
}

bool IsTunable(const core::AlgorithmInfo& a, const std::string& name) {
  for (const std::string& t : a.tunable) {
    if (t == name) return true;
  }
  return false;
}

json Algorithm(const core::AlgorithmInfo& a) {
  json out = {{"name", a.name}, {"algorithmArn", a.arn}};
  if (!a.algorithm_image.empty()) {
    out["algorithmImage"] = {{"name", a.name}, {"dockerURI", a.algorithm_image}};
  }
  out["defaultHyperParameters"] = a.default_hyper_parameters;
  json ranges = json::object();
  for (const core::IntegerRange& r : a.integer_ranges) {
    ranges["integerHyperParameterRanges"].push_back({{"name", r.name},
                                                     {"minValue", r.min_value},
                                                     {"maxValue", r.max_value},
                                                     {"isTunable", IsTunable(a, r.name)}});
  }
  for (const core::ContinuousRange& r : a.continuous_ranges) {
    ranges["continuousHyperParameterRanges"].push_back({{"name", r.name},
                                                        {"minValue", r.min_value},
                                                        {"maxValue", r.max_value},
                                                        {"isTunable", IsTunable(a, r.name)}});
  }
  for (const core::CategoricalRange& r : a.categorical_ranges) {
    ranges["categoricalHyperParameterRanges"].push_back(
        {{"name", r.name}, {"values", r.values}, {"isTunable", IsTunable(a, r.name)}});
  }
  out["defaultHyperParameterRanges"] = ranges;
  SetIfNotEmpty(&out, "trainingInputMode", a.training_input_mode);
  AddCatalogueDates(&out);
  return out;
}

json FeatureTransformation(const core::FeatureTransformationInfo& f) {
  json out = {{"name", f.name},
              {"featureTransformationArn", f.arn},
              {"defaultParameters", f.default_parameters},
              {"status", core::kActive}};
  AddCatalogueDates(&out);
  return out;
}

}  // namespace

void AddRecipeOperations(OperationTable* table) {
  (*table)["ListRecipes"] = [](core::ControlPlane& cp, const CallContext& call,
                               JsonReader& in) -> StatusOr<json> {
    std::string provider = in.String("recipeProvider");
    std::string domain = in.String("domain");
    core::PageRequest page = ReadPageRequest(call, in);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(auto result, cp.ListRecipes(provider, domain, page));
    json out = {{"recipes", json::array()}};
    for (const auto& r : result.items) out["recipes"].push_back(RecipeSummary(r));
    AddNextToken(&out, result.next_token);
    return out;
  };
  (*table)["DescribeRecipe"] = [](core::ControlPlane& cp, const CallContext&,
                                  JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("recipeArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::RecipeInfo r, cp.DescribeRecipe(arn));
    return json{{"recipe", Recipe(r)}};
  };
  (*table)["DescribeAlgorithm"] = [](core::ControlPlane& cp, const CallContext&,
                                     JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("algorithmArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::AlgorithmInfo a, cp.DescribeAlgorithm(arn));
    return json{{"algorithm", Algorithm(a)}};
  };
  (*table)["DescribeFeatureTransformation"] = [](core::ControlPlane& cp, const CallContext&,
                                                 JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("featureTransformationArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::FeatureTransformationInfo f,
                            cp.DescribeFeatureTransformation(arn));
    return json{{"featureTransformation", FeatureTransformation(f)}};
  };
}

}  // namespace tailor::api
