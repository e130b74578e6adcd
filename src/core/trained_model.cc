#include "core/trained_model.h"

#include <algorithm>

#include "algo/context/context_lift.h"
#include "algo/model.h"
#include "algo/model_io.h"
#include "algo/recipe_registry.h"

namespace tailor::core {
namespace {

constexpr std::string_view kArtifactTag = "solution-version";
// Version 2 added the context and user-metadata lifts, version 3 the event type names; earlier
// artifacts load without them.
constexpr uint32_t kArtifactVersion = 3;

void PutStrings(algo::ByteWriter& w, const std::vector<std::string>& strings) {
  w.Put<uint64_t>(strings.size());
  for (const std::string& s : strings) w.PutString(s);
}

bool GetStrings(algo::ByteReader& r, std::vector<std::string>* out) {
  uint64_t n = 0;
  if (!r.Get(&n) || n > r.remaining() / sizeof(uint64_t)) return false;
  out->resize(n);
  for (std::string& s : *out) {
    if (!r.GetString(&s)) return false;
  }
  return true;
}

}  // namespace

void TrainedModel::BuildIndexes() {
  user_index.clear();
  item_index.clear();
  user_index.reserve(user_ids.size());
  item_index.reserve(item_ids.size());
  for (size_t u = 0; u < user_ids.size(); ++u) user_index.emplace(user_ids[u], u);
  for (size_t i = 0; i < item_ids.size(); ++i) item_index.emplace(item_ids[i], i);
}

int32_t TrainedModel::UserIndex(std::string_view id) const {
  auto it = user_index.find(std::string(id));
  return it == user_index.end() ? -1 : it->second;
}

int32_t TrainedModel::ItemIndex(std::string_view id) const {
  auto it = item_index.find(std::string(id));
  return it == item_index.end() ? -1 : it->second;
}

uint8_t TrainedModel::EventTypeIndex(std::string_view event_type) const {
  // A handful of names: a linear search costs less than hashing the name.
  auto it = std::find(event_types.begin(), event_types.end(), event_type);
  return it == event_types.end() ? 255 : static_cast<uint8_t>(it - event_types.begin());
}

StatusOr<std::string> SerializeTrainedModel(const TrainedModel& trained) {
  // Written in place, model included: one copy of the artifact in memory, not three.
  std::string out;
  const size_t envelope = algo::BeginModelEnvelope(kArtifactTag, &out);
  algo::ByteWriter w(&out);
  w.Put<uint32_t>(kArtifactVersion);
  w.PutString(trained.recipe_name);
  PutStrings(w, trained.user_ids);
  PutStrings(w, trained.item_ids);
  TAILOR_RETURN_IF_ERROR(
      w.PutSection([&](std::string* buffer) { return trained.model->Save(buffer); }));
  for (const auto* lift : {&trained.context, &trained.user_metadata}) {
    (void)w.PutSection([&](std::string* buffer) {
      algo::ByteWriter lw(buffer);
      if (*lift) (*lift)->Save(lw);
      return Status::OK();
    });
  }
  PutStrings(w, trained.event_types);
  algo::EndModelEnvelope(envelope, &out);
  return out;
}

StatusOr<std::shared_ptr<const TrainedModel>> ParseTrainedModel(
    const algo::RecipeRegistry& registry, std::string_view bytes) {
  TAILOR_ASSIGN_OR_RETURN(algo::ModelEnvelope envelope, algo::ReadModelEnvelope(bytes));
  if (envelope.tag != kArtifactTag) {
    return Status::Internal("model artifact holds a \"" + envelope.tag +
                            "\", not a solution version");
  }
  algo::ByteReader r(envelope.payload);
  uint32_t version = 0;
  r.Get(&version);
  if (r.ok() && (version < 1 || version > kArtifactVersion)) {
    return Status::Internal("solution version artifact has version " + std::to_string(version) +
                            "; this build reads version " + std::to_string(kArtifactVersion));
  }
  auto trained = std::make_shared<TrainedModel>();
  std::string inner;
  r.GetString(&trained->recipe_name);
  if (!GetStrings(r, &trained->user_ids) || !GetStrings(r, &trained->item_ids)) {
    return Status::Internal("corrupt model artifact: truncated id lists");
  }
  r.GetString(&inner);
  std::string lifts[2];
  if (version >= 2) r.GetString(&lifts[0]) && r.GetString(&lifts[1]);
  if (version >= 3 && !GetStrings(r, &trained->event_types)) {
    return Status::Internal("corrupt model artifact: truncated event types");
  }
  TAILOR_RETURN_IF_ERROR(r.status("solution version"));
  std::shared_ptr<const algo::ContextLift>* targets[2] = {&trained->context,
                                                          &trained->user_metadata};
  for (int k = 0; k < 2; ++k) {
    if (lifts[k].empty()) continue;
    auto lift = std::make_shared<algo::ContextLift>();
    algo::ByteReader lr(lifts[k]);
    TAILOR_RETURN_IF_ERROR(lift->Load(lr));
    if (lift->num_items() != static_cast<int32_t>(trained->item_ids.size())) {
      return Status::Internal("solution version artifact: a context lift's items do not match");
    }
    *targets[k] = std::move(lift);
  }
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<algo::Model> model, registry.LoadModel(inner));
  if (model->num_items() != static_cast<int32_t>(trained->item_ids.size()) ||
      model->num_users() > static_cast<int32_t>(trained->user_ids.size())) {
    return Status::Internal(
        "solution version artifact: the model's users or items do not match "
        "its id lists");
  }
  // Loaded models are the served ones (campaigns, batch jobs): build their serving indexes now,
  // while the model is still private to this thread.
  model->PrepareForServing();
  trained->model = std::move(model);
  trained->BuildIndexes();
  return std::shared_ptr<const TrainedModel>(std::move(trained));
}

}  // namespace tailor::core
