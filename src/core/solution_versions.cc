// Solution versions: one asynchronous training each (training_job.h), with Personalize's
// lifecycle CREATE PENDING → CREATE IN_PROGRESS → ACTIVE | CREATE FAILED, and CREATE STOPPING
// → CREATE STOPPED when stopped (personalize-semantics.md §2.2). An ACTIVE version's model is a
// durable artifact that LoadModel reads back after a restart without retraining.
#include <chrono>
#include <optional>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "algo/recipe_registry.h"
#include "common/arn.h"
#include "core/control_plane.h"
#include "core/event_stream.h"
#include "core/recipe_catalog.h"
#include "core/resource_codec.h"
#include "core/training_job.h"
#include "core/validation.h"
#include "data/dataset_store.h"

namespace tailor::core {
namespace {

// Solution version ids are 8 lowercase hex digits, as in Personalize's ARNs.
std::string NewVersionId() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return fmt::format("{:08x}", static_cast<uint32_t>(rng()));
}

}  // namespace

std::string ControlPlane::ModelsDirOf(const store::CatalogRecord& solution) {
  return "models/" + solution.name + "-" + std::to_string(solution.created_micros);
}

StatusOr<Dataset> ControlPlane::FindDatasetOfType(std::string_view dataset_group_arn,
                                                  data::DatasetType dataset_type) {
  store::ListQuery query;
  query.type = kDatasetType;
  query.parent_arn = std::string(dataset_group_arn);
  TAILOR_ASSIGN_OR_RETURN(store::ListPage page, catalog_->List(query));
  const std::string_view name = data::DatasetTypeName(dataset_type);
  for (const auto& record : page.records) {
    TAILOR_ASSIGN_OR_RETURN(Dataset dataset, DatasetFromRecord(record));
    if (dataset.dataset_type == name) return dataset;
  }
  return Status::NotFound("Dataset group " + std::string(dataset_group_arn) + " has no " +
                          std::string(name) + " dataset.");
}

StatusOr<Dataset> ControlPlane::FindInteractionsDataset(std::string_view dataset_group_arn) {
  return FindDatasetOfType(dataset_group_arn, data::DatasetType::kInteractions);
}

StatusOr<std::string> ControlPlane::CreateSolutionVersion(const CreateSolutionVersionRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateArn("solutionArn", req.solution_arn));
  if (!req.name.empty()) TAILOR_RETURN_IF_ERROR(ValidateName("name", req.name));
  TAILOR_RETURN_IF_ERROR(ValidateTags(req.tags));
  const std::string mode = req.training_mode.empty() ? "FULL" : req.training_mode;
  if (mode != "FULL" && mode != "UPDATE") {
    return Status::InvalidInput("trainingMode '" + mode + "' is invalid; use FULL or UPDATE.");
  }
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(auto solution_record,
                          GetRecord("solutionArn", req.solution_arn, kSolutionType));
  TAILOR_ASSIGN_OR_RETURN(Solution solution, SolutionFromRecord(solution_record));
  if (solution.info.status != kActive) {
    return Status::InUse("Solution " + solution.info.arn + " is " + solution.info.status +
                         "; wait until it is ACTIVE.");
  }
  if (mode == "UPDATE") {
    const bool updatable = solution.recipe_arn == RecipeArn("aws-user-personalization") ||
                           solution.recipe_arn == RecipeArn("aws-user-personalization-v2");
    if (!updatable) {
      return Status::InvalidInput(
          "trainingMode UPDATE needs the aws-user-personalization recipe; solution " +
          solution.info.arn + " uses " +
          (solution.recipe_arn.empty() ? std::string("AutoML") : solution.recipe_arn) + ".");
    }
    store::ListQuery active;
    active.type = kSolutionVersionType;
    active.parent_arn = solution.info.arn;
    active.statuses = {kActive};
    TAILOR_ASSIGN_OR_RETURN(int64_t n, catalog_->Count(active));
    if (n == 0) {
      return Status::InvalidInput("trainingMode UPDATE needs an ACTIVE FULL solution version of " +
                                  solution.info.arn + "; train one with FULL first.");
    }
  }
  TAILOR_ASSIGN_OR_RETURN(ParsedArn parsed, ParseArn("solutionArn", solution.info.arn));
  TAILOR_RETURN_IF_ERROR(CheckLimit(kSolutionVersionType, {kCreatePending, kCreateInProgress},
                                    options_.max_in_progress_solution_versions,
                                    "solution versions in progress", parsed.region));

  SolutionVersion version;
  const std::string id = NewVersionId();
  version.info.arn = MakeArn({parsed.region, parsed.account},
                             std::string(kSolutionType) + "/" + solution.info.name + "/" + id);
  version.info.name = solution.info.name + "/" + id;
  version.info.status = kCreatePending;
  version.info.created_micros = version.info.updated_micros = env_->NowMicros();
  version.version_name = req.name;
  version.solution_arn = solution.info.arn;
  version.dataset_group_arn = solution.dataset_group_arn;
  version.recipe_arn = solution.recipe_arn;
  version.event_type = solution.event_type;
  version.perform_hpo = solution.perform_hpo && mode == "FULL";
  version.perform_auto_ml = solution.perform_auto_ml && mode == "FULL";
  version.config = solution.config;
  version.training_mode = mode;
  store::CatalogRecord record = ToRecord(version);
  record.tags = req.tags;
  Status inserted = catalog_->Insert(record);
  if (inserted.IsAlreadyExists()) {
    return Status::AlreadyExists("A solution version named " + req.name + " already exists.");
  }
  TAILOR_RETURN_IF_ERROR(inserted);
  TAILOR_RETURN_IF_ERROR(catalog_->Update(solution.info.arn, [&](store::CatalogRecord* r) {
    nlohmann::json body = nlohmann::json::parse(r->body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) body = nlohmann::json::object();
    body["latest_version_arn"] = version.info.arn;
    r->body = body.dump();
    return Status::OK();
  }));
  ScheduleTraining(version.info.arn);
  return version.info.arn;
}

StatusOr<SolutionVersion> ControlPlane::DescribeSolutionVersion(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("solutionVersionArn", arn, kSolutionVersionType));
  return SolutionVersionFromRecord(record);
}

StatusOr<Page<SolutionVersion>> ControlPlane::ListSolutionVersions(std::string_view solution_arn,
                                                                   const PageRequest& page) {
  if (!solution_arn.empty()) {
    TAILOR_RETURN_IF_ERROR(GetRecord("solutionArn", solution_arn, kSolutionType).status());
  }
  TAILOR_ASSIGN_OR_RETURN(auto records, ListRecords(kSolutionVersionType, solution_arn, page));
  Page<SolutionVersion> out;
  for (const auto& r : records.records) {
    TAILOR_ASSIGN_OR_RETURN(SolutionVersion v, SolutionVersionFromRecord(r));
    out.items.push_back(std::move(v));
  }
  out.next_token = records.next_page_token;
  return out;
}

Status ControlPlane::StopSolutionVersionCreation(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("solutionVersionArn", arn, kSolutionVersionType));
  const int64_t now = env_->NowMicros();
  Status s = catalog_->Update(arn, [&](store::CatalogRecord* r) {
    if (r->status == kCreatePending) {
      r->status = kCreateStopped;
    } else if (r->status == kCreateInProgress) {
      r->status = kCreateStopping;
    } else {
      return Status::InUse("Solution version " + r->arn + " is " + r->status +
                           "; only a version in CREATE PENDING or CREATE IN_PROGRESS can be "
                           "stopped.");
    }
    r->updated_micros = now;
    return Status::OK();
  });
  TAILOR_RETURN_IF_ERROR(s);
  std::lock_guard lock(training_mu_);
  auto it = stop_flags_.find(arn);
  if (it != stop_flags_.end()) *it->second = true;
  return Status::OK();
}

StatusOr<SolutionVersion> ControlPlane::GetSolutionMetrics(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(SolutionVersion version, DescribeSolutionVersion(arn));
  if (version.info.status != kActive) {
    return Status::InUse("Solution version " + version.info.arn + " is " + version.info.status +
                         "; its metrics exist once it is ACTIVE.");
  }
  return version;
}

StatusOr<std::shared_ptr<const TrainedModel>> ControlPlane::LoadModel(std::string_view arn) {
  {
    std::lock_guard lock(training_mu_);
    auto it = models_.find(arn);
    if (it != models_.end()) return it->second;
  }
  // One load at a time: a restart's campaign loading and the first requests would otherwise
  // each read and parse the same artifact at once (measured: peak RSS 2.16 GB instead of about
  // 1.2 GB for a 334 MB artifact). The winner's model is then found below.
  std::lock_guard load_lock(model_load_mu_);
  {
    std::lock_guard lock(training_mu_);
    auto it = models_.find(arn);
    if (it != models_.end()) return it->second;
  }
  TAILOR_ASSIGN_OR_RETURN(SolutionVersion version, DescribeSolutionVersion(arn));
  if (version.info.status != kActive) {
    return Status::InUse("Solution version " + version.info.arn + " is " + version.info.status +
                         "; wait until it is ACTIVE.");
  }
  TAILOR_ASSIGN_OR_RETURN(std::string bytes, env_->ReadFile(AbsoluteDataPath(version.model_path)));
  TAILOR_ASSIGN_OR_RETURN(std::shared_ptr<const TrainedModel> model,
                          ParseTrainedModel(*recipes_, bytes));
  std::lock_guard lock(training_mu_);
  return models_.emplace(std::string(arn), std::move(model)).first->second;
}

void ControlPlane::ScheduleTraining(const std::string& version_arn) {
  {
    std::lock_guard lock(training_mu_);
    stop_flags_.emplace(version_arn, std::make_shared<std::atomic<bool>>(false));
  }
  jobs_.Submit([this, version_arn] {
    RunTraining(version_arn);
    std::lock_guard lock(training_mu_);
    stop_flags_.erase(version_arn);
  });
}

void ControlPlane::RunTraining(const std::string& arn) {
  PauseForTransition();
  std::shared_ptr<std::atomic<bool>> stop;
  {
    std::lock_guard lock(training_mu_);
    stop = stop_flags_[arn];
    if (!stop) stop = stop_flags_[arn] = std::make_shared<std::atomic<bool>>(false);
  }
  auto fail = [&](const Status& why) {
    spdlog::warn("solution version {} failed: {}", arn, why.message());
    Status s = SetStatus(arn, kCreateFailed, why.message());
    if (!s.ok()) spdlog::error("recording failure of {}: {}", arn, s.ToString());
  };
  // PENDING → IN_PROGRESS, unless it was stopped (or deleted) while queued.
  const int64_t started = env_->NowMicros();
  Status claimed = catalog_->Update(arn, [&](store::CatalogRecord* r) {
    if (r->status != kCreatePending && r->status != kCreateInProgress) {
      return Status::InUse("not pending");
    }
    r->status = kCreateInProgress;
    r->updated_micros = started;
    return Status::OK();
  });
  if (!claimed.ok()) return;
  StatusOr<store::CatalogRecord> record = catalog_->Get(arn);
  if (!record.ok()) return;
  StatusOr<SolutionVersion> version = SolutionVersionFromRecord(*record);
  if (!version.ok()) return fail(version.status());
  StatusOr<store::CatalogRecord> solution_record = catalog_->Get(version->solution_arn);
  if (!solution_record.ok()) return fail(solution_record.status());

  // The data: the group's interactions, and the Items dataset's ids for coverage.
  StatusOr<Dataset> interactions = FindInteractionsDataset(version->dataset_group_arn);
  if (!interactions.ok()) return fail(interactions.status());
  StatusOr<std::shared_ptr<data::DatasetStore>> store = OpenDatasetStore(*interactions);
  if (!store.ok()) return fail(store.status());
  spdlog::info("solution version {}: reading interactions of {}", arn, interactions->info.arn);
  StatusOr<data::InteractionTable> table = (*store)->LoadInteractions();
  if (!table.ok()) return fail(table.status());
  // Real-time events up to now join the imported interactions; the model remembers the epoch
  // so that serving folds in only the later ones (core/event_stream.h).
  uint64_t events_epoch = 0;
  {
    StatusOr<std::shared_ptr<EventStream>> stream =
        EventStreamOf(version->dataset_group_arn, /*create=*/false);
    if (!stream.ok()) return fail(stream.status());
    if (*stream != nullptr) {
      events_epoch = (*stream)->Seal();
      const size_t imported = table->num_rows();
      Status added = AppendTrackedEvents(**stream, events_epoch, &*table);
      if (!added.ok()) return fail(added);
      spdlog::info("solution version {}: {} imported interactions and {} tracked events", arn,
                   imported, table->num_rows() - imported);
    }
  }

  TrainingJobInput input;
  input.interactions = &*table;
  std::optional<data::DatasetTable> users_table, items_table;
  {
    store::ListQuery query;
    query.type = kDatasetType;
    query.parent_arn = version->dataset_group_arn;
    StatusOr<store::ListPage> datasets = catalog_->List(query);
    if (!datasets.ok()) return fail(datasets.status());
    for (const auto& r : datasets->records) {
      StatusOr<Dataset> d = DatasetFromRecord(r);
      if (d.ok() && d->dataset_type == "Users" && d->info.status == kActive) {
        StatusOr<std::shared_ptr<data::DatasetStore>> users = OpenDatasetStore(*d);
        if (!users.ok()) return fail(users.status());
        StatusOr<data::DatasetTable> read = (*users)->ReadTable();
        if (!read.ok()) return fail(read.status());
        users_table = std::move(*read);
        input.users = &*users_table;
        continue;
      }
      if (!d.ok() || d->dataset_type != "Items" || d->info.status != kActive) continue;
      StatusOr<std::shared_ptr<data::DatasetStore>> items = OpenDatasetStore(*d);
      if (!items.ok()) return fail(items.status());
      StatusOr<data::DatasetTable> read = (*items)->ReadTable();
      if (!read.ok()) return fail(read.status());
      items_table = std::move(*read);
      input.items = &*items_table;
    }
  }
  if (!version->recipe_arn.empty()) {
    StatusOr<const RecipeEntry*> recipe = FindRecipe("recipeArn", version->recipe_arn);
    if (!recipe.ok()) return fail(recipe.status());
    input.recipe = *recipe;
  }
  input.event_type = version->event_type;
  input.perform_hpo = version->perform_hpo;
  input.perform_auto_ml = version->perform_auto_ml;
  input.config = version->config;
  if (version->training_mode == "UPDATE") {
    // An update retrains on the current data with what the latest FULL version chose.
    store::ListQuery query;
    query.type = kSolutionVersionType;
    query.parent_arn = version->solution_arn;
    query.statuses = {kActive};
    StatusOr<store::ListPage> previous = catalog_->List(query);
    if (previous.ok()) {
      for (const auto& r : previous->records) {
        StatusOr<SolutionVersion> v = SolutionVersionFromRecord(r);
        if (v.ok() && v->training_mode == "FULL") {
          input.config.algorithm_hyper_parameters = v->tuned_hyper_parameters;
          break;
        }
      }
    }
  }
  input.num_threads = options_.training_threads;
  input.default_hpo_training_jobs = options_.default_hpo_training_jobs;
  input.min_interactions = options_.min_training_interactions;
  input.min_users = options_.min_training_users;
  input.cancelled = [this, stop] { return stop->load() || cancel_jobs_.load(); };
  input.report = [&arn](const std::string& line) {
    spdlog::info("solution version {}: {}", arn, line);
  };

  auto t0 = std::chrono::steady_clock::now();
  StatusOr<TrainingJobResult> result = TrainSolutionVersion(*recipes_, input);
  const double hours =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 3600.0;
  if (!result.ok()) {
    if (result.status().IsUnavailable()) {
      if (stop->load()) {
        spdlog::info("solution version {}: stopped", arn);
        (void)SetStatus(arn, kCreateStopped);
      }
      // Otherwise the server is shutting down: stay IN_PROGRESS so the next start re-runs it.
      return;
    }
    return fail(result.status());
  }

  const std::string model_dir = ModelsDirOf(*solution_record);
  const std::string model_path = model_dir + "/" + arn.substr(arn.rfind('/') + 1) + ".model";
  StatusOr<std::string> bytes = SerializeTrainedModel(*result->model);
  if (!bytes.ok()) return fail(bytes.status());
  Status written = env_->CreateDirs(AbsoluteDataPath(model_dir));
  if (written.ok()) written = env_->WriteFileAtomically(AbsoluteDataPath(model_path), *bytes);
  if (!written.ok()) return fail(written);

  const int64_t now = env_->NowMicros();
  Status s = catalog_->Update(arn, [&](store::CatalogRecord* r) {
    if (r->status == kCreateStopping) {
      r->status = kCreateStopped;
      r->updated_micros = now;
      return Status::OK();
    }
    StatusOr<SolutionVersion> v = SolutionVersionFromRecord(*r);
    if (!v.ok()) return v.status();
    v->info.status = kActive;
    v->info.updated_micros = now;
    v->recipe_arn = RecipeArn(result->recipe->name);
    v->training_hours = hours;
    v->tuned_hyper_parameters = result->hyper_parameters;
    v->metrics = result->metrics;
    v->model_path = model_path;
    v->num_interactions = result->num_interactions;
    v->events_epoch = events_epoch;
    store::CatalogRecord updated = ToRecord(*v);
    updated.tags = r->tags;
    *r = std::move(updated);
    return Status::OK();
  });
  if (!s.ok()) return fail(s);
  {
    std::lock_guard lock(training_mu_);
    models_[arn] = result->model;
  }
  spdlog::info("solution version {}: ACTIVE ({} events, {:.1f} s, model {} bytes)", arn,
               result->num_interactions, hours * 3600, bytes->size());
}

}  // namespace tailor::core
