#include "algo/model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "algo/model_io.h"

namespace tailor::algo {

UserHistory UserHistory::FromMatrix(const CsrMatrix& user_item) {
  UserHistory h;
  h.indptr = user_item.indptr;
  h.items = user_item.indices;
  return h;
}

UserHistory UserHistory::FromMatrixByTime(const CsrMatrix& user_item) {
  UserHistory h = FromMatrix(user_item);
  std::vector<int32_t> order;
  for (int32_t u = 0; u < user_item.num_rows; ++u) {
    auto ts = user_item.row_timestamps(u);
    auto cols = user_item.row_indices(u);
    order.resize(cols.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = static_cast<int32_t>(k);
    std::stable_sort(order.begin(), order.end(),
                     [&](int32_t a, int32_t b) { return ts[a] < ts[b]; });
    for (size_t k = 0; k < order.size(); ++k) h.items[h.indptr[u] + k] = cols[order[k]];
  }
  return h;
}

Status Model::CheckQuery(const UserQuery& query) const {
  if (query.user < -1 || query.user >= num_users()) {
    return Status::InvalidInput("user index " + std::to_string(query.user) + " out of range");
  }
  for (int32_t i : query.items) {
    if (i < 0 || i >= num_items_) {
      return Status::InvalidInput("item index " + std::to_string(i) + " out of range");
    }
  }
  if ((!query.timestamps.empty() && query.timestamps.size() != query.items.size()) ||
      (!query.weights.empty() && query.weights.size() != query.items.size()) ||
      (!query.event_types.empty() && query.event_types.size() != query.items.size())) {
    return Status::InvalidInput(
        "query timestamps, weights and event types must match its items in length");
  }
  return Status::OK();
}

Status Model::ScoreItems(const UserQuery&, std::span<float>) const {
  return Status::NotSupported("this recipe does not recommend items for a user");
}

StatusOr<std::vector<ScoredItem>> Model::Recommend(const UserQuery& query,
                                                   const RecommendOptions& options) const {
  TAILOR_RETURN_IF_ERROR(CheckQuery(query));
  std::vector<float> scores(num_items_);
  TAILOR_RETURN_IF_ERROR(ScoreItems(query, scores));
  const double log_partition = options.softmax ? LogSumExp(scores) : 0;
  if (options.exclude_history) {
    const float kNeg = -std::numeric_limits<float>::infinity();
    if (query.user >= 0) {
      for (int32_t i : history_.row(query.user)) scores[i] = kNeg;
    }
    for (int32_t i : query.items) scores[i] = kNeg;
  }
  std::vector<ScoredItem> top =
      TopK(scores, options.num_results, [&](int32_t i) { return IsExcluded(options.exclude, i); });
  if (options.softmax) ToProbabilities(log_partition, top);
  return top;
}

double LogSumExp(std::span<const float> scores) {
  float max = -std::numeric_limits<float>::infinity();
  for (float s : scores) {
    if (std::isfinite(s)) max = std::max(max, s);
  }
  if (!std::isfinite(max)) return max;
  // Single-precision exp (scores are floats), the sum in double: this runs over the whole
  // catalogue, and a double exp was a tenth of a request's time.
  double sum = 0;
  for (float s : scores) {
    if (std::isfinite(s)) sum += std::exp(s - max);
  }
  return max + std::log(sum);
}

void ToProbabilities(double log_partition, std::span<ScoredItem> items) {
  for (ScoredItem& s : items) {
    s.score = std::isfinite(log_partition)
                  ? static_cast<float>(std::exp(static_cast<double>(s.score) - log_partition))
                  : 0.0f;
  }
}

Status Model::CheckCandidates(std::span<const int32_t> candidates) const {
  for (int32_t c : candidates) {
    if (c < 0 || c >= num_items_) {
      return Status::InvalidInput("candidate item index " + std::to_string(c) + " out of range");
    }
  }
  return Status::OK();
}

StatusOr<std::vector<ScoredItem>> Model::Rank(const UserQuery& query,
                                              std::span<const int32_t> candidates) const {
  TAILOR_RETURN_IF_ERROR(CheckQuery(query));
  TAILOR_RETURN_IF_ERROR(CheckCandidates(candidates));
  std::vector<float> scores(num_items_);
  TAILOR_RETURN_IF_ERROR(ScoreItems(query, scores));
  std::vector<ScoredItem> out;
  out.reserve(candidates.size());
  for (int32_t c : candidates) out.push_back({c, scores[c]});
  std::stable_sort(out.begin(), out.end(),
                   [](const ScoredItem& a, const ScoredItem& b) { return a.score > b.score; });
  return out;
}

StatusOr<std::vector<ScoredItem>> Model::SimilarItems(int32_t, const RecommendOptions&) const {
  return Status::NotSupported("this recipe does not answer related-items queries");
}

StatusOr<std::vector<ScoredItem>> Model::Segment(int32_t, int32_t) const {
  return Status::NotSupported("this recipe does not produce user segments");
}

Status Model::Save(std::string* out) const {
  const size_t envelope = BeginModelEnvelope(type(), out);
  ByteWriter w(out);
  SaveBase(w);
  SavePayload(w);
  EndModelEnvelope(envelope, out);
  return Status::OK();
}

void Model::SaveBase(ByteWriter& w) const {
  w.Put<int32_t>(num_items_);
  w.PutVector(history_.indptr);
  w.PutVector(history_.items);
}

Status Model::LoadBase(ByteReader& r) {
  r.Get(&num_items_);
  r.GetVector(&history_.indptr);
  r.GetVector(&history_.items);
  TAILOR_RETURN_IF_ERROR(r.status("model header"));
  if (num_items_ < 0 || history_.indptr.empty() ||
      history_.indptr.back() != static_cast<int64_t>(history_.items.size())) {
    return Status::Internal("corrupt model artifact: user history");
  }
  for (int32_t i : history_.items) {
    if (i < 0 || i >= num_items_) return Status::Internal("corrupt model artifact: item index");
  }
  return Status::OK();
}

}  // namespace tailor::algo
