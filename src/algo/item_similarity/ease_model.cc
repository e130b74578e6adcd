#include "algo/item_similarity/ease_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "algo/item_similarity/spd_inverse.h"
#include "algo/model_io.h"

namespace tailor::algo {

void EaseModel::IndexItems() {
  column_.assign(num_items_, -1);
  for (size_t c = 0; c < kept_.size(); ++c) column_[kept_[c]] = static_cast<int32_t>(c);
}

StatusOr<std::unique_ptr<EaseModel>> EaseModel::Train(const Interactions& data,
                                                      const EaseOptions& options) {
  MatrixBuildOptions mo;
  mo.keep_timestamps = false;
  mo.num_threads = options.num_threads;
  TAILOR_ASSIGN_OR_RETURN(CsrMatrix m, BuildUserItemMatrix(data, mo));
  std::unique_ptr<EaseModel> model(new EaseModel());
  model->num_items_ = data.num_items;
  model->half_life_events_ = options.half_life_events;
  std::vector<int32_t> users_per_item(data.num_items, 0);
  for (int32_t i : m.indices) ++users_per_item[i];
  std::vector<int32_t> order(data.num_items);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return users_per_item[a] > users_per_item[b]; });
  for (int32_t i : order) {
    if (static_cast<int>(model->kept_.size()) >= options.max_items) break;
    if (users_per_item[i] < std::max(1, options.min_item_users)) break;
    model->kept_.push_back(i);
  }
  std::sort(model->kept_.begin(), model->kept_.end());
  model->IndexItems();
  const int64_t n = static_cast<int64_t>(model->kept_.size());
  // G = XᵀX over kept columns (binary X), then P = (G + λI)⁻¹ (Steck 2019, eq. 8).
  Eigen::MatrixXf G = Eigen::MatrixXf::Zero(n, n);
  std::vector<int32_t> cols;
  for (int32_t u = 0; u < m.num_rows; ++u) {
    cols.clear();
    for (int32_t i : m.row_indices(u)) {
      if (model->column_[i] >= 0) cols.push_back(model->column_[i]);
    }
    for (int32_t a : cols) {
      for (int32_t b : cols) G(a, b) += 1.0f;
    }
  }
  G.diagonal().array() += options.lambda;
  Eigen::MatrixXf P = InvertSpd(std::move(G), options.num_threads);
  model->b_.assign(static_cast<size_t>(n * n), 0.0f);
  for (int64_t a = 0; a < n; ++a) {
    for (int64_t b = 0; b < n; ++b) {
      model->b_[a * n + b] = a == b ? 0.0f : -P(a, b) / P(b, b);
    }
  }
  model->history_ = UserHistory::FromMatrix(m);
  return model;
}

Status EaseModel::ScoreItems(const UserQuery& query, std::span<float> scores) const {
  TAILOR_RETURN_IF_ERROR(CheckQuery(query));
  const int64_t n = static_cast<int64_t>(kept_.size());
  std::vector<float> acc(n, 0.0f);
  auto add = [&](int32_t item, float w) {
    const int32_t c = column_[item];
    if (c < 0) return;
    const float* row = b_.data() + c * n;
    for (int64_t j = 0; j < n; ++j) acc[j] += w * row[j];
  };
  if (query.user >= 0) {
    for (int32_t i : history_.row(query.user)) add(i, 1.0f);
  }
  const size_t len = query.items.size();
  for (size_t t = 0; t < len; ++t) {
    float w = query.weights.empty() ? 1.0f : std::min(query.weights[t], 1.0f);
    if (half_life_events_ > 0)
      w *= std::exp2(-static_cast<double>(len - 1 - t) / half_life_events_);
    add(query.items[t], w);
  }
  std::fill(scores.begin(), scores.end(), -std::numeric_limits<float>::infinity());
  for (int64_t j = 0; j < n; ++j) scores[kept_[j]] = acc[j];
  return Status::OK();
}

StatusOr<std::vector<ScoredItem>> EaseModel::SimilarItems(int32_t item,
                                                          const RecommendOptions& options) const {
  if (item < 0 || item >= num_items_) {
    return Status::InvalidInput("item index " + std::to_string(item) + " out of range");
  }
  std::vector<float> scores(num_items_, -std::numeric_limits<float>::infinity());
  const int32_t c = column_[item];
  if (c >= 0) {
    const int64_t n = static_cast<int64_t>(kept_.size());
    for (int64_t j = 0; j < n; ++j) scores[kept_[j]] = b_[c * n + j];
    scores[item] = -std::numeric_limits<float>::infinity();
  }
  return TopK(scores, options.num_results,
              [&](int32_t i) { return IsExcluded(options.exclude, i); });
}

void EaseModel::SavePayload(ByteWriter& w) const {
  w.Put<double>(half_life_events_);
  w.PutVector(kept_);
  w.PutVector(b_);
}

StatusOr<std::unique_ptr<Model>> EaseModel::Load(std::string_view payload) {
  ByteReader r(payload);
  std::unique_ptr<EaseModel> m(new EaseModel());
  TAILOR_RETURN_IF_ERROR(m->LoadBase(r));
  r.Get(&m->half_life_events_);
  r.GetVector(&m->kept_);
  r.GetVector(&m->b_);
  TAILOR_RETURN_IF_ERROR(r.status("ease weights"));
  if (m->b_.size() != m->kept_.size() * m->kept_.size()) {
    return Status::Internal("corrupt model artifact: ease weight size");
  }
  for (int32_t i : m->kept_) {
    if (i < 0 || i >= m->num_items_) return Status::Internal("corrupt model artifact: ease item");
  }
  m->IndexItems();
  return std::unique_ptr<Model>(std::move(m));
}

HyperParams EaseRecipe::DefaultParams() const {
  return HyperParams({{"lambda", "500"},
                      {"min_item_users", "1"},
                      {"max_items", "20000"},
                      {"recency_half_life_events", "0"}});
}

StatusOr<EaseOptions> ParseEaseOptions(const HyperParams& params) {
  TAILOR_RETURN_IF_ERROR(
      params.CheckKnown({"lambda", "min_item_users", "max_items", "recency_half_life_events"}));
  EaseOptions o;
  TAILOR_ASSIGN_OR_RETURN(double lambda, params.GetDouble("lambda", 500, 1, 1e6));
  TAILOR_ASSIGN_OR_RETURN(int64_t min_users, params.GetInt("min_item_users", 1, 1, 1000));
  TAILOR_ASSIGN_OR_RETURN(int64_t max_items, params.GetInt("max_items", 20000, 1, 50000));
  TAILOR_ASSIGN_OR_RETURN(double hl, params.GetDouble("recency_half_life_events", 0, 0, 1e6));
  o.lambda = static_cast<float>(lambda);
  o.min_item_users = static_cast<int>(min_users);
  o.max_items = static_cast<int>(max_items);
  o.half_life_events = hl;
  return o;
}

std::vector<ParamRange> EaseRecipe::TunableRanges() const {
  using K = ParamRange::Kind;
  return {{"lambda", K::kContinuous, 10, 10000, {}, true},
          {"recency_half_life_events", K::kContinuous, 0, 100, {}, false}};
}

StatusOr<std::unique_ptr<Model>> EaseRecipe::Train(const Interactions& data,
                                                   const HyperParams& params,
                                                   const TrainContext& ctx) const {
  TAILOR_ASSIGN_OR_RETURN(EaseOptions o, ParseEaseOptions(params));
  o.num_threads = ctx.num_threads;
  TAILOR_ASSIGN_OR_RETURN(auto model, EaseModel::Train(data, o));
  ctx.Progress(1.0);
  return std::unique_ptr<Model>(std::move(model));
}

}  // namespace tailor::algo
