// IalsRecipe: plain implicit ALS as a recipe ("tailor-ials"), for AutoML and baselines.
// Hyper-parameters (strings, style.md X2): factors [1, 1024] (alias hidden_dimension),
// regularization [0, 1e6], alpha [0, 1e6], iterations [1, 200], cg_steps [1, 64], seed,
// recency_half_life_events [0, 1e9], recency_half_life_days [0, 1e5].
// Thread-safety: stateless.
#pragma once

#include "algo/als/ials_trainer.h"
#include "algo/recipe.h"

namespace tailor::algo::als {

// Parses the hyper-parameters above; InvalidInput naming the bad one.
StatusOr<IalsTrainOptions> ParseIalsOptions(const HyperParams& params,
                                            const std::vector<std::string>& extra_known = {});

class IalsRecipe : public Recipe {
 public:
  std::string_view name() const override { return "tailor-ials"; }
  HyperParams DefaultParams() const override;
  std::vector<ParamRange> TunableRanges() const override;
  StatusOr<std::unique_ptr<Model>> Train(const Interactions& data, const HyperParams& params,
                                         const TrainContext& ctx) const override;
};

}  // namespace tailor::algo::als
