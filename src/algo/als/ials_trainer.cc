#include "algo/als/ials_trainer.h"

#include <random>

#include "algo/als/least_squares.h"
#include "algo/item_features.h"

namespace tailor::algo::als {

StatusOr<std::unique_ptr<IalsModel>> TrainIals(const Interactions& data,
                                               const IalsTrainOptions& options,
                                               const TrainContext& ctx) {
  const IalsConfig& cfg = options.config;
  const int k = cfg.factors;
  const int threads = std::max(1, ctx.num_threads);
  MatrixBuildOptions mo;
  mo.keep_timestamps = false;
  mo.half_life_seconds = cfg.half_life_seconds;
  mo.half_life_events = cfg.half_life_events;
  mo.num_threads = threads;
  TAILOR_ASSIGN_OR_RETURN(CsrMatrix user_item, BuildUserItemMatrix(data, mo));
  CsrMatrix item_user = Transpose(user_item, threads);

  std::vector<float> X(static_cast<size_t>(data.num_users) * k);
  std::vector<float> Y(static_cast<size_t>(data.num_items) * k);
  std::mt19937_64 rng(options.seed);
  std::normal_distribution<float> normal(0.0f, options.init_scale);
  for (float& v : X) v = normal(rng);
  for (float& v : Y) v = normal(rng);

  const bool use_features = data.item_features != nullptr && options.item_feature_weight > 0;
  for (int it = 0; it < options.iterations; ++it) {
    if (ctx.IsCancelled()) return Status::Unavailable("training cancelled");
    std::vector<float> YtY = Gramian(Y, data.num_items, k, cfg.regularization, threads);
    SolveRowsCg(user_item, Y, YtY, k, cfg.alpha, options.cg_steps, X, threads);
    if (ctx.IsCancelled()) return Status::Unavailable("training cancelled");
    std::vector<float> XtX = Gramian(X, data.num_users, k, cfg.regularization, threads);
    std::vector<float> prior;
    if (use_features) {
      prior = PriorTerm(FeaturePriors(*data.item_features, Y, k), XtX, k,
                        options.item_feature_weight, threads);
    }
    SolveRowsCg(item_user, X, XtX, k, cfg.alpha, options.cg_steps, Y, threads, prior);
    ctx.Progress(static_cast<double>(it + 1) / options.iterations);
  }
  std::vector<int32_t>().swap(item_user.indices);
  return std::make_unique<IalsModel>(cfg, data.num_items, UserHistory::FromMatrix(user_item),
                                     std::move(X), std::move(Y));
}

}  // namespace tailor::algo::als
