// TrainIals: alternating least squares for implicit feedback (Hu, Koren, Volinsky 2008) with the
// conjugate-gradient row solver (Takács et al. 2011); see least_squares.h. Confidence is
// 1 + alpha·w, where w is the summed, optionally recency-decayed, event weight of a pair.
// Thread-safety: a pure function of its inputs; uses ctx.num_threads threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "algo/als/ials_model.h"
#include "algo/recipe.h"

namespace tailor::algo::als {

struct IalsTrainOptions {
  IalsConfig config;
  int iterations = 15;
  int cg_steps = 3;
  uint64_t seed = 42;
  // Initial factors are N(0, init_scale²) per entry.
  float init_scale = 0.01f;
  // With the data's item_features: each item solve is pulled toward w·μ_i instead of toward
  // zero, μ_i being the mean factor of the items sharing its features (FeaturePriors over the
  // previous iteration's Y; PriorTerm). An item without events lands exactly at w·μ_i, one with
  // a few near its kind, one with many at its own fit. 0 = off.
  float item_metadata_weight = 0;
  // The same for users with the data's user_features: each user solve is pulled toward w·μ_u,
  // the mean factor of the users sharing their values, so that a user with a few events starts
  // from what users like them chose. 0 = off.
  float user_metadata_weight = 0;
};

// The users whose loss each iteration logs, spread evenly over the data: enough for a steady
// figure, few enough to cost nothing next to the solves.
constexpr int32_t kLossSampleUsers = 2000;

// Unavailable("training cancelled") when ctx.cancelled fires between half-iterations;
// InvalidInput when the data is invalid. Each iteration logs its number and the loss per event
// of at most kLossSampleUsers users (SampledLoss) through ctx.log.
StatusOr<std::unique_ptr<IalsModel>> TrainIals(const Interactions& data,
                                               const IalsTrainOptions& options,
                                               const TrainContext& ctx);

// The implicit-feedback objective of Hu et al. (least_squares.h) over the rows `users` of
// user_item, per non-zero: Σ_u [Σ_i c_ui (1 − x_u·y_i)² + Σ_{i ∉ u} (x_u·y_i)² + λ‖x_u‖²] / nnz,
// computed as x_uᵀ(YtY)x_u + Σ_{i ∈ u} (c_ui (1 − s)² − s²) with YtY = Gramian(Y, ..., λ).
double SampledLoss(const CsrMatrix& user_item, std::span<const int32_t> users,
                   std::span<const float> X, std::span<const float> Y, std::span<const float> YtY,
                   int k, float alpha);

}  // namespace tailor::algo::als
