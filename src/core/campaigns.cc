// Campaigns: an ACTIVE solution version deployed for real-time requests (personalize-semantics.md
// §6). A campaign goes ACTIVE once its model is loaded; an update loads the new version first
// and swaps it in atomically, so no request fails or waits while it happens.
#include <cstdlib>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "algo/model.h"
#include "common/arn.h"
#include "core/control_plane.h"
#include "core/filter_cache.h"
#include "core/recipe_catalog.h"
#include "core/resource_codec.h"
#include "core/validation.h"

namespace tailor::core {
namespace {

Status ValidateExplorationConfig(const std::map<std::string, std::string>& config) {
  for (const auto& [key, value] : config) {
    char* end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    const bool number = end != value.c_str() && *end == '\0';
    if (key == "explorationWeight") {
      if (!number || v < 0 || v > 1) {
        return Status::InvalidInput(
            "campaignConfig.itemExplorationConfig.explorationWeight must be a number between 0 "
            "and 1; got '" +
            value + "'.");
      }
    } else if (key == "explorationItemAgeCutOff") {
      if (!number || v <= 0) {
        return Status::InvalidInput(
            "campaignConfig.itemExplorationConfig.explorationItemAgeCutOff must be a positive "
            "number of days; got '" +
            value + "'.");
      }
    } else {
      return Status::InvalidInput("campaignConfig.itemExplorationConfig has an unknown key '" +
                                  key + "'; use explorationWeight or explorationItemAgeCutOff.");
    }
  }
  return Status::OK();
}

}  // namespace

StatusOr<std::string> ControlPlane::CreateCampaign(const CreateCampaignRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateName("name", req.name));
  TAILOR_RETURN_IF_ERROR(ValidateArn("solutionVersionArn", req.solution_version_arn));
  TAILOR_RETURN_IF_ERROR(ValidateTags(req.tags));
  if (req.min_provisioned_tps < 1) {
    return Status::InvalidInput("minProvisionedTPS must be at least 1.");
  }
  TAILOR_RETURN_IF_ERROR(ValidateExplorationConfig(req.item_exploration_config));
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(SolutionVersion version,
                          DescribeSolutionVersion(req.solution_version_arn));
  if (version.info.status != kActive) {
    return Status::InUse("Solution version " + version.info.arn + " is " + version.info.status +
                         "; a campaign needs an ACTIVE version.");
  }
  TAILOR_ASSIGN_OR_RETURN(const RecipeEntry* recipe, FindRecipe("recipeArn", version.recipe_arn));
  if (recipe->recipe_type == std::string_view(kUserSegmentation)) {
    return Status::InvalidInput("Solution version " + version.info.arn + " uses " +
                                std::string(recipe->name) +
                                ", a USER_SEGMENTATION recipe; use CreateBatchSegmentJob instead "
                                "of a campaign.");
  }
  Campaign campaign;
  campaign.info.arn =
      MakeArn(ArnContextFor(req.region), std::string(kCampaignType) + "/" + req.name);
  campaign.info.name = req.name;
  campaign.info.status = kCreatePending;
  campaign.info.created_micros = campaign.info.updated_micros = env_->NowMicros();
  campaign.solution_version_arn = version.info.arn;
  campaign.min_provisioned_tps = req.min_provisioned_tps;
  campaign.item_exploration_config = req.item_exploration_config;
  campaign.enable_metadata_with_recommendations = req.enable_metadata_with_recommendations;
  store::CatalogRecord record = ToRecord(campaign);
  record.tags = req.tags;
  Status s = catalog_->Insert(record);
  if (s.IsAlreadyExists()) {
    return Status::AlreadyExists("A campaign named " + req.name + " already exists.");
  }
  TAILOR_RETURN_IF_ERROR(s);
  ScheduleDeployment(campaign.info.arn);
  return campaign.info.arn;
}

StatusOr<Campaign> ControlPlane::DescribeCampaign(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("campaignArn", arn, kCampaignType));
  return CampaignFromRecord(record);
}

StatusOr<Page<Campaign>> ControlPlane::ListCampaigns(std::string_view solution_arn,
                                                     const PageRequest& page) {
  if (!solution_arn.empty()) {
    TAILOR_RETURN_IF_ERROR(GetRecord("solutionArn", solution_arn, kSolutionType).status());
  }
  TAILOR_ASSIGN_OR_RETURN(auto records, ListRecords(kCampaignType, solution_arn, page));
  Page<Campaign> out;
  for (const auto& r : records.records) {
    TAILOR_ASSIGN_OR_RETURN(Campaign c, CampaignFromRecord(r));
    out.items.push_back(std::move(c));
  }
  out.next_token = records.next_page_token;
  return out;
}

StatusOr<std::string> ControlPlane::UpdateCampaign(const UpdateCampaignRequest& req) {
  TAILOR_ASSIGN_OR_RETURN(Campaign campaign, DescribeCampaign(req.campaign_arn));
  if (campaign.info.status != kActive && campaign.info.status != kCreateFailed) {
    return Status::InUse("Campaign " + campaign.info.arn + " is " + campaign.info.status +
                         "; it can be updated when ACTIVE or CREATE FAILED.");
  }
  if (campaign.update_status == kCreatePending || campaign.update_status == kCreateInProgress) {
    return Status::InUse("Campaign " + campaign.info.arn + " is already being updated.");
  }
  if (req.has_campaign_config) {
    TAILOR_RETURN_IF_ERROR(ValidateExplorationConfig(req.item_exploration_config));
  }
  std::string version_arn = campaign.solution_version_arn;
  if (!req.solution_version_arn.empty()) {
    TAILOR_RETURN_IF_ERROR(ValidateArn("solutionVersionArn", req.solution_version_arn));
    TAILOR_ASSIGN_OR_RETURN(SolutionVersion version,
                            DescribeSolutionVersion(req.solution_version_arn));
    if (version.info.status != kActive) {
      return Status::InUse("Solution version " + version.info.arn + " is " + version.info.status +
                           "; a campaign needs an ACTIVE version.");
    }
    if (version.solution_arn !=
        campaign.solution_version_arn.substr(0, campaign.solution_version_arn.rfind('/'))) {
      return Status::InvalidInput("Solution version " + version.info.arn +
                                  " belongs to another solution than campaign " +
                                  campaign.info.arn + "'s.");
    }
    version_arn = version.info.arn;
  }
  const int64_t now = env_->NowMicros();
  TAILOR_RETURN_IF_ERROR(catalog_->Update(req.campaign_arn, [&](store::CatalogRecord* r) {
    TAILOR_ASSIGN_OR_RETURN(Campaign c, CampaignFromRecord(*r));
    if (req.min_provisioned_tps > 0) c.min_provisioned_tps = req.min_provisioned_tps;
    if (req.has_campaign_config) {
      c.item_exploration_config = req.item_exploration_config;
      c.enable_metadata_with_recommendations = req.enable_metadata_with_recommendations;
    }
    c.update_solution_version_arn = version_arn;
    c.update_status = kCreatePending;
    c.update_created_micros = c.update_updated_micros = now;
    c.info.updated_micros = now;
    store::CatalogRecord updated = ToRecord(c);
    updated.tags = r->tags;
    *r = std::move(updated);
    return Status::OK();
  }));
  ScheduleDeployment(campaign.info.arn);
  return campaign.info.arn;
}

Status ControlPlane::DeleteCampaign(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("campaignArn", arn, kCampaignType));
  TAILOR_RETURN_IF_ERROR(CheckDeletable(record));
  {
    // Requests stop being answered once the delete is accepted.
    std::unique_lock lock(serving_mu_);
    serving_.erase(record.arn);
  }
  TAILOR_RETURN_IF_ERROR(SetStatus(record.arn, kDeletePending));
  ScheduleDeletion(record.arn, /*show_in_progress=*/true, /*files_dir=*/"");
  return Status::OK();
}

StatusOr<std::shared_ptr<const ControlPlane::Deployment>> ControlPlane::DeploymentOf(
    std::string_view campaign_arn) {
  TAILOR_ASSIGN_OR_RETURN(Campaign campaign, DescribeCampaign(campaign_arn));
  return DeploymentOfVersion(campaign.solution_version_arn);
}

StatusOr<std::shared_ptr<const ControlPlane::Deployment>> ControlPlane::DeploymentOfVersion(
    const std::string& version_arn) {
  {
    std::lock_guard lock(training_mu_);
    auto it = deployments_.find(version_arn);
    if (it != deployments_.end()) return it->second;
  }
  TAILOR_ASSIGN_OR_RETURN(SolutionVersion version, DescribeSolutionVersion(version_arn));
  TAILOR_ASSIGN_OR_RETURN(const RecipeEntry* recipe, FindRecipe("recipeArn", version.recipe_arn));
  TAILOR_ASSIGN_OR_RETURN(std::shared_ptr<const TrainedModel> model, LoadModel(version_arn));
  auto deployment = std::make_shared<Deployment>();
  deployment->solution_version_arn = version_arn;
  deployment->recipe_type = std::string(recipe->recipe_type);
  deployment->recipe_name = std::string(recipe->name);
  deployment->model = model;
  deployment->dataset_group_arn = version.dataset_group_arn;
  deployment->filters = std::make_shared<FilterCache>();
  deployment->events_epoch = version.events_epoch;
  deployment->selection = EventSelection(version.event_type, version.config);
  // Unique users per item: the cold-start list (personalize-semantics.md §7).
  deployment->popularity.assign(static_cast<size_t>(model->model->num_items()), 0.0f);
  const algo::UserHistory& history = model->model->history();
  for (int32_t u = 0; u < history.num_users(); ++u) {
    for (int32_t i : history.row(u)) deployment->popularity[i] += 1;
  }
  std::lock_guard lock(training_mu_);
  return deployments_.emplace(version_arn, std::move(deployment)).first->second;
}

void ControlPlane::ScheduleDeployment(const std::string& arn) {
  jobs_.Submit([this, arn] {
    PauseForTransition();
    StatusOr<Campaign> campaign = DescribeCampaign(arn);
    if (!campaign.ok()) return;
    const bool update =
        campaign->update_status == kCreatePending || campaign->update_status == kCreateInProgress;
    const std::string version_arn =
        update ? campaign->update_solution_version_arn : campaign->solution_version_arn;
    auto set = [&](std::string_view status, const std::string& reason) {
      const int64_t now = env_->NowMicros();
      return catalog_->Update(arn, [&](store::CatalogRecord* r) {
        TAILOR_ASSIGN_OR_RETURN(Campaign c, CampaignFromRecord(*r));
        if (update) {
          c.update_status = std::string(status);
          c.update_updated_micros = now;
          if (status == kActive) {
            c.solution_version_arn = c.update_solution_version_arn;
            c.info.status = kActive;
          }
        } else {
          c.info.status = std::string(status);
        }
        c.info.failure_reason = reason;
        c.info.updated_micros = now;
        store::CatalogRecord updated = ToRecord(c);
        updated.tags = r->tags;
        *r = std::move(updated);
        return Status::OK();
      });
    };
    if (!update && campaign->info.status != kCreatePending &&
        campaign->info.status != kCreateInProgress) {
      // ACTIVE after a restart: warm the model so the first request does not load it.
      if (campaign->info.status == kActive) {
        StatusOr<std::shared_ptr<const Deployment>> d = DeploymentOf(arn);
        if (!d.ok()) {
          spdlog::warn("campaign {}: cannot load its model: {}", arn, d.status().message());
        } else {
          std::unique_lock lock(serving_mu_);
          serving_[arn] = ServingCampaignOf(*campaign, *d);
        }
      }
      return;
    }
    if (!set(kCreateInProgress, "").ok()) return;
    // The new snapshot is loaded before the record names it, so the request that first sees
    // the new version finds it ready, and requests in flight finish on the old one.
    StatusOr<std::shared_ptr<const Deployment>> deployment = DeploymentOfVersion(version_arn);
    if (!deployment.ok()) {
      spdlog::warn("campaign {}: loading {} failed: {}", arn, version_arn,
                   deployment.status().message());
      (void)set(kCreateFailed, deployment.status().message());
      return;
    }
    if (set(kActive, "").ok()) {
      {
        std::unique_lock lock(serving_mu_);
        serving_[arn] = ServingCampaignOf(*campaign, *deployment);
      }
      spdlog::info("campaign {}: serving {}", arn, version_arn);
    }
  });
}

}  // namespace tailor::core
