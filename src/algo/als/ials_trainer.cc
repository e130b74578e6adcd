#include "algo/als/ials_trainer.h"

#include <random>

#include <fmt/format.h>

#include "algo/als/least_squares.h"
#include "algo/categorical_features.h"

namespace tailor::algo::als {

double SampledLoss(const CsrMatrix& user_item, std::span<const int32_t> users,
                   std::span<const float> X, std::span<const float> Y, std::span<const float> YtY,
                   int k, float alpha) {
  double loss = 0;
  int64_t events = 0;
  for (int32_t u : users) {
    const float* x = X.data() + static_cast<int64_t>(u) * k;
    for (int a = 0; a < k; ++a) {
      double row = 0;
      for (int b = 0; b < k; ++b) row += static_cast<double>(YtY[a * k + b]) * x[b];
      loss += row * x[a];
    }
    std::span<const int32_t> items = user_item.row_indices(u);
    std::span<const float> values = user_item.row_values(u);
    for (size_t t = 0; t < items.size(); ++t) {
      const float* y = Y.data() + static_cast<int64_t>(items[t]) * k;
      double s = 0;
      for (int a = 0; a < k; ++a) s += static_cast<double>(x[a]) * y[a];
      const double c = 1.0 + alpha * values[t];
      loss += c * (1 - s) * (1 - s) - s * s;
    }
    events += static_cast<int64_t>(items.size());
  }
  return events > 0 ? loss / static_cast<double>(events) : 0.0;
}

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

  const bool use_item_features = data.item_features != nullptr && options.item_metadata_weight > 0;
  const bool use_user_features = data.user_features != nullptr && options.user_metadata_weight > 0;
  std::vector<int32_t> sampled;
  const int32_t every =
      std::max<int32_t>(1, (data.num_users + kLossSampleUsers - 1) / kLossSampleUsers);
  for (int32_t u = 0; u < data.num_users; u += every) sampled.push_back(u);
  std::vector<float> YtY = Gramian(Y, data.num_items, k, cfg.regularization, threads);
  for (int it = 0; it < options.iterations; ++it) {
    if (ctx.IsCancelled()) return Status::Unavailable("training cancelled");
    std::vector<float> user_prior;
    if (use_user_features) {
      user_prior = PriorTerm(FeaturePriors(*data.user_features, X, k), YtY, k,
                             options.user_metadata_weight, threads);
    }
    SolveRowsCg(user_item, Y, YtY, k, cfg.alpha, options.cg_steps, X, threads, user_prior);
    if (ctx.IsCancelled()) return Status::Unavailable("training cancelled");
    std::vector<float> XtX = Gramian(X, data.num_users, k, cfg.regularization, threads);
    std::vector<float> item_prior;
    if (use_item_features) {
      item_prior = PriorTerm(FeaturePriors(*data.item_features, Y, k), XtX, k,
                             options.item_metadata_weight, threads);
    }
    SolveRowsCg(item_user, X, XtX, k, cfg.alpha, options.cg_steps, Y, threads, item_prior);
    // The next user solve's Gramian, and the loss of this iteration's factors.
    YtY = Gramian(Y, data.num_items, k, cfg.regularization, threads);
    if (ctx.log) {
      ctx.Log(fmt::format("iALS iteration {}/{}: loss {:.4f} per event of {} sampled users", it + 1,
                          options.iterations,
                          SampledLoss(user_item, sampled, X, Y, YtY, k, cfg.alpha),
                          sampled.size()));
    }
    ctx.Progress(static_cast<double>(it + 1) / options.iterations);
  }
  std::vector<int32_t>().swap(item_user.indices);
  return std::make_unique<IalsModel>(cfg, data.num_items, UserHistory::FromMatrix(user_item),
                                     std::move(X), std::move(Y));
}

}  // namespace tailor::algo::als
