// ControlPlane: opening, recovery after a restart, and the helpers every resource family uses.
#include "core/control_plane.h"

#include <filesystem>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "algo/recipe_registry.h"
#include "core/resource_codec.h"
#include "data/dataset_store.h"
#include "data/schema.h"

namespace tailor::core {

ControlPlane::ControlPlane(Env* env, ControlPlaneOptions options,
                           std::unique_ptr<store::Catalog> catalog)
    : env_(env),
      options_(std::move(options)),
      catalog_(std::move(catalog)),
      recipes_(options_.recipes
                   ? options_.recipes
                   : std::make_shared<const algo::RecipeRegistry>(algo::BuiltinRecipes())),
      jobs_(options_.job_threads, options_.job_nice) {}

ControlPlane::~ControlPlane() {
  cancel_jobs_ = true;
  jobs_.Shutdown();
}

StatusOr<std::unique_ptr<ControlPlane>> ControlPlane::Open(Env* env, ControlPlaneOptions options) {
  if (options.data_dir.empty()) return Status::InvalidInput("data directory is not set");
  options.data_dir = std::filesystem::absolute(options.data_dir).lexically_normal().string();
  TAILOR_RETURN_IF_ERROR(env->CreateDirs(options.data_dir));
  TAILOR_ASSIGN_OR_RETURN(auto catalog, store::OpenSqliteCatalog(options.data_dir + "/catalog.db"));
  std::unique_ptr<ControlPlane> cp(new ControlPlane(env, std::move(options), std::move(catalog)));
  TAILOR_RETURN_IF_ERROR(cp->Recover());
  return cp;
}

Status ControlPlane::Recover() {
  const std::vector<std::string> unfinished = {kCreatePending, kCreateInProgress, kDeletePending,
                                               kDeleteInProgress};
  // ACTIVE campaigns load their models in the background so the first request finds them
  // ready; one whose update was interrupted finishes it.
  {
    store::ListQuery query;
    query.type = kCampaignType;
    query.statuses = {kActive};
    query.page_size = 1000;
    TAILOR_ASSIGN_OR_RETURN(store::ListPage page, catalog_->List(query));
    for (const auto& record : page.records) ScheduleDeployment(record.arn);
  }
  // A stop that the previous run did not finish: the training is gone, so it is stopped.
  {
    store::ListQuery query;
    query.type = kSolutionVersionType;
    query.statuses = {kCreateStopping};
    query.page_size = 1000;
    TAILOR_ASSIGN_OR_RETURN(store::ListPage page, catalog_->List(query));
    for (const auto& record : page.records) {
      TAILOR_RETURN_IF_ERROR(SetStatus(record.arn, kCreateStopped));
    }
  }
  for (const char* type : {kDatasetGroupType, kDatasetType, kDatasetImportJobType, kSolutionType,
                           kSolutionVersionType, kCampaignType, kFilterType, kEventTrackerType}) {
    store::ListQuery query;
    query.type = type;
    query.statuses = unfinished;
    query.page_size = 1000;
    while (true) {
      TAILOR_ASSIGN_OR_RETURN(store::ListPage page, catalog_->List(query));
      for (const auto& record : page.records) {
        spdlog::info("resuming {} left {} by the previous run", record.arn, record.status);
        if (record.status == kDeletePending || record.status == kDeleteInProgress) {
          std::string files_dir;
          if (std::string_view(type) == kDatasetType) {
            TAILOR_ASSIGN_OR_RETURN(Dataset dataset, DatasetFromRecord(record));
            files_dir = dataset.storage_dir;
          } else if (std::string_view(type) == kSolutionType) {
            files_dir = ModelsDirOf(record);
          }
          ScheduleDeletion(record.arn, std::string_view(type) != kDatasetGroupType, files_dir);
        } else if (std::string_view(type) == kDatasetImportJobType) {
          ScheduleImport(record.arn);
        } else if (std::string_view(type) == kSolutionVersionType) {
          ScheduleTraining(record.arn);
        } else if (std::string_view(type) == kCampaignType) {
          ScheduleDeployment(record.arn);
        } else {
          ScheduleActivation(record.arn);
        }
      }
      if (page.next_page_token.empty()) break;
      query.page_token = page.next_page_token;
    }
  }
  return OpenEventStreams();
}

void ControlPlane::PauseForTransition() {
  if (options_.transition_delay_micros > 0) env_->SleepForMicros(options_.transition_delay_micros);
}

Status ControlPlane::SetStatus(const std::string& arn, std::string_view status,
                               std::string_view failure_reason) {
  const int64_t now = env_->NowMicros();
  return catalog_->Update(arn, [&](store::CatalogRecord* r) {
    r->status = std::string(status);
    r->updated_micros = now;
    if (!failure_reason.empty()) {
      nlohmann::json body = nlohmann::json::parse(r->body, nullptr, /*allow_exceptions=*/false);
      if (body.is_discarded() || !body.is_object()) body = nlohmann::json::object();
      body["failure_reason"] = std::string(failure_reason);
      r->body = body.dump();
    }
    return Status::OK();
  });
}

void ControlPlane::ScheduleActivation(const std::string& arn) {
  jobs_.Submit([this, arn] {
    PauseForTransition();
    Status s = SetStatus(arn, kCreateInProgress);
    PauseForTransition();
    if (s.ok()) s = SetStatus(arn, kActive);
    // NotFound: deleted meanwhile, nothing to do.
    if (!s.ok() && !s.IsNotFound()) spdlog::error("activating {}: {}", arn, s.ToString());
  });
}

void ControlPlane::ScheduleDeletion(const std::string& arn, bool show_in_progress,
                                    std::string files_dir) {
  jobs_.Submit([this, arn, show_in_progress, files_dir] {
    PauseForTransition();
    if (show_in_progress) {
      if (!SetStatus(arn, kDeleteInProgress).ok()) return;
      PauseForTransition();
    }
    {
      std::lock_guard lock(stores_mu_);
      stores_.erase(arn);
    }
    DropEventStream(arn);
    // Files first: if the process dies in between, the record is still DELETE PENDING or
    // IN_PROGRESS and the next start finishes the job.
    if (!files_dir.empty()) {
      Status removed = env_->RemoveAll(AbsoluteDataPath(files_dir));
      if (!removed.ok()) spdlog::warn("removing files of {}: {}", arn, removed.ToString());
    }
    Status s = catalog_->Delete(arn);
    if (!s.ok() && !s.IsNotFound()) spdlog::error("deleting {}: {}", arn, s.ToString());
  });
}

Status ControlPlane::CheckDeletable(const store::CatalogRecord& record) {
  if (record.status == kActive || record.status == kCreateFailed) return Status::OK();
  if (record.status == kDeletePending || record.status == kDeleteInProgress) {
    return Status::InUse(record.arn + " is already being deleted.");
  }
  return Status::InUse(record.arn + " is " + record.status + "; wait until it is ACTIVE.");
}

StatusOr<store::CatalogRecord> ControlPlane::GetRecord(std::string_view field, std::string_view arn,
                                                       std::string_view type) {
  TAILOR_ASSIGN_OR_RETURN(ParsedArn parsed, ParseArn(field, arn));
  auto not_found = [&] {
    return Status::NotFound("Resource Arn " + std::string(arn) + " does not exist.");
  };
  // Solution versions share the "solution" ARN type with their solution.
  const std::string_view arn_type =
      type == std::string_view(kSolutionVersionType) ? std::string_view(kSolutionType) : type;
  if (parsed.resource_type != arn_type) return not_found();
  StatusOr<store::CatalogRecord> record = catalog_->Get(arn);
  if (!record.ok() && record.status().IsNotFound()) return not_found();
  if (record.ok() && record->type != type) return not_found();
  return record;
}

StatusOr<store::ListPage> ControlPlane::ListRecords(std::string_view type,
                                                    std::string_view parent_arn,
                                                    const PageRequest& page) {
  if (page.max_results < 1 || page.max_results > 100) {
    return Status::InvalidInput("maxResults must be between 1 and 100; got " +
                                std::to_string(page.max_results) + ".");
  }
  store::ListQuery query;
  query.type = std::string(type);
  query.parent_arn = std::string(parent_arn);
  const ArnContext context = ArnContextFor(page.region);
  query.scope = context.region + ":" + context.account;
  query.page_size = page.max_results;
  query.page_token = page.next_token;
  return catalog_->List(query);
}

ArnContext ControlPlane::ArnContextFor(std::string_view region) const {
  ArnContext context = options_.arn_context;
  if (!region.empty()) context.region = std::string(region);
  return context;
}

Status ControlPlane::CheckLimit(std::string_view type, std::vector<std::string> statuses, int limit,
                                std::string_view what, std::string_view region) {
  store::ListQuery query;
  query.type = std::string(type);
  query.statuses = std::move(statuses);
  query.page_size = 1000;
  const std::string prefix = MakeArn(ArnContextFor(region), "");
  // Creates are rare and quotas small, so counting by walking the ARNs is cheap enough.
  int64_t count = 0;
  while (true) {
    TAILOR_ASSIGN_OR_RETURN(store::ListPage page, catalog_->List(query));
    for (const auto& r : page.records) count += r.arn.compare(0, prefix.size(), prefix) == 0;
    if (page.next_page_token.empty()) break;
    query.page_token = page.next_page_token;
  }
  if (count >= limit) {
    return Status::LimitExceeded("More than " + std::to_string(limit) + " " + std::string(what) +
                                 ".");
  }
  return Status::OK();
}

std::string ControlPlane::AbsoluteDataPath(std::string_view relative) const {
  return options_.data_dir + "/" + std::string(relative);
}

StatusOr<data::Schema> ControlPlane::SchemaOf(const Dataset& dataset) {
  TAILOR_ASSIGN_OR_RETURN(auto schema_record, catalog_->Get(dataset.schema_arn));
  TAILOR_ASSIGN_OR_RETURN(DatasetSchema schema, SchemaFromRecord(schema_record));
  return data::ParseSchema(schema.schema);
}

StatusOr<std::shared_ptr<data::DatasetStore>> ControlPlane::OpenDatasetStore(
    const Dataset& dataset) {
  std::lock_guard lock(stores_mu_);
  auto it = stores_.find(dataset.info.arn);
  if (it != stores_.end()) return it->second;
  TAILOR_ASSIGN_OR_RETURN(data::Schema parsed, SchemaOf(dataset));
  TAILOR_ASSIGN_OR_RETURN(data::DatasetType type, data::ParseDatasetType(dataset.dataset_type));
  TAILOR_ASSIGN_OR_RETURN(
      auto opened,
      data::DatasetStore::Open(env_, AbsoluteDataPath(dataset.storage_dir), parsed, type));
  std::shared_ptr<data::DatasetStore> shared(std::move(opened));
  stores_.emplace(dataset.info.arn, shared);
  return shared;
}

}  // namespace tailor::core
