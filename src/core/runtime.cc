// GetRecommendations and GetPersonalizedRanking (personalize-semantics.md §7): answered from
// the campaign's in-memory snapshot. Unknown users and items get popular items, never errors;
// user-personalization scores are a softmax over the whole catalogue, ranking scores a softmax
// over the input list, and related-items and popularity answers carry no score.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <random>
#include <shared_mutex>
#include <unordered_set>

#include <fmt/format.h>

#include "algo/context/context_lift.h"
#include "algo/model.h"
#include "algo/popularity/trending_model.h"
#include "common/arn.h"
#include "core/control_plane.h"
#include "core/filter_cache.h"
#include "core/recipe_catalog.h"
#include "core/resource_codec.h"
#include "serve/exploration/exploration.h"

namespace tailor::core {
namespace {

constexpr int kMaxNumResults = 500;
constexpr size_t kMaxIdLength = 256;

// "RID-" and a random UUID: 40 characters, the most PutEvents accepts back.
std::string NewRecommendationId() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  uint64_t a = rng(), b = rng();
  return fmt::format("RID-{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff,
                     a & 0xffff, b >> 48, b & 0xffffffffffffULL);
}

// Softmax of the selected items' scores over `pool` (all scores that are finite).
void SetSoftmaxScores(std::span<const float> pool, std::vector<algo::ScoredItem>& top,
                      std::vector<RecommendedItem>& out) {
  algo::ToProbabilities(algo::LogSumExp(pool), top);
  for (size_t k = 0; k < top.size(); ++k) {
    out[k].has_score = true;
    out[k].score = top[k].score;
  }
}

// The request's context as conditions on the campaign's context lift (§7: keys
// [A-Za-z0-9_]{1,150}, values of at most 1000 characters). Recipes without personal scores
// (SIMS, popularity) do not use context, as in Personalize, and get no conditions. For the
// others a key must name a context column the model learned (ignoring case and '_').
StatusOr<std::vector<algo::ContextLift::Condition>> ContextConditions(
    std::string_view recipe_type, const TrainedModel& trained,
    const std::map<std::string, std::string>& context) {
  std::vector<algo::ContextLift::Condition> conditions;
  for (const auto& [key, value] : context) {
    const bool key_ok = !key.empty() && key.size() <= 150 &&
                        std::all_of(key.begin(), key.end(),
                                    [](unsigned char c) { return std::isalnum(c) || c == '_'; });
    if (!key_ok) {
      return Status::InvalidInput("context key '" + key +
                                  "' must be 1 to 150 letters, digits or underscores.");
    }
    if (value.size() > 1000) {
      return Status::InvalidInput("context." + key + " is longer than 1000 characters.");
    }
  }
  if (recipe_type != kUserPersonalization && recipe_type != kPersonalizedRanking) {
    return conditions;
  }
  const algo::ContextLift* lift = trained.context.get();
  for (const auto& [key, value] : context) {
    const int32_t column = lift != nullptr ? lift->FindColumn(key) : -1;
    if (column < 0) {
      std::string known;
      if (lift != nullptr) {
        for (const std::string& n : lift->ColumnNames()) known += (known.empty() ? "" : ", ") + n;
      }
      return Status::InvalidInput(
          "context." + key + " is not a context column of the campaign's model; " +
          (known.empty() ? std::string("it learned none (context keys are string columns of "
                                       "the Interactions dataset other than its reserved ones, "
                                       "such as DEVICE).")
                         : "it learned " + known + "."));
    }
    conditions.push_back(lift->Find(column, value));
  }
  return conditions;
}

// The Users row of `user_id` as conditions on the model's user-metadata lift (empty when the
// user has no row).
std::vector<algo::ContextLift::Condition> UserMetadataConditions(const algo::ContextLift& lift,
                                                                 const FilterSnapshot& snapshot,
                                                                 const std::string& user_id) {
  std::vector<algo::ContextLift::Condition> conditions;
  auto row = snapshot.users_table_rows.find(user_id);
  if (snapshot.users_table == nullptr || row == snapshot.users_table_rows.end()) return conditions;
  const std::vector<std::string> names = lift.ColumnNames();
  for (size_t c = 0; c < names.size(); ++c) {
    const data::TableColumn* column = snapshot.users_table->Find(names[c]);
    if (column == nullptr || column->codes.empty()) continue;
    const std::string_view value = column->StringAt(static_cast<size_t>(row->second));
    if (!value.empty()) conditions.push_back(lift.Find(static_cast<int32_t>(c), value));
  }
  return conditions;
}

// How many candidates a context re-ranks to return n: the lift moves items by a bounded factor,
// so the best after it are among the best few times n before it.
int32_t ContextCandidates(int32_t n, int32_t num_items) {
  return std::min(num_items, std::max(4 * n, n + 100));
}

// Re-weights `ranked` by the context's lift and keeps the best n. Probabilities (softmax over
// the catalogue) stay probabilities: the mass outside the candidates keeps a lift of 1.
void ApplyContext(const algo::ContextLift& lift,
                  std::span<const algo::ContextLift::Condition> conditions, bool probabilities,
                  int32_t n, std::vector<algo::ScoredItem>* ranked) {
  double before = 0, after = 0;
  for (algo::ScoredItem& s : *ranked) {
    before += s.score;
    s.score = static_cast<float>(s.score * lift.Lift(conditions, s.item));
    after += s.score;
  }
  std::stable_sort(
      ranked->begin(), ranked->end(),
      [](const algo::ScoredItem& a, const algo::ScoredItem& b) { return a.score > b.score; });
  if (ranked->size() > static_cast<size_t>(n)) ranked->resize(static_cast<size_t>(n));
  if (probabilities) {
    const double total = after + std::max(0.0, 1.0 - before);
    if (total > 0) {
      for (algo::ScoredItem& s : *ranked) s.score = static_cast<float>(s.score / total);
    }
  }
}

// Adds the log of the lift to scores that are logits (so that their softmax is multiplied by
// the lift) and re-sorts them, best first.
void AddLogLift(const algo::ContextLift& lift,
                std::span<const algo::ContextLift::Condition> conditions,
                std::vector<algo::ScoredItem>* ranked) {
  for (algo::ScoredItem& s : *ranked) {
    s.score += static_cast<float>(std::log(lift.Lift(conditions, s.item)));
  }
  std::stable_sort(
      ranked->begin(), ranked->end(),
      [](const algo::ScoredItem& a, const algo::ScoredItem& b) { return a.score > b.score; });
}

Status CheckId(const char* field, const std::string& id) {
  if (id.size() > kMaxIdLength) {
    return Status::InvalidInput(std::string(field) + " is longer than 256 characters.");
  }
  return Status::OK();
}

// How many of the answer's items the request's promotion takes: percentPromotedItems of
// numResults, rounded down but at least one (0 without a promotion).
size_t PromotedSlots(const RecommendationRequest& req) {
  if (req.promotions.empty() || req.num_results == 0) return 0;
  const int percent = std::clamp(req.promotions.front().percent_promoted_items, 1, 100);
  return static_cast<size_t>(std::max(1, req.num_results * percent / 100));
}

Status CheckPromotions(const std::vector<Promotion>& promotions) {
  if (promotions.size() > 1) {
    return Status::InvalidInput("promotions holds at most 1 promotion; got " +
                                std::to_string(promotions.size()) + ".");
  }
  for (const Promotion& p : promotions) {
    const bool name_ok =
        !p.name.empty() && p.name.size() <= 63 &&
        std::isalnum(static_cast<unsigned char>(p.name[0])) &&
        std::all_of(p.name.begin(), p.name.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        });
    if (!name_ok) {
      return Status::InvalidInput(
          "promotions[0].name must be 1 to 63 letters, digits, '-' or "
          "'_', starting with a letter or digit; got '" +
          p.name + "'.");
    }
    if (p.percent_promoted_items < 1 || p.percent_promoted_items > 100) {
      return Status::InvalidInput(
          "promotions[0].percentPromotedItems must be between 1 and 100; "
          "got " +
          std::to_string(p.percent_promoted_items) + ".");
    }
    if (p.filter_arn.empty()) {
      return Status::InvalidInput(
          "promotions[0].filterArn is required: it picks the promoted "
          "items.");
    }
    TAILOR_RETURN_IF_ERROR(ValidateArn("promotions[0].filterArn", p.filter_arn));
  }
  return Status::OK();
}

// `main` without the promoted items, cut to leave room for them, with `promoted` placed at
// random positions in their own order (§7). At most `size` items.
std::vector<RecommendedItem> MergePromoted(std::vector<RecommendedItem> main,
                                           std::vector<RecommendedItem> promoted, size_t size) {
  std::erase_if(main, [&](const RecommendedItem& m) {
    return std::any_of(promoted.begin(), promoted.end(),
                       [&](const RecommendedItem& p) { return p.item_id == m.item_id; });
  });
  promoted.resize(std::min(promoted.size(), size));
  main.resize(std::min(main.size(), size - promoted.size()));
  const size_t total = main.size() + promoted.size();
  static thread_local std::mt19937_64 rng(std::random_device{}());
  std::vector<size_t> positions(total);
  std::iota(positions.begin(), positions.end(), size_t{0});
  std::shuffle(positions.begin(), positions.end(), rng);
  positions.resize(promoted.size());
  std::sort(positions.begin(), positions.end());
  std::vector<RecommendedItem> merged;
  merged.reserve(total);
  size_t next_main = 0, next_promoted = 0;
  for (size_t pos = 0; pos < total; ++pos) {
    if (next_promoted < positions.size() && positions[next_promoted] == pos) {
      merged.push_back(std::move(promoted[next_promoted++]));
    } else {
      merged.push_back(std::move(main[next_main++]));
    }
  }
  return merged;
}

// Sets `item`'s bit in *bits (RecommendOptions::exclude's layout), growing it to cover
// num_items.
void Mark(int32_t item, int32_t num_items, std::vector<uint64_t>* bits) {
  bits->resize(std::max(bits->size(), (static_cast<size_t>(num_items) + 63) / 64), 0);
  (*bits)[item >> 6] |= uint64_t{1} << (item & 63);
}

// aws-similar-items treats an item with fewer users than this as cold (personalize-semantics.md
// §4: "handles cold items (<5 interactions)").
constexpr float kColdItemUsers = 5;

}  // namespace

StatusOr<std::vector<algo::ContextLift::Condition>> ControlPlane::UnknownUserMetadata(
    const Deployment& d, int32_t user, const std::string& user_id) {
  if (user >= 0 || d.model->user_metadata == nullptr)
    return std::vector<algo::ContextLift::Condition>{};
  TAILOR_ASSIGN_OR_RETURN(const std::shared_ptr<const FilterSnapshot> snapshot,
                          MetadataSnapshot(d));
  return UserMetadataConditions(*d.model->user_metadata, *snapshot, user_id);
}

StatusOr<ControlPlane::ServingCampaign> ControlPlane::ServingDeployment(
    const std::string& campaign_arn, const std::string& filter_arn) {
  if (!filter_arn.empty()) TAILOR_RETURN_IF_ERROR(ValidateArn("filterArn", filter_arn));
  {
    // The hot path: an ACTIVE campaign's snapshot, without reading the catalog.
    std::shared_lock lock(serving_mu_);
    auto it = serving_.find(campaign_arn);
    if (it != serving_.end()) return it->second;
  }
  TAILOR_ASSIGN_OR_RETURN(Campaign campaign, DescribeCampaign(campaign_arn));
  if (campaign.info.status != kActive) {
    return Status::InvalidInput("Campaign " + campaign.info.arn + " is " + campaign.info.status +
                                "; it answers once it is ACTIVE.");
  }
  // The filter itself is looked up against the deployment by FilterExclusion.
  TAILOR_ASSIGN_OR_RETURN(std::shared_ptr<const Deployment> d,
                          DeploymentOfVersion(campaign.solution_version_arn));
  ServingCampaign served = ServingCampaignOf(campaign, std::move(d));
  std::unique_lock lock(serving_mu_);
  serving_.emplace(campaign_arn, served);
  return served;
}

ControlPlane::ServingCampaign ControlPlane::ServingCampaignOf(
    const Campaign& campaign, std::shared_ptr<const Deployment> deployment) {
  ServingCampaign served;
  served.deployment = std::move(deployment);
  served.metadata_enabled = campaign.enable_metadata_with_recommendations;
  const auto& config = campaign.item_exploration_config;
  // Validated at CreateCampaign / UpdateCampaign.
  if (auto it = config.find("explorationWeight"); it != config.end()) {
    served.exploration_weight = std::strtod(it->second.c_str(), nullptr);
  } else if (!config.empty()) {
    served.exploration_weight = 0.3;  // Personalize's default once the config is given
  }
  if (auto it = config.find("explorationItemAgeCutOff"); it != config.end()) {
    served.exploration_age_cutoff_days = std::strtod(it->second.c_str(), nullptr);
  }
  return served;
}

Status ControlPlane::CheckMetadataColumns(
    const ServingCampaign& served, const std::map<std::string, std::vector<std::string>>& columns,
    size_t num_results) {
  if (columns.empty()) return Status::OK();
  if (columns.size() != 1 || columns.begin()->first != "ITEMS") {
    return Status::InvalidInput("metadataColumns takes one key, ITEMS; got '" +
                                columns.begin()->first + "'.");
  }
  const size_t n = columns.begin()->second.size();
  if (n == 0 || n > 10) {
    return Status::InvalidInput("metadataColumns.ITEMS must list between 1 and 10 columns; got " +
                                std::to_string(n) + ".");
  }
  if (!served.metadata_enabled) {
    return Status::InvalidInput(
        "metadataColumns needs a campaign created with campaignConfig."
        "enableMetadataWithRecommendations = true.");
  }
  if (num_results > 50) {
    return Status::InvalidInput("With metadataColumns at most 50 items can be returned; got " +
                                std::to_string(num_results) + ".");
  }
  return Status::OK();
}

StatusOr<Recommendations> ControlPlane::GetRecommendations(const RecommendationRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateArn("campaignArn", req.campaign_arn));
  TAILOR_RETURN_IF_ERROR(CheckId("userId", req.user_id));
  TAILOR_RETURN_IF_ERROR(CheckId("itemId", req.item_id));
  if (req.num_results < 0 || req.num_results > kMaxNumResults) {
    return Status::InvalidInput("numResults must be between 0 and 500; got " +
                                std::to_string(req.num_results) + ".");
  }
  TAILOR_RETURN_IF_ERROR(CheckPromotions(req.promotions));
  TAILOR_ASSIGN_OR_RETURN(const ServingCampaign served,
                          ServingDeployment(req.campaign_arn, req.filter_arn));
  TAILOR_RETURN_IF_ERROR(
      CheckMetadataColumns(served, req.metadata_columns, static_cast<size_t>(req.num_results)));
  const std::shared_ptr<const Deployment>& d = served.deployment;
  const TrainedModel& trained = *d->model;
  const algo::Model& model = *trained.model;
  // Every recipe type skips what the filter removes; a filter removing everything leaves an
  // empty list, not an error (§9).
  TAILOR_ASSIGN_OR_RETURN(const FilterExclusionResult filtered,
                          FilterExclusion(*d, {.filter_arn = req.filter_arn,
                                               .filter_values = &req.filter_values,
                                               .user_id = req.user_id,
                                               .item_id = req.item_id}));
  const std::vector<uint64_t>& exclude = filtered.bits;
  Recommendations out;
  out.recommendation_id = NewRecommendationId();
  if (d->recipe_type == kPersonalizedRanking) {
    return Status::InvalidInput("Campaign " + req.campaign_arn +
                                " serves a PERSONALIZED_RANKING recipe; call "
                                "GetPersonalizedRanking.");
  }
  const bool related = d->recipe_type == kRelatedItems;
  // Popular-items recipes give everyone the same list; userId only matters to a filter.
  const auto* trending = dynamic_cast<const algo::TrendingModel*>(&model);
  const bool popular_items = d->recipe_name == "aws-popularity-count" || trending != nullptr;
  if (related && req.item_id.empty()) {
    return Status::InvalidInput("itemId is required for a RELATED_ITEMS campaign.");
  }
  if (!related && !popular_items && req.user_id.empty()) {
    return Status::InvalidInput("userId is required for a USER_PERSONALIZATION campaign.");
  }
  const size_t promoted_slots = PromotedSlots(req);
  TAILOR_ASSIGN_OR_RETURN(const std::vector<algo::ContextLift::Condition> context,
                          ContextConditions(d->recipe_type, *d->model, req.context));

  // Where the answer comes from: similar items of a known item, the user's personal scores
  // (a known user, or one with events recorded since the model trained: PutEvents join the
  // history at once, §8), or popular items (cold start, popularity-count).
  const int32_t item = related ? trained.ItemIndex(req.item_id) : -1;
  const int32_t user = !related && !popular_items ? trained.UserIndex(req.user_id) : -1;
  const FreshEvents fresh =
      !related && !popular_items ? FreshEventsOf(*d, req.user_id) : FreshEvents{};
  const bool personal = !related && !popular_items && (user >= 0 || !fresh.items.empty());
  const algo::UserQuery query{.user = user,
                              .items = fresh.items,
                              .timestamps = fresh.timestamps,
                              .weights = fresh.weights,
                              .event_types = fresh.event_types};
  // A user the model does not know but with a Users row: the items users with the same
  // metadata chose. Without events that re-weights the popular items; with events since the
  // training, the folded-in user's own list (the fold-in sees the events, not the metadata, so
  // the lift adds what it knows).
  std::vector<algo::ContextLift::Condition> user_metadata;
  if (!related && !popular_items) {
    TAILOR_ASSIGN_OR_RETURN(user_metadata, UnknownUserMetadata(*d, user, req.user_id));
  }
  const std::shared_ptr<const Trends> trends =
      trending != nullptr ? TrendsOf(*d, *trending) : nullptr;
  // The best `n` items that `skip` leaves, best first; with softmax scores when personal.
  auto rank_without_context = [&](std::span<const uint64_t> skip,
                                  int32_t n) -> StatusOr<std::vector<algo::ScoredItem>> {
    if (related) {
      // An item the model does not know (new since training), or for aws-similar-items one
      // with fewer than kColdItemUsers users: the items sharing its Items metadata first, then
      // (a known item) its co-occurrence neighbours, then popular items.
      std::vector<algo::ScoredItem> similar;
      const bool cold = item < 0 || (d->recipe_name == "aws-similar-items" &&
                                     d->popularity[item] < kColdItemUsers);
      if (cold) {
        TAILOR_ASSIGN_OR_RETURN(const std::shared_ptr<const FilterSnapshot> snapshot,
                                MetadataSnapshot(*d));
        auto row = snapshot->item_rows.find(req.item_id);
        if (row != snapshot->item_rows.end() && snapshot->item_tokens != nullptr) {
          std::vector<uint64_t> others(skip.begin(), skip.end());
          if (item >= 0) Mark(item, model.num_items(), &others);
          similar = snapshot->item_tokens->SimilarTo(
              snapshot->item_tokens->TokensOfRow(row->second), n, d->popularity, others);
        }
      }
      if (similar.size() >= static_cast<size_t>(n)) return similar;
      std::vector<uint64_t> taken(skip.begin(), skip.end());
      for (const algo::ScoredItem& s : similar) Mark(s.item, model.num_items(), &taken);
      const int32_t rest = n - static_cast<int32_t>(similar.size());
      if (item >= 0) {
        TAILOR_ASSIGN_OR_RETURN(std::vector<algo::ScoredItem> neighbours,
                                model.SimilarItems(item, {.num_results = rest, .exclude = taken}));
        similar.insert(similar.end(), neighbours.begin(), neighbours.end());
      } else {
        for (const algo::ScoredItem& s :
             algo::TopK(std::span<const float>(d->popularity), rest,
                        [&](int32_t i) { return algo::IsExcluded(taken, i); })) {
          similar.push_back(s);
        }
      }
      return similar;
    }
    if (personal) {
      // Personalize does not drop what the user has seen; a filter does that. Its recipes rank
      // the history by the chance of users coming back (model.h: ranks_history); a model that
      // cannot leaves it out, as GetSolutionMetrics measured it.
      return model.Recommend(query, {.num_results = n,
                                     .exclude_history = !model.ranks_history(),
                                     .exclude = skip,
                                     .softmax = true});
    }
    if (trending != nullptr) {
      return algo::TopK(std::span<const float>(trends->scores), n,
                        [&](int32_t i) { return algo::IsExcluded(skip, i); });
    }
    return algo::TopK(std::span<const float>(d->popularity), n,
                      [&](int32_t i) { return algo::IsExcluded(skip, i); });
  };
  auto rank = [&](std::span<const uint64_t> skip,
                  int32_t n) -> StatusOr<std::vector<algo::ScoredItem>> {
    if (context.empty() && user_metadata.empty()) return rank_without_context(skip, n);
    const int32_t wide = ContextCandidates(n, model.num_items());
    TAILOR_ASSIGN_OR_RETURN(std::vector<algo::ScoredItem> ranked, rank_without_context(skip, wide));
    if (!user_metadata.empty()) {
      ApplyContext(*trained.user_metadata, user_metadata, personal, wide, &ranked);
    }
    if (!context.empty()) ApplyContext(*trained.context, context, personal, wide, &ranked);
    if (ranked.size() > static_cast<size_t>(n)) ranked.resize(static_cast<size_t>(n));
    return ranked;
  };
  auto to_items = [&](const std::vector<algo::ScoredItem>& ranked) {
    std::vector<RecommendedItem> items(ranked.size());
    for (size_t k = 0; k < ranked.size(); ++k) {
      items[k].item_id = trained.item_ids[ranked[k].item];
      items[k].has_score = personal;
      items[k].score = personal ? ranked[k].score : 0;
    }
    return items;
  };

  // The main list keeps spares for the items a promotion takes.
  const int32_t wanted = req.num_results + static_cast<int32_t>(promoted_slots);
  ExplorationResult explored;
  const bool exploring =
      !related && !popular_items &&
      serve::ExplorationSlots(static_cast<size_t>(req.num_results), served.exploration_weight) > 0;
  if (!exploring) {
    TAILOR_ASSIGN_OR_RETURN(const std::vector<algo::ScoredItem> top, rank(exclude, wanted));
    out.items = to_items(top);
    if (trends != nullptr) {
      // Items new since the training that are rising take their place by their rise, those the
      // filter keeps.
      std::vector<const std::pair<std::string, int32_t>*> rising;
      for (const auto& item : trends->new_items) {
        if (filtered.KeepsNewItem(item.first)) rising.push_back(&item);
      }
      size_t from_model = 0, from_new = 0;
      for (size_t pos = 0; pos < static_cast<size_t>(wanted) && from_new < rising.size(); ++pos) {
        const bool new_first = from_model >= top.size() ||
                               rising[from_new]->second > trends->rises[top[from_model].item];
        if (new_first) {
          explored.new_items.push_back({pos, rising[from_new++]->first});
        } else {
          ++from_model;
        }
      }
    }
  } else {
    // The model's own list is the plain answer; exploration picks among every item's scores.
    std::vector<float> scores;
    TAILOR_ASSIGN_OR_RETURN(std::vector<algo::ScoredItem> top, rank(exclude, wanted));
    std::unordered_set<int32_t> own;
    if (personal) {
      scores.resize(static_cast<size_t>(model.num_items()));
      TAILOR_RETURN_IF_ERROR(model.ScoreItems(query, scores));
      // Scores are logits here: the context's lift adds its logarithm.
      for (size_t i = 0; !context.empty() && i < scores.size(); ++i) {
        scores[i] +=
            static_cast<float>(std::log(trained.context->Lift(context, static_cast<int32_t>(i))));
      }
      for (const algo::ScoredItem& s : top) own.insert(s.item);
    }
    TAILOR_ASSIGN_OR_RETURN(
        explored, Explore(served, scores, filtered, static_cast<size_t>(req.num_results), &top));
    if (personal) {
      // The explored items come with their logits: their softmax over the catalogue.
      const double log_partition = algo::LogSumExp(scores);
      for (algo::ScoredItem& s : top) {
        if (own.count(s.item) == 0) algo::ToProbabilities(log_partition, {&s, 1});
      }
    }
    out.items = to_items(top);
  }
  for (const ExplorationResult::NewItem& item : explored.new_items) {
    // A new item has no model score; the list keeps numResults entries.
    const size_t at = std::min(item.position, out.items.size());
    out.items.insert(out.items.begin() + static_cast<std::ptrdiff_t>(at),
                     RecommendedItem{item.item_id, false, 0, {}, {}});
  }
  if (promoted_slots > 0) {
    // The promotion's items are picked by its own filter only, ranked like the main list (§7).
    const Promotion& promotion = req.promotions.front();
    TAILOR_ASSIGN_OR_RETURN(const FilterExclusionResult promotion_filter,
                            FilterExclusion(*d, {.filter_arn = promotion.filter_arn,
                                                 .filter_values = &promotion.filter_values,
                                                 .user_id = req.user_id,
                                                 .item_id = req.item_id}));
    const std::vector<uint64_t>& promoted_skip = promotion_filter.bits;
    TAILOR_ASSIGN_OR_RETURN(const std::vector<algo::ScoredItem> picked,
                            rank(promoted_skip, static_cast<int32_t>(promoted_slots)));
    std::vector<RecommendedItem> promoted = to_items(picked);
    for (RecommendedItem& p : promoted) p.promotion_name = promotion.name;
    out.items = MergePromoted(std::move(out.items), std::move(promoted),
                              static_cast<size_t>(req.num_results));
  }
  if (out.items.size() > static_cast<size_t>(req.num_results)) {
    out.items.resize(static_cast<size_t>(req.num_results));
  }
  if (!req.metadata_columns.empty()) {
    TAILOR_RETURN_IF_ERROR(AddItemMetadata(*d, req.metadata_columns, &out.items));
  }
  return out;
}

StatusOr<Recommendations> ControlPlane::GetPersonalizedRanking(const RankingRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateArn("campaignArn", req.campaign_arn));
  if (req.user_id.empty()) return Status::InvalidInput("userId is required.");
  TAILOR_RETURN_IF_ERROR(CheckId("userId", req.user_id));
  if (req.input_list.empty() || req.input_list.size() > kMaxNumResults) {
    return Status::InvalidInput("inputList must hold between 1 and 500 item ids; got " +
                                std::to_string(req.input_list.size()) + ".");
  }
  for (const std::string& id : req.input_list) TAILOR_RETURN_IF_ERROR(CheckId("inputList", id));
  TAILOR_ASSIGN_OR_RETURN(const ServingCampaign served,
                          ServingDeployment(req.campaign_arn, req.filter_arn));
  TAILOR_RETURN_IF_ERROR(CheckMetadataColumns(served, req.metadata_columns, req.input_list.size()));
  const std::shared_ptr<const Deployment>& d = served.deployment;
  if (d->recipe_type != kPersonalizedRanking) {
    return Status::InvalidInput("Campaign " + req.campaign_arn + " serves a " + d->recipe_type +
                                " recipe; GetPersonalizedRanking needs a PERSONALIZED_RANKING "
                                "campaign.");
  }
  const TrainedModel& trained = *d->model;
  const algo::Model& model = *trained.model;
  TAILOR_ASSIGN_OR_RETURN(const std::vector<algo::ContextLift::Condition> context,
                          ContextConditions(d->recipe_type, *d->model, req.context));
  TAILOR_ASSIGN_OR_RETURN(const FilterExclusionResult filtered,
                          FilterExclusion(*d, {.filter_arn = req.filter_arn,
                                               .filter_values = &req.filter_values,
                                               .user_id = req.user_id}));
  const std::vector<uint64_t>& exclude = filtered.bits;
  std::vector<int32_t> known;
  std::vector<std::string> unknown;
  for (const std::string& id : req.input_list) {
    int32_t item = trained.ItemIndex(id);
    if (item < 0) {
      // An id the model does not know is filtered by its Items row, or as an item without
      // metadata when it has none.
      if (filtered.KeepsNewItem(id)) unknown.push_back(id);
    } else if (!algo::IsExcluded(exclude, item) &&
               std::find(known.begin(), known.end(), item) == known.end()) {
      known.push_back(item);
    }
  }
  Recommendations out;
  out.recommendation_id = NewRecommendationId();
  int32_t user = trained.UserIndex(req.user_id);
  const FreshEvents fresh = FreshEventsOf(*d, req.user_id);
  // A user the model does not know: the metadata of their Users row, if any, re-weights the
  // list by the items users like them chose (as GetRecommendations does).
  TAILOR_ASSIGN_OR_RETURN(const std::vector<algo::ContextLift::Condition> user_metadata,
                          UnknownUserMetadata(*d, user, req.user_id));
  std::vector<algo::ScoredItem> ranked;
  if (user >= 0 || !fresh.items.empty()) {
    TAILOR_ASSIGN_OR_RETURN(ranked, model.Rank({.user = user,
                                                .items = fresh.items,
                                                .timestamps = fresh.timestamps,
                                                .weights = fresh.weights,
                                                .event_types = fresh.event_types},
                                               known));
  } else {
    for (int32_t item : known) ranked.push_back({item, d->popularity[item]});
    std::stable_sort(
        ranked.begin(), ranked.end(),
        [](const algo::ScoredItem& a, const algo::ScoredItem& b) { return a.score > b.score; });
    // Popularity counts are not preferences: a cold user's softmax uses their logarithm.
    for (algo::ScoredItem& s : ranked) s.score = std::log1p(s.score);
  }
  if (!user_metadata.empty()) AddLogLift(*trained.user_metadata, user_metadata, &ranked);
  if (!context.empty()) AddLogLift(*trained.context, context, &ranked);
  std::vector<float> pool;
  for (const algo::ScoredItem& s : ranked) pool.push_back(s.score);
  out.items.resize(ranked.size());
  SetSoftmaxScores(pool, ranked, out.items);
  for (size_t k = 0; k < ranked.size(); ++k)
    out.items[k].item_id = trained.item_ids[ranked[k].item];
  // Items the model never saw go last, without a score (semantics §7, ranking v1).
  for (const std::string& id : unknown) out.items.push_back({id, false, 0, {}});
  if (!req.metadata_columns.empty()) {
    TAILOR_RETURN_IF_ERROR(AddItemMetadata(*d, req.metadata_columns, &out.items));
  }
  return out;
}

}  // namespace tailor::core
