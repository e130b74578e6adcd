// ControlPlane: Personalize's control-plane operations on Tailor's resources: validation,
// preconditions, lifecycles and asynchronous jobs, over a store::Catalog. Every Create call
// validates synchronously, stores the resource as CREATE PENDING and returns; a JobRunner moves
// it on (personalize-semantics.md §2.2). Errors are Status codes from Personalize's vocabulary
// with messages naming the field; api/ turns them into wire errors.
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "algo/context/context_lift.h"
#include "common/arn.h"
#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"
#include "common/string_map.h"
#include "core/event_selection.h"
#include "core/job_runner.h"
#include "core/requests.h"
#include "core/resources.h"
#include "core/trained_model.h"
#include "store/catalog.h"

namespace tailor::data {
class DatasetStore;
enum class DatasetType;
struct Schema;
}  // namespace tailor::data
namespace tailor::algo {
struct ScoredItem;
class Model;
class RecipeRegistry;
class TrendingModel;
}  // namespace tailor::algo
namespace tailor::serve {
struct FilterInteraction;
struct RecentEvent;
}  // namespace tailor::serve

namespace tailor::core {

class EventStream;
struct TrackedEvent;

// Serving-time filter state (core/filter_cache.h).
struct FilterCache;
struct FilterSnapshot;

struct ControlPlaneOptions {
  // Folder for the catalog and dataset files; created if missing.
  std::string data_dir;
  ArnContext arn_context;
  // Pause before each asynchronous status step, to make PENDING states observable. 0 in tests.
  int64_t transition_delay_micros = 0;
  // Threads running imports, training, model loads and transitions.
  int job_threads = 2;
  // Added to the job threads' nice value: on a busy machine, requests are served before
  // background work (a model loading for UpdateCampaign, a training) gets the cores.
  int job_nice = 10;
  // Quotas (personalize-semantics.md §11). Dataset groups: Personalize allows 5 per region,
  // which is too few for a self-hosted engine whose users own the machine, so it is a setting.
  int max_dataset_groups = 500;
  int max_schemas = 500;
  int max_pending_import_jobs = 5;
  int max_active_solutions_per_group = 10;
  int max_in_progress_solution_versions = 20;
  int max_filters_per_group = 30;
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
  // Dataset groups. Create → ARN. Delete: InUse while datasets, solutions or filters remain.
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

  // Filters (personalize-semantics.md §9). CreateFilter parses the expression at once
  // (InvalidInput naming the position of a syntax error), needs an existing dataset group
  // (NotFound) and allows 30 filters per group (LimitExceeded). Runtime requests then name it
  // by filterArn once it is ACTIVE.
  StatusOr<std::string> CreateFilter(const CreateFilterRequest& request);
  StatusOr<Filter> DescribeFilter(std::string_view arn);
  // dataset_group_arn "" lists all.
  StatusOr<Page<Filter>> ListFilters(std::string_view dataset_group_arn, const PageRequest& page);
  Status DeleteFilter(std::string_view arn);

  // Event trackers (personalize-semantics.md §8): one per dataset group (AlreadyExists for a
  // second); Delete: events already recorded stay in the Interactions dataset.
  // Create → {ARN, trackingId}.
  StatusOr<EventTracker> CreateEventTracker(const CreateEventTrackerRequest& request);
  StatusOr<EventTracker> DescribeEventTracker(std::string_view arn);
  StatusOr<Page<EventTracker>> ListEventTrackers(std::string_view dataset_group_arn,
                                                 const PageRequest& page);
  Status DeleteEventTracker(std::string_view arn);

  // Events (personalize-semantics.md §8). PutEvents returns once the events are durable in the
  // tracker's Interactions dataset and visible to the user's next runtime request; the next
  // training includes them. InvalidInput for an unknown or inactive trackingId, a group
  // without an Interactions dataset, or a bad event (naming eventList[i].field).
  Status PutEvents(const PutEventsRequest& request);
  // PutEvents without waiting: checks the request here, then `done` gets PutEvents' result
  // once the events are durable and visible, on the event log's writer thread (at once, on
  // this thread, for a bad request). `done` must be quick: the next commit waits for it.
  void PutEventsAsync(const PutEventsRequest& request, std::function<void(Status)> done);
  // PutItems / PutUsers: upsert rows by id into an Items / Users dataset (NotFound for an
  // unknown dataset, InUse unless ACTIVE, InvalidInput naming items[i].properties.key).
  // Durable on return; filters and the next training see them.
  Status PutItems(const PutRowsRequest& request);
  Status PutUsers(const PutRowsRequest& request);

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
  // Opens the event stream of every Interactions dataset that has recorded events, so that
  // serving and training find them in event_streams_ alone.
  Status OpenEventStreams();
  // Forgets the event stream of a dataset being deleted (`dataset_arn` of any type).
  void DropEventStream(const std::string& dataset_arn);
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
  // What a trending campaign answers from: the model's scores with the real-time events it has
  // not trained on, each model item's rise, and the items the model does not know (new since
  // its training) that rose, most first.
  struct Trends {
    std::vector<float> scores;
    std::vector<int32_t> rises;
    std::vector<std::pair<std::string, int32_t>> new_items;
  };
  struct Deployment {
    std::string solution_version_arn;
    std::string recipe_type;
    std::string recipe_name;
    std::shared_ptr<const TrainedModel> model;
    std::vector<float> popularity;  // unique users per item, for cold-start answers
    std::string dataset_group_arn;  // of the solution version: the group its filters belong to
    // Filters evaluated over this snapshot's items, built on the first filtered request
    // (filters.cc). Never null; internally synchronized, so usable through a const snapshot.
    std::shared_ptr<FilterCache> filters;
    // The last event epoch the model trained on (core/event_stream.h): real-time events of
    // later epochs are folded in at request time.
    uint64_t events_epoch = 0;
    // A trending campaign's current list (TrendsOf): recomputed when events have come since,
    // at most once per kTrendRefresh. Never null.
    struct TrendState {
      std::mutex mu;
      // Protected by mu: the list, and the event counts' version and time it is of.
      std::shared_ptr<const Trends> trends;
      uint64_t version = 0;
      std::chrono::steady_clock::time_point computed_at;
    };
    std::shared_ptr<TrendState> trends = std::make_shared<TrendState>();
    // The events the version trained on, for real-time events counted without retraining.
    EventSelection selection;
  };
  // Personalize refreshes trends every 2 hours at most; Tailor within a second of new events,
  // and no more often, so that a stream of PutEvents does not recompute them on every request.
  static constexpr std::chrono::milliseconds kTrendRefresh{1000};
  // At most this many new items are kept in a trend (numResults' maximum).
  static constexpr size_t kMaxNewTrendingItems = 500;
  std::shared_ptr<const Trends> TrendsOf(const Deployment& d, const algo::TrendingModel& model);
  // Checks a PutEvents request and converts its events into *events; returns the stream of
  // the tracker's dataset group that they go to.
  StatusOr<std::shared_ptr<EventStream>> PrepareEvents(const PutEventsRequest& request,
                                                       std::vector<TrackedEvent>* events);
  // The event stream of a dataset group's Interactions dataset: opened (and created) when
  // `create`; else the open one, or null when the group has recorded no events (all existing
  // streams are opened at start, OpenEventStreams). NotFound without an Interactions dataset.
  StatusOr<std::shared_ptr<EventStream>> EventStreamOf(const std::string& dataset_group_arn,
                                                       bool create);
  // The user's events that `d`'s model has not trained on, with item indices of d's model
  // (events on items it does not know are left out), oldest first.
  struct FreshEvents {
    std::vector<int32_t> items;
    std::vector<int64_t> timestamps;
    std::vector<float> weights;
    std::vector<uint8_t> event_types;  // TrainedModel::EventTypeIndex
  };
  FreshEvents FreshEventsOf(const Deployment& d, std::string_view user_id);
  // Upserts PutItems / PutUsers rows into a dataset of `type` ("Items" or "Users").
  Status PutRows(const PutRowsRequest& request, std::string_view type, const char* list_name);
  StatusOr<std::shared_ptr<const Deployment>> DeploymentOf(std::string_view campaign_arn);
  StatusOr<std::shared_ptr<const Deployment>> DeploymentOfVersion(const std::string& version_arn);
  // What a runtime request to `campaign_arn` is answered from. NotFound for an unknown campaign;
  // InvalidInput unless the campaign is ACTIVE or for a malformed filter_arn (FilterExclusion
  // looks the filter up).
  // An ACTIVE campaign as the runtime sees it: its snapshot and its campaignConfig.
  struct ServingCampaign {
    std::shared_ptr<const Deployment> deployment;
    bool metadata_enabled = false;  // campaignConfig.enableMetadataWithRecommendations
    // campaignConfig.itemExplorationConfig; 0 = no exploration (the config was not given).
    double exploration_weight = 0;
    double exploration_age_cutoff_days = 30;
  };
  static ServingCampaign ServingCampaignOf(const Campaign& campaign,
                                           std::shared_ptr<const Deployment> deployment);
  // Item exploration (core/exploration.cc): puts the campaign's share of cold model items into
  // `top` (the answer so far, best first; `scores` the model's per-item scores, empty for a
  // cold-start answer) and returns the positions for new items the model does not know.
  struct ExplorationResult {
    struct NewItem {
      size_t position;
      std::string item_id;
    };
    std::vector<NewItem> new_items;  // ascending positions
  };
  struct FilterExclusionResult;
  StatusOr<ExplorationResult> Explore(const ServingCampaign& served, std::span<const float> scores,
                                      const FilterExclusionResult& filter, size_t num_results,
                                      std::vector<algo::ScoredItem>* top);
  StatusOr<ServingCampaign> ServingDeployment(const std::string& campaign_arn,
                                              const std::string& filter_arn);
  // Checks metadataColumns against the campaign and the request's size (≤ 50 results).
  static Status CheckMetadataColumns(const ServingCampaign& served,
                                     const std::map<std::string, std::vector<std::string>>& columns,
                                     size_t num_results);
  // What the filter `filter_arn` removes for one request. NotFound for an unknown filter;
  // InvalidInput when it is not ACTIVE, belongs to another dataset group than d's solution,
  // does not fit the group's data, or the request's filterValues are invalid
  // (FilterEvaluator::Evaluate). Builds and caches d's filter data on first use (filters.cc).
  struct FilterQuery {
    std::string_view filter_arn;
    const std::map<std::string, std::string>* filter_values = nullptr;
    std::string_view user_id;
    std::string_view item_id;
  };
  struct FilterExclusionResult {
    // One bit per item of d's model (RecommendOptions::exclude's layout), then one per Items
    // row the model does not know (FilterSnapshot::new_item_index), then the row-less entry
    // (FilterSnapshot::rowless_item); empty without a filter.
    std::vector<uint64_t> bits;
    // The data the filter was evaluated on; null without a filter.
    std::shared_ptr<const FilterSnapshot> snapshot;
    // The items with neither a model index nor an Items row that the user has events on,
    // and whether the filter keeps each.
    StringMap<bool> rowless_kept;
    // Whether an item the model does not know may be answered (exploration's, trending's, a
    // ranking's input): always without a filter; with one, when the filter keeps it, judged
    // by its Items row, or as an item whose metadata conditions match nothing when it has
    // none (the user's events on it count either way).
    bool KeepsNewItem(std::string_view item_id) const;
  };
  StatusOr<FilterExclusionResult> FilterExclusion(const Deployment& d, const FilterQuery& query);
  // The filter if it is ACTIVE (InvalidInput if not yet; NotFound if it does not exist), from
  // active_filters_ after its first use.
  StatusOr<Filter> ActiveFilter(std::string_view arn);
  // d's current FilterSnapshot, rebuilt when the group's data changed. Only filters read the
  // imported interactions (the costly part to build); other callers (exploration, item and user
  // metadata) pass with_interactions = false and may get a snapshot without them.
  // REQUIRES: cache.mu held.
  StatusOr<std::shared_ptr<const FilterSnapshot>> CurrentSnapshot(const Deployment& d,
                                                                  FilterCache& cache,
                                                                  bool with_interactions);
  // CurrentSnapshot(d, *d.filters, false) under d.filters->mu: the snapshot for exploration and
  // for item and user metadata, which do not read the imported interactions.
  StatusOr<std::shared_ptr<const FilterSnapshot>> MetadataSnapshot(const Deployment& d);
  // The Users row of `user_id` as conditions on d's user-metadata lift, for a user the model
  // does not know (user index < 0): empty for a known user (training already placed them near
  // the users sharing their row, so the lift would count it twice), without a row, or when the
  // model learned no lift.
  StatusOr<std::vector<algo::ContextLift::Condition>> UnknownUserMetadata(
      const Deployment& d, int32_t user, const std::string& user_id);
  // Fills each item's metadata with the requested Items columns (metadataColumns; `columns`
  // holds exactly the key "ITEMS"). InvalidInput for an unknown column or a group without Items.
  Status AddItemMetadata(const Deployment& d,
                         const std::map<std::string, std::vector<std::string>>& columns,
                         std::vector<RecommendedItem>* items);
  // Reads d's dataset group's Items, Users and (with_interactions) Interactions datasets into a
  // FilterSnapshot over d's items; the interactions are taken over from `previous` (may be
  // null) when it read them at `interactions_generation`, even without with_interactions.
  // Internal when a dataset cannot be read.
  StatusOr<std::shared_ptr<const FilterSnapshot>> BuildFilterSnapshot(
      const Deployment& d, uint64_t generation, uint64_t interactions_generation,
      const FilterSnapshot* previous, bool with_interactions);
  // The requesting user's interactions as Interactions filter conditions see them: the latest
  // 100 per event type (§9) of the Interactions dataset as of when d's filter data was built
  // (FilterSnapshot), plus the user's real-time events (PutEvents), which count at once. Those
  // on items unknown to d's model count for the items with an Items row (the snapshot's new
  // items); those on items with none go to *rowless instead. Event type views borrow from
  // `snapshot` and `*events`, which receives the user's recent events.
  using RowlessEvents = std::map<std::string_view, std::vector<std::string_view>>;
  std::vector<serve::FilterInteraction> RequestInteractions(const Deployment& d,
                                                            const FilterSnapshot& snapshot,
                                                            std::string_view user_id,
                                                            std::vector<serve::RecentEvent>* events,
                                                            RowlessEvents* rowless);
  // Where a solution's version artifacts live, relative to the data dir.
  static std::string ModelsDirOf(const store::CatalogRecord& solution);
  // The dataset of `dataset_type` in a dataset group; NotFound when it has none.
  StatusOr<Dataset> FindDatasetOfType(std::string_view dataset_group_arn,
                                      data::DatasetType dataset_type);
  StatusOr<Dataset> FindInteractionsDataset(std::string_view dataset_group_arn);
  // The parsed schema of a dataset.
  StatusOr<data::Schema> SchemaOf(const Dataset& dataset);
  // Checks solutionConfig.trainingDataConfig against the group's datasets and the event
  // selection the solution asks for (resources.h, SolutionConfig).
  Status CheckTrainingDataConfig(std::string_view dataset_group_arn, const std::string& event_type,
                                 const SolutionConfig& config);
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
  // Held while LoadModel reads an artifact that is not in models_ yet.
  std::mutex model_load_mu_;
  // Protected by training_mu_: solution version ARN → its serving snapshot.
  std::map<std::string, std::shared_ptr<const Deployment>, std::less<>> deployments_;

  // Bumped whenever Items, Users or Interactions rows change (an import completes, a dataset is
  // deleted, PutItems / PutUsers), so that serving snapshots rebuild their filter data on the
  // next request that reads it.
  std::atomic<uint64_t> filter_data_generation_{0};
  // Bumped (before filter_data_generation_) when imported interactions change: an Interactions
  // import or a dataset deletion.
  std::atomic<uint64_t> interactions_generation_{0};

  std::shared_mutex serving_mu_;
  // Protected by serving_mu_: ACTIVE campaign ARN → the snapshot it answers from, so that
  // runtime requests do not read the catalog. Set when a deployment or update goes ACTIVE (or
  // on a campaign's first request after a restart), erased by DeleteCampaign.
  std::map<std::string, ServingCampaign, std::less<>> serving_;
  // Protected by serving_mu_: ACTIVE filters by ARN, so that filtered requests do not read the
  // catalog either. Filled on a filter's first use, erased by DeleteFilter (a filter has no
  // other change after it is ACTIVE).
  std::map<std::string, Filter, std::less<>> active_filters_;

  std::mutex events_mu_;
  // Protected by events_mu_: dataset group ARN → the event stream of its Interactions dataset;
  // trackingId → the tracker's dataset group ARN, for ACTIVE trackers.
  std::map<std::string, std::shared_ptr<EventStream>, std::less<>> event_streams_;
  std::map<std::string, std::string, std::less<>> tracking_ids_;

  std::atomic<bool> cancel_jobs_{false};
  JobRunner jobs_;  // last: its threads stop before the members they use are destroyed
};

}  // namespace tailor::core
