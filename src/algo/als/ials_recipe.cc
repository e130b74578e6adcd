#include "algo/als/ials_recipe.h"

namespace tailor::algo::als {

namespace {
const std::vector<std::string> kIalsParams = {"factors",
                                              "hidden_dimension",
                                              "regularization",
                                              "alpha",
                                              "iterations",
                                              "cg_steps",
                                              "seed",
                                              "recency_half_life_events",
                                              "recency_half_life_days",
                                              "item_metadata_weight",
                                              "user_metadata_weight"};
}  // namespace

StatusOr<IalsTrainOptions> ParseIalsOptions(const HyperParams& params,
                                            const std::vector<std::string>& extra_known) {
  std::vector<std::string> known = kIalsParams;
  known.insert(known.end(), extra_known.begin(), extra_known.end());
  TAILOR_RETURN_IF_ERROR(params.CheckKnown(known));
  IalsTrainOptions o;
  TAILOR_ASSIGN_OR_RETURN(int64_t hidden, params.GetInt("hidden_dimension", 64, 1, 1024));
  TAILOR_ASSIGN_OR_RETURN(int64_t factors, params.GetInt("factors", hidden, 1, 1024));
  TAILOR_ASSIGN_OR_RETURN(double reg, params.GetDouble("regularization", 1.0, 0, 1e6));
  TAILOR_ASSIGN_OR_RETURN(double alpha, params.GetDouble("alpha", 1.0, 0, 1e6));
  TAILOR_ASSIGN_OR_RETURN(int64_t iters, params.GetInt("iterations", 15, 1, 200));
  TAILOR_ASSIGN_OR_RETURN(int64_t cg, params.GetInt("cg_steps", 3, 1, 64));
  TAILOR_ASSIGN_OR_RETURN(int64_t seed, params.GetInt("seed", 42, 0, INT64_MAX));
  TAILOR_ASSIGN_OR_RETURN(double hl_events,
                          params.GetDouble("recency_half_life_events", 0, 0, 1e9));
  TAILOR_ASSIGN_OR_RETURN(double hl_days, params.GetDouble("recency_half_life_days", 0, 0, 1e5));
  TAILOR_ASSIGN_OR_RETURN(double item_metadata_weight,
                          params.GetDouble("item_metadata_weight", 0, 0, 10));
  TAILOR_ASSIGN_OR_RETURN(double user_metadata_weight,
                          params.GetDouble("user_metadata_weight", 0, 0, 10));
  o.config.factors = static_cast<int>(factors);
  o.config.regularization = static_cast<float>(reg);
  o.config.alpha = static_cast<float>(alpha);
  o.config.half_life_events = hl_events;
  o.config.half_life_seconds = hl_days * 86400.0;
  o.iterations = static_cast<int>(iters);
  o.cg_steps = static_cast<int>(cg);
  o.seed = static_cast<uint64_t>(seed);
  o.item_metadata_weight = static_cast<float>(item_metadata_weight);
  o.user_metadata_weight = static_cast<float>(user_metadata_weight);
  return o;
}

HyperParams IalsRecipe::DefaultParams() const {
  return HyperParams({{"factors", "64"},
                      {"regularization", "1"},
                      {"alpha", "1"},
                      {"iterations", "15"},
                      {"cg_steps", "3"},
                      {"seed", "42"},
                      {"recency_half_life_events", "0"},
                      {"recency_half_life_days", "0"}});
}

std::vector<ParamRange> IalsRecipe::TunableRanges() const {
  using K = ParamRange::Kind;
  return {{"factors", K::kInteger, 16, 256, {}, true},
          {"regularization", K::kContinuous, 0.01, 1000, {}, true},
          {"alpha", K::kContinuous, 0.1, 100, {}, true},
          {"recency_half_life_events", K::kContinuous, 0, 1000, {}, false}};
}

StatusOr<std::unique_ptr<Model>> IalsRecipe::Train(const Interactions& data,
                                                   const HyperParams& params,
                                                   const TrainContext& ctx) const {
  TAILOR_ASSIGN_OR_RETURN(IalsTrainOptions o, ParseIalsOptions(params));
  TAILOR_ASSIGN_OR_RETURN(auto model, TrainIals(data, o, ctx));
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace tailor::algo::als
