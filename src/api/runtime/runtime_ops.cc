#include "api/runtime/runtime_ops.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "api/control/json_reader.h"
#include "api/errors.h"
#include "api/rest_json.h"

namespace tailor::api {
namespace {

using nlohmann::json;

// Scores with about 7 significant digits, as Personalize prints them.
double Round7(double v) {
  if (v == 0 || !std::isfinite(v)) return v;
  double scale = std::pow(10.0, 6 - static_cast<int>(std::floor(std::log10(std::fabs(v)))));
  return std::round(v * scale) / scale;
}

json ItemList(const core::Recommendations& recs) {
  json items = json::array();
  for (const core::RecommendedItem& item : recs.items) {
    json entry = {{"itemId", item.item_id}};
    if (item.has_score) entry["score"] = Round7(item.score);
    if (!item.metadata.empty()) entry["metadata"] = item.metadata;
    if (!item.promotion_name.empty()) entry["promotionName"] = item.promotion_name;
    items.push_back(std::move(entry));
  }
  return items;
}

}  // namespace

HttpResponse HandleGetRecommendations(core::ControlPlane& cp, const HttpRequest& request) {
  return RunRestJson(
      Protocol::kRuntime, "GetRecommendations", request, [&](JsonReader& in) -> StatusOr<json> {
        core::RecommendationRequest req;
        req.campaign_arn = in.String("campaignArn");
        std::string recommender = in.String("recommenderArn");
        req.user_id = in.String("userId");
        req.item_id = in.String("itemId");
        req.num_results = in.Int("numResults", 25);
        req.filter_arn = in.String("filterArn");
        req.filter_values = in.StringMap("filterValues", 25);
        req.metadata_columns = in.StringListMap("metadataColumns", 1);
        req.context = in.StringMap("context", 150);
        in.ObjectList(
            "promotions",
            [&](JsonReader& p) {
              req.promotions.push_back(
                  {.name = p.String("name", /*required=*/true),
                   .percent_promoted_items = p.Int("percentPromotedItems", 0, /*required=*/true),
                   .filter_arn = p.String("filterArn", /*required=*/true),
                   .filter_values = p.StringMap("filterValues", 25)});
            },
            1);
        TAILOR_RETURN_IF_ERROR(in.status());
        if (req.campaign_arn.empty() == recommender.empty()) {
          return Status::InvalidInput("Give exactly one of campaignArn and recommenderArn.");
        }
        if (!recommender.empty()) {
          return Status::NotFound("Resource Arn " + recommender + " does not exist.");
        }
        TAILOR_ASSIGN_OR_RETURN(core::Recommendations recs, cp.GetRecommendations(req));
        return json{{"itemList", ItemList(recs)}, {"recommendationId", recs.recommendation_id}};
      });
}

HttpResponse HandleGetPersonalizedRanking(core::ControlPlane& cp, const HttpRequest& request) {
  return RunRestJson(
      Protocol::kRuntime, "GetPersonalizedRanking", request, [&](JsonReader& in) -> StatusOr<json> {
        core::RankingRequest req;
        req.campaign_arn = in.String("campaignArn", true);
        req.user_id = in.String("userId", true);
        req.input_list = in.StringList("inputList", true);
        req.filter_arn = in.String("filterArn");
        req.filter_values = in.StringMap("filterValues", 25);
        req.metadata_columns = in.StringListMap("metadataColumns", 1);
        req.context = in.StringMap("context", 150);
        TAILOR_RETURN_IF_ERROR(in.status());
        TAILOR_ASSIGN_OR_RETURN(core::Recommendations recs, cp.GetPersonalizedRanking(req));
        return json{{"personalizedRanking", ItemList(recs)},
                    {"recommendationId", recs.recommendation_id}};
      });
}

}  // namespace tailor::api
