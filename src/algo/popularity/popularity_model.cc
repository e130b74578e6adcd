#include "algo/popularity/popularity_model.h"

#include "algo/model_io.h"

namespace tailor::algo {

PopularityModel::PopularityModel(const CsrMatrix& user_item) {
  num_items_ = user_item.num_cols;
  history_ = UserHistory::FromMatrix(user_item);
  counts_.assign(num_items_, 0.0f);
  for (int32_t i : user_item.indices) counts_[i] += 1.0f;
}

Status PopularityModel::ScoreItems(const UserQuery& query, std::span<float> scores) const {
  TAILOR_RETURN_IF_ERROR(CheckQuery(query));
  std::copy(counts_.begin(), counts_.end(), scores.begin());
  return Status::OK();
}

void PopularityModel::SavePayload(ByteWriter& w) const { w.PutVector(counts_); }

StatusOr<std::unique_ptr<Model>> PopularityModel::Load(std::string_view payload) {
  ByteReader r(payload);
  std::unique_ptr<PopularityModel> m(new PopularityModel());
  TAILOR_RETURN_IF_ERROR(m->LoadBase(r));
  r.GetVector(&m->counts_);
  TAILOR_RETURN_IF_ERROR(r.status("popularity counts"));
  if (m->counts_.size() != static_cast<size_t>(m->num_items_)) {
    return Status::Internal("corrupt model artifact: popularity counts");
  }
  return std::unique_ptr<Model>(std::move(m));
}

StatusOr<std::unique_ptr<Model>> PopularityCountRecipe::Train(const Interactions& data,
                                                              const HyperParams& params,
                                                              const TrainContext& ctx) const {
  TAILOR_RETURN_IF_ERROR(params.CheckKnown({}));
  MatrixBuildOptions o;
  o.keep_timestamps = false;
  o.num_threads = ctx.num_threads;
  TAILOR_ASSIGN_OR_RETURN(CsrMatrix m, BuildUserItemMatrix(data, o));
  ctx.Progress(1.0);
  return std::unique_ptr<Model>(std::make_unique<PopularityModel>(m));
}

}  // namespace tailor::algo
