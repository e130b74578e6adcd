// ControlPlane: Personalize's control-plane operations on Tailor's resources: validation,
// preconditions, lifecycles and asynchronous jobs, over a store::Catalog. Every Create call
// validates synchronously, stores the resource as CREATE PENDING and returns; a JobRunner moves
// it on (personalize-semantics.md §2.2). Errors are Status codes from Personalize's vocabulary
// with messages naming the field; api/ turns them into wire errors.
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/arn.h"
#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"
#include "core/job_runner.h"
#include "core/requests.h"
#include "core/resources.h"
#include "core/trained_model.h"
#include "store/catalog.h"

namespace tailor::data {
class DatasetStore;
}
namespace tailor::algo {
class Model;
class RecipeRegistry;
}  // namespace tailor::algo

namespace tailor::core {

struct ControlPlaneOptions {
  // Folder for the catalog and dataset files; created if missing.
  std::string data_dir;
  ArnContext arn_context;
  // Pause before each asynchronous status step, to make PENDING states observable. 0 in tests.
  int64_t transition_delay_micros = 0;
  // Threads running imports and transitions.
  int job_threads = 2;
  // Quotas (personalize-semantics.md §11). Dataset groups: Personalize allows 5 per region,
  // which is too few for a self-hosted engine whose users own the machine, so it is a setting.
  int max_dataset_groups = 500;
  int max_schemas = 500;
  int max_pending_import_jobs = 5;
  int max_active_solutions_per_group = 10;
  int max_in_progress_solution_versions = 20;
  // Threads one training may use.
  int training_threads = 2;
  // Candidates HPO trains when hpoResourceConfig.maxNumberOfTrainingJobs is not given.
  int default_hpo_training_jobs = 8;
  // Minimums a training needs (personalize-semantics.md §2.3). Settings so that tests can use
  // small data; the defaults are Personalize's.
  int64_t min_training_interactions = 1000;
  int64_t min_training_users = 25;
  // The recipes; null = algo::BuiltinRecipes().
  std::shared_ptr<const algo::RecipeRegistry> recipes;
};

class ControlPlane {
 public:
  // Opens the catalog under options.data_dir and resumes interrupted work: resources left
  // PENDING or IN_PROGRESS by a previous process are moved on, and their import jobs re-run.
  static StatusOr<std::unique_ptr<ControlPlane>> Open(Env* env, ControlPlaneOptions options);
  ~ControlPlane();  // stops the jobs (running ones finish)

  const ArnContext& arn_context() const { return options_.arn_context; }

  // Deletes are asynchronous like creates: the resource shows DELETE PENDING, then is gone.
  // Dataset groups. Create → ARN. Delete: InUse while datasets remain.
  StatusOr<std::string> CreateDatasetGroup(const CreateDatasetGroupRequest& request);
  StatusOr<DatasetGroup> DescribeDatasetGroup(std::string_view arn);
  StatusOr<Page<DatasetGroup>> ListDatasetGroups(const PageRequest& page);
  Status DeleteDatasetGroup(std::string_view arn);

  // Schemas: parsed and checked at creation; no status. Delete: InUse while a dataset uses it.
  StatusOr<std::string> CreateSchema(const CreateSchemaRequest& request);
  StatusOr<DatasetSchema> DescribeSchema(std::string_view arn);
  StatusOr<Page<DatasetSchema>> ListSchemas(const PageRequest& page);
  Status DeleteSchema(std::string_view arn);

  // Datasets: one per type per group; the schema must pass the type's rules.
  // Delete: InUse while an import job into it runs; removes its stored rows.
  StatusOr<std::string> CreateDataset(const CreateDatasetRequest& request);
  StatusOr<Dataset> DescribeDataset(std::string_view arn);
  // dataset_group_arn "" lists all.
  StatusOr<Page<Dataset>> ListDatasets(std::string_view dataset_group_arn, const PageRequest& page);
  Status DeleteDataset(std::string_view arn);

  // Import jobs: run asynchronously; failures end in CREATE FAILED with a failure reason.
  StatusOr<std::string> CreateDatasetImportJob(const CreateDatasetImportJobRequest& request);
  StatusOr<DatasetImportJob> DescribeDatasetImportJob(std::string_view arn);
  StatusOr<Page<DatasetImportJob>> ListDatasetImportJobs(std::string_view dataset_arn,
                                                         const PageRequest& page);

  // Recipes, algorithms and feature transformations: the built-in catalogue.
  // recipe_provider "" or "SERVICE"; domain "" lists the custom recipes.
  StatusOr<Page<RecipeInfo>> ListRecipes(std::string_view recipe_provider, std::string_view domain,
                                         const PageRequest& page);
  StatusOr<RecipeInfo> DescribeRecipe(std::string_view arn);
  StatusOr<AlgorithmInfo> DescribeAlgorithm(std::string_view arn);
  StatusOr<FeatureTransformationInfo> DescribeFeatureTransformation(std::string_view arn);

  // Solutions: a recipe and its configuration in a dataset group with an Interactions dataset.
  // Delete: InUse while a version is being trained.
  StatusOr<std::string> CreateSolution(const CreateSolutionRequest& request);
  StatusOr<Solution> DescribeSolution(std::string_view arn);
  StatusOr<Page<Solution>> ListSolutions(std::string_view dataset_group_arn,
                                         const PageRequest& page);
  Status DeleteSolution(std::string_view arn);

  // Solution versions: each is one asynchronous training of its solution's recipe on the
  // dataset group's data as it is when the training starts. Training computes the offline
  // metrics (GetSolutionMetrics) on held-out users, runs HPO / AutoML when asked, and writes
  // the model artifact; it ends ACTIVE or CREATE FAILED with a reason.
  StatusOr<std::string> CreateSolutionVersion(const CreateSolutionVersionRequest& request);
  StatusOr<SolutionVersion> DescribeSolutionVersion(std::string_view arn);
  StatusOr<Page<SolutionVersion>> ListSolutionVersions(std::string_view solution_arn,
                                                       const PageRequest& page);
  // PENDING → STOPPED at once; IN_PROGRESS → STOPPING → STOPPED when the training notices.
  // InUse when the version is not being trained.
  Status StopSolutionVersionCreation(std::string_view arn);
  // InUse unless the version is ACTIVE.
  StatusOr<SolutionVersion> GetSolutionMetrics(std::string_view arn);
  // The trained model of an ACTIVE version, read from its artifact once and then shared.
  // InUse unless ACTIVE; Internal when the artifact is missing or corrupt.
  StatusOr<std::shared_ptr<const TrainedModel>> LoadModel(std::string_view solution_version_arn);

  // Campaigns: an ACTIVE solution version deployed for real-time requests. Creating or
  // updating one loads the model; the campaign goes ACTIVE once it is loaded. UpdateCampaign
  // swaps the version for the next request, with in-flight requests finishing on the old one.
  StatusOr<std::string> CreateCampaign(const CreateCampaignRequest& request);
  StatusOr<Campaign> DescribeCampaign(std::string_view arn);
  StatusOr<Page<Campaign>> ListCampaigns(std::string_view solution_arn, const PageRequest& page);
  StatusOr<std::string> UpdateCampaign(const UpdateCampaignRequest& request);
  Status DeleteCampaign(std::string_view arn);

  // The runtime (personalize-semantics.md §7). NotFound for an unknown campaign; InvalidInput
  // for a bad request or a campaign of the wrong recipe type or not ACTIVE. Unknown users and
  // items get popular items, never an error.
  StatusOr<Recommendations> GetRecommendations(const RecommendationRequest& request);
  StatusOr<Recommendations> GetPersonalizedRanking(const RankingRequest& request);

  // Tags on any resource. TooManyTags past 50 per resource.
  Status TagResource(std::string_view arn, const Tags& tags);
  Status UntagResource(std::string_view arn, const std::vector<std::string>& keys);
  StatusOr<Tags> ListTagsForResource(std::string_view arn);

  // Blocks until no asynchronous work is queued or running. For tests and the quickstart.
  void WaitForJobsForTesting() { jobs_.WaitIdle(); }

 private:
  ControlPlane(Env* env, ControlPlaneOptions options, std::unique_ptr<store::Catalog> catalog);

  Status Recover();
  // Queues the CREATE PENDING → IN_PROGRESS → ACTIVE steps of a resource with no real work.
  void ScheduleActivation(const std::string& arn);
  void ScheduleImport(const std::string& job_arn);
  // Queues the DELETE PENDING → (DELETE IN_PROGRESS →) gone steps; removes `files_dir` too.
  void ScheduleDeletion(const std::string& arn, bool show_in_progress, std::string files_dir);
  // InUse unless the resource is ACTIVE or CREATE FAILED, i.e. neither being created nor deleted.
  static Status CheckDeletable(const store::CatalogRecord& record);
  void RunImport(const std::string& job_arn);
  void ScheduleTraining(const std::string& version_arn);
  // Loads the campaign's (or its pending update's) model, then marks it ACTIVE.
  void ScheduleDeployment(const std::string& campaign_arn);
  // The serving snapshot of a solution version: its model, recipe type and cold-start list.
  // Built once per version and shared by the campaigns that serve it.
  struct Deployment {
    std::string solution_version_arn;
    std::string recipe_type;
    std::string recipe_name;
    std::shared_ptr<const TrainedModel> model;
    std::vector<float> popularity;  // unique users per item, for cold-start answers
  };
  StatusOr<std::shared_ptr<const Deployment>> DeploymentOf(std::string_view campaign_arn);
  StatusOr<std::shared_ptr<const Deployment>> DeploymentOfVersion(const std::string& version_arn);
  // What a runtime request to `campaign_arn` is answered from. NotFound for an unknown campaign
  // or filter; InvalidInput unless the campaign is ACTIVE.
  StatusOr<std::shared_ptr<const Deployment>> ServingDeployment(const std::string& campaign_arn,
                                                                const std::string& filter_arn);
  // Where a solution's version artifacts live, relative to the data dir.
  static std::string ModelsDirOf(const store::CatalogRecord& solution);
  // The Interactions dataset of a dataset group; NotFound when it has none.
  StatusOr<Dataset> FindInteractionsDataset(std::string_view dataset_group_arn);
  void RunTraining(const std::string& version_arn);
  // Sets the status (and failure reason) of a stored resource.
  Status SetStatus(const std::string& arn, std::string_view status,
                   std::string_view failure_reason = {});
  void PauseForTransition();

  // The stored record of `arn` if it has the expected type. NotFound naming `what` otherwise.
  StatusOr<store::CatalogRecord> GetRecord(std::string_view field, std::string_view arn,
                                           std::string_view type);
  StatusOr<store::ListPage> ListRecords(std::string_view type, std::string_view parent_arn,
                                        const PageRequest& page);
  // LimitExceeded when `limit` resources of `type` with one of `statuses` (any when empty)
  // already exist in `region` (quotas are per region, as in Personalize).
  Status CheckLimit(std::string_view type, std::vector<std::string> statuses, int limit,
                    std::string_view what, std::string_view region);
  // The ARN context of a request: the server's, with the request's region when it names one.
  ArnContext ArnContextFor(std::string_view region) const;
  // The DatasetStore of a dataset, opened once and kept.
  StatusOr<std::shared_ptr<data::DatasetStore>> OpenDatasetStore(const Dataset& dataset);
  std::string AbsoluteDataPath(std::string_view relative) const;

  Env* const env_;
  const ControlPlaneOptions options_;
  const std::unique_ptr<store::Catalog> catalog_;

  // Held across the check-then-act of creates and deletes that depend on other resources (a
  // dataset needs its group; a group is deletable only without datasets), so they cannot race.
  std::mutex structure_mu_;

  std::mutex stores_mu_;
  // Protected by stores_mu_: dataset ARN → its open store.
  std::map<std::string, std::shared_ptr<data::DatasetStore>, std::less<>> stores_;

  std::shared_ptr<const algo::RecipeRegistry> recipes_;

  std::mutex training_mu_;
  // Protected by training_mu_: solution version ARN → its stop flag, while it is queued or
  // running; loaded models of ACTIVE versions.
  std::map<std::string, std::shared_ptr<std::atomic<bool>>, std::less<>> stop_flags_;
  std::map<std::string, std::shared_ptr<const TrainedModel>, std::less<>> models_;
  // Protected by training_mu_: solution version ARN → its serving snapshot.
  std::map<std::string, std::shared_ptr<const Deployment>, std::less<>> deployments_;

  std::atomic<bool> cancel_jobs_{false};
  JobRunner jobs_;  // last: its threads stop before the members they use are destroyed
};

}  // namespace tailor::core
