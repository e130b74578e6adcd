// CreateCampaign, DescribeCampaign, ListCampaigns, UpdateCampaign, DeleteCampaign.
#include "api/control/operations.h"

namespace tailor::api {
namespace {

using nlohmann::json;

json Summary(const core::Campaign& c) {
  json out = {{"name", c.info.name},
              {"campaignArn", c.info.arn},
              {"status", c.info.status},
              {"creationDateTime", WireTime(c.info.created_micros)},
              {"lastUpdatedDateTime", WireTime(c.info.updated_micros)}};
  SetIfNotEmpty(&out, "failureReason", c.info.failure_reason);
  return out;
}

json CampaignConfig(const std::map<std::string, std::string>& exploration, bool metadata) {
  json config = json::object();
  if (!exploration.empty()) config["itemExplorationConfig"] = exploration;
  config["enableMetadataWithRecommendations"] = metadata;
  return config;
}

// Reads campaignConfig: itemExplorationConfig (a string map) and the metadata flag.
void ReadCampaignConfig(JsonReader& in, std::map<std::string, std::string>* exploration,
                        bool* metadata) {
  JsonReader config = in.Object("campaignConfig");
  *exploration = config.StringMap("itemExplorationConfig");
  *metadata = config.Bool("enableMetadataWithRecommendations", false);
}

}  // namespace

void AddCampaignOperations(OperationTable* table) {
  (*table)["CreateCampaign"] = [](core::ControlPlane& cp, const CallContext& call,
                                  JsonReader& in) -> StatusOr<json> {
    core::CreateCampaignRequest req;
    req.region = call.region;
    req.name = in.String("name", true);
    req.solution_version_arn = in.String("solutionVersionArn", true);
    req.min_provisioned_tps = in.Int("minProvisionedTPS", 1);
    ReadCampaignConfig(in, &req.item_exploration_config, &req.enable_metadata_with_recommendations);
    req.tags = in.TagList("tags");
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(std::string arn, cp.CreateCampaign(req));
    return json{{"campaignArn", arn}};
  };
  (*table)["DescribeCampaign"] = [](core::ControlPlane& cp, const CallContext&,
                                    JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("campaignArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::Campaign c, cp.DescribeCampaign(arn));
    json out = Summary(c);
    out["solutionVersionArn"] = c.solution_version_arn;
    out["minProvisionedTPS"] = c.min_provisioned_tps;
    out["campaignConfig"] =
        CampaignConfig(c.item_exploration_config, c.enable_metadata_with_recommendations);
    if (!c.update_status.empty()) {
      out["latestCampaignUpdate"] = {
          {"solutionVersionArn", c.update_solution_version_arn},
          {"minProvisionedTPS", c.min_provisioned_tps},
          {"campaignConfig",
           CampaignConfig(c.item_exploration_config, c.enable_metadata_with_recommendations)},
          {"status", c.update_status},
          {"creationDateTime", WireTime(c.update_created_micros)},
          {"lastUpdatedDateTime", WireTime(c.update_updated_micros)}};
    }
    return json{{"campaign", out}};
  };
  (*table)["ListCampaigns"] = [](core::ControlPlane& cp, const CallContext& call,
                                 JsonReader& in) -> StatusOr<json> {
    std::string solution = in.String("solutionArn");
    core::PageRequest page = ReadPageRequest(call, in);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(auto result, cp.ListCampaigns(solution, page));
    json out = {{"campaigns", json::array()}};
    for (const auto& c : result.items) out["campaigns"].push_back(Summary(c));
    AddNextToken(&out, result.next_token);
    return out;
  };
  (*table)["UpdateCampaign"] = [](core::ControlPlane& cp, const CallContext&,
                                  JsonReader& in) -> StatusOr<json> {
    core::UpdateCampaignRequest req;
    req.campaign_arn = in.String("campaignArn", true);
    req.solution_version_arn = in.String("solutionVersionArn");
    req.min_provisioned_tps = in.Int("minProvisionedTPS", 0);
    req.has_campaign_config = in.Has("campaignConfig");
    ReadCampaignConfig(in, &req.item_exploration_config, &req.enable_metadata_with_recommendations);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(std::string arn, cp.UpdateCampaign(req));
    return json{{"campaignArn", arn}};
  };
  (*table)["DeleteCampaign"] = [](core::ControlPlane& cp, const CallContext&,
                                  JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("campaignArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_RETURN_IF_ERROR(cp.DeleteCampaign(arn));
    return json::object();
  };
}

}  // namespace tailor::api
