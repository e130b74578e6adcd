// The control-plane resources of the data part of Personalize, as plain structs inside Tailor.
// Wire names (datasetGroupArn...) live only in api/; these are the domain's names.
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tailor::core {

// Lifecycle status strings exactly as Personalize spells them (personalize-semantics.md §2.2).
inline constexpr const char kCreatePending[] = "CREATE PENDING";
inline constexpr const char kCreateInProgress[] = "CREATE IN_PROGRESS";
inline constexpr const char kActive[] = "ACTIVE";
inline constexpr const char kCreateFailed[] = "CREATE FAILED";
inline constexpr const char kDeletePending[] = "DELETE PENDING";
inline constexpr const char kDeleteInProgress[] = "DELETE IN_PROGRESS";
// Solution versions only.
inline constexpr const char kCreateStopping[] = "CREATE STOPPING";
inline constexpr const char kCreateStopped[] = "CREATE STOPPED";

using Tags = std::map<std::string, std::string>;

// Fields every stored resource has.
struct ResourceInfo {
  std::string arn;
  std::string name;
  std::string status;  // "" for schemas
  std::string failure_reason;
  int64_t created_micros = 0;
  int64_t updated_micros = 0;
};

struct DatasetGroup {
  ResourceInfo info;
  std::string role_arn;
  std::string kms_key_arn;
  std::string domain;  // "" = custom
};

struct DatasetSchema {
  ResourceInfo info;
  std::string schema;  // the Avro JSON text, verbatim
  std::string domain;
};

struct Dataset {
  ResourceInfo info;
  std::string dataset_group_arn;
  std::string dataset_type;  // wire spelling: "Interactions", "Items", ...
  std::string schema_arn;
  std::string storage_dir;  // where its DatasetStore keeps segments (relative to the data dir)
};

struct DatasetImportJob {
  ResourceInfo info;
  std::string dataset_arn;
  std::string data_location;
  std::string role_arn;
  std::string import_mode = "FULL";  // "FULL" or "INCREMENTAL"
  bool publish_attribution_metrics_to_s3 = false;
  int64_t rows_imported = 0;
};

// Hyper-parameter search settings (personalize-semantics.md §4, hpoConfig). Empty range lists
// mean "the recipe's own tunable ranges".
struct IntegerRange {
  std::string name;
  int64_t min_value = 0;
  int64_t max_value = 0;
};
struct ContinuousRange {
  std::string name;
  double min_value = 0;
  double max_value = 0;
};
struct CategoricalRange {
  std::string name;
  std::vector<std::string> values;
};
struct HpoConfig {
  // hpoObjective: the metric to maximise ("" = normalized_discounted_cumulative_gain_at_10).
  std::string objective_type;
  std::string objective_metric_name;
  std::string objective_metric_regex;
  int max_number_of_training_jobs = 0;  // 0 = default
  int max_parallel_training_jobs = 0;   // recorded; Tailor trains the candidates one by one
  std::vector<IntegerRange> integer_ranges;
  std::vector<ContinuousRange> continuous_ranges;
  std::vector<CategoricalRange> categorical_ranges;
};

// One entry of solutionConfig.eventsConfig.eventParametersList.
struct EventParameters {
  std::string event_type;
  bool has_event_value_threshold = false;
  double event_value_threshold = 0;  // keep this type's events with EVENT_VALUE >= it
  double weight = 1;                 // in [0, 1]: the confidence its events train with
};

struct SolutionConfig {
  std::string event_value_threshold;  // "" = every event; else keep EVENT_VALUE >= it
  // eventsConfig: when not empty, only these event types train, each with its own threshold
  // and weight.
  std::vector<EventParameters> event_parameters;
  // optimizationObjective.objectiveSensitivity ("" when absent). Tailor does not optimise for
  // an item attribute, so anything but OFF is refused rather than ignored.
  std::string objective_sensitivity;
  bool has_optimization_objective = false;
  std::map<std::string, std::string> algorithm_hyper_parameters;
  std::map<std::string, std::string> feature_transformation_parameters;
  bool has_hpo_config = false;
  HpoConfig hpo_config;
  // autoMLConfig.
  std::string auto_ml_metric_name;
  std::vector<std::string> auto_ml_recipe_list;
  // trainingDataConfig: per dataset type as the request spelt it ("ITEMS", "Interactions"...),
  // the columns left out of training, or the only ones trained on. Tailor's recipes read no
  // metadata column, so what this can change is the event selection: CreateSolution refuses an
  // EVENT_TYPE or EVENT_VALUE column left out that the eventType, eventValueThreshold or
  // eventsConfig needs.
  std::map<std::string, std::vector<std::string>> excluded_dataset_columns;
  std::map<std::string, std::vector<std::string>> included_dataset_columns;
};

struct Solution {
  ResourceInfo info;
  std::string dataset_group_arn;
  std::string recipe_arn;  // "" with perform_auto_ml until a version picks one
  std::string event_type;  // "" = every event type
  bool perform_hpo = false;
  bool perform_auto_ml = false;
  SolutionConfig config;
  std::string latest_version_arn;  // "" before the first version
};

struct SolutionVersion {
  ResourceInfo info;
  std::string version_name;  // the optional name given at creation
  std::string solution_arn;
  std::string dataset_group_arn;
  std::string recipe_arn;  // the recipe trained (the AutoML winner with perform_auto_ml)
  std::string event_type;
  bool perform_hpo = false;
  bool perform_auto_ml = false;
  SolutionConfig config;
  std::string training_mode = "FULL";  // "FULL" or "UPDATE"
  std::string training_type = "MANUAL";
  double training_hours = 0;
  // The hyper-parameters the final model was trained with (HPO's choice where it ran).
  std::map<std::string, std::string> tuned_hyper_parameters;
  // GetSolutionMetrics, keyed by Personalize's metric names.
  std::map<std::string, double> metrics;
  std::string model_path;  // the artifact, relative to the data dir; "" until ACTIVE
  int64_t num_interactions = 0;
  // The last real-time event epoch trained on (core/event_stream.h); 0 when none.
  uint64_t events_epoch = 0;
};

struct Campaign {
  ResourceInfo info;
  std::string solution_version_arn;
  int min_provisioned_tps = 1;
  // campaignConfig.itemExplorationConfig and the other campaignConfig members, as given.
  std::map<std::string, std::string> item_exploration_config;
  bool enable_metadata_with_recommendations = false;
  // The latest UpdateCampaign, while it or after it was applied ("" when none).
  std::string update_solution_version_arn;
  std::string update_status;
  int64_t update_created_micros = 0;
  int64_t update_updated_micros = 0;
};

// A filter (personalize-semantics.md §9): an expression parsed at creation and applied to
// runtime requests of the dataset group's campaigns.
struct Filter {
  ResourceInfo info;
  std::string dataset_group_arn;
  std::string filter_expression;  // verbatim, as given to CreateFilter
};

// An event tracker (personalize-semantics.md §8): the trackingId that PutEvents names, which
// records events into its dataset group's Interactions dataset.
struct EventTracker {
  ResourceInfo info;
  std::string dataset_group_arn;
  std::string tracking_id;  // a random UUID
  std::string account_id;
};

// A recipe as ListRecipes / DescribeRecipe show it (personalize-semantics.md §4).
struct RecipeInfo {
  std::string name;         // "aws-user-personalization"
  std::string arn;          // "arn:aws:personalize:::recipe/aws-user-personalization"
  std::string recipe_type;  // USER_PERSONALIZATION, PERSONALIZED_RANKING, RELATED_ITEMS, ...
  std::string description;
  std::string algorithm_arn;
  std::string feature_transformation_arn;  // "" when none
  std::string domain;                      // "" for custom recipes
};

struct AlgorithmInfo {
  std::string name;
  std::string arn;
  std::string algorithm_image;
  std::string training_input_mode = "File";
  std::map<std::string, std::string> default_hyper_parameters;
  std::vector<IntegerRange> integer_ranges;  // with the recipe's tunable flags below
  std::vector<ContinuousRange> continuous_ranges;
  std::vector<CategoricalRange> categorical_ranges;
  std::vector<std::string> tunable;  // names of the ranges HPO searches by default
};

struct FeatureTransformationInfo {
  std::string name;
  std::string arn;
  std::map<std::string, std::string> default_parameters;
};

// A page of a List call.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_token;  // "" when there are no more
};

struct PageRequest {
  int max_results = 100;   // 1..100
  std::string next_token;  // "" for the first page
  // The caller's region: listings hold only that region's resources; "" = the server's.
  std::string region;
};

}  // namespace tailor::core
