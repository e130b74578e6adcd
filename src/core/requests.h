// Inputs of the control-plane operations, already decoded from the wire by api/ but not yet
// validated: ControlPlane validates them and names the offending field in errors.
// Thread-safety: value types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/resources.h"

namespace tailor::core {

struct CreateDatasetGroupRequest {
  std::string region;  // region of the new ARN; "" = the server's default
  std::string name;
  std::string role_arn;
  std::string kms_key_arn;
  std::string domain;
  Tags tags;
};

struct CreateSchemaRequest {
  std::string region;  // region of the new ARN; "" = the server's default
  std::string name;
  std::string schema;
  std::string domain;
};

struct CreateDatasetRequest {
  std::string region;  // region of the new ARN; "" = the server's default
  std::string name;
  std::string schema_arn;
  std::string dataset_group_arn;
  std::string dataset_type;
  Tags tags;
};

struct CreateDatasetImportJobRequest {
  std::string region;  // region of the new ARN; "" = the server's default
  std::string job_name;
  std::string dataset_arn;
  std::string data_location;
  std::string role_arn;
  std::string import_mode;  // "" = FULL
  bool publish_attribution_metrics_to_s3 = false;
  Tags tags;
};

struct CreateSolutionRequest {
  std::string region;  // region of the new ARN; "" = the server's default
  std::string name;
  std::string dataset_group_arn;
  std::string recipe_arn;
  std::string event_type;
  bool perform_hpo = false;
  bool perform_auto_ml = false;
  SolutionConfig config;
  Tags tags;
};

struct CreateSolutionVersionRequest {
  std::string name;  // optional
  std::string solution_arn;
  std::string training_mode;  // "" = FULL
  Tags tags;
};

struct CreateCampaignRequest {
  std::string region;
  std::string name;
  std::string solution_version_arn;
  int min_provisioned_tps = 1;
  std::map<std::string, std::string> item_exploration_config;
  bool enable_metadata_with_recommendations = false;
  Tags tags;
};

struct UpdateCampaignRequest {
  std::string campaign_arn;
  std::string solution_version_arn;  // "" keeps the current one
  int min_provisioned_tps = 0;       // 0 keeps the current one
  bool has_campaign_config = false;
  std::map<std::string, std::string> item_exploration_config;
  bool enable_metadata_with_recommendations = false;
};

struct CreateFilterRequest {
  std::string region;  // region of the new ARN; "" = the server's default
  std::string name;
  std::string dataset_group_arn;
  std::string filter_expression;
  Tags tags;
};

struct CreateEventTrackerRequest {
  std::string region;
  std::string name;
  std::string dataset_group_arn;
  Tags tags;
};

// One event of PutEvents (personalize-semantics.md §8), as the wire gives it.
struct PutEventInput {
  std::string event_id;
  std::string event_type;
  bool has_event_value = false;
  double event_value = 0;
  std::string item_id;
  std::string properties;  // a JSON object string, "" when absent
  bool has_sent_at = false;
  double sent_at = 0;  // epoch seconds
  std::string recommendation_id;
  std::vector<std::string> impression;
};

struct PutEventsRequest {
  std::string tracking_id;
  std::string user_id;
  std::string session_id;
  std::vector<PutEventInput> events;
};

// PutItems and PutUsers: rows upserted by id into an Items or Users dataset.
struct PutRowsRequest {
  std::string dataset_arn;
  struct Row {
    std::string id;
    std::string properties;  // a JSON object string with camelCase keys, "" when absent
  };
  std::vector<Row> rows;
};

// GetRecommendations (personalize-semantics.md §7).
// A promotion of GetRecommendations: a share of the answer picked by a filter of its own.
struct Promotion {
  std::string name;
  int percent_promoted_items = 0;
  std::string filter_arn;
  std::map<std::string, std::string> filter_values;
};

struct RecommendationRequest {
  std::string campaign_arn;
  std::string user_id;
  std::string item_id;
  int num_results = 25;
  std::string filter_arn;
  std::map<std::string, std::string> filter_values;
  // metadataColumns: dataset type ("ITEMS") → columns to return with each item.
  std::map<std::string, std::vector<std::string>> metadata_columns;
  std::vector<Promotion> promotions;  // at most one
  // Interactions context column → value, e.g. {"DEVICE": "mobile"}; re-weights the scores of
  // USER_PERSONALIZATION campaigns (algo/context/context_lift.h).
  std::map<std::string, std::string> context;
};

// GetPersonalizedRanking.
struct RankingRequest {
  std::string campaign_arn;
  std::string user_id;
  std::vector<std::string> input_list;
  std::string filter_arn;
  std::map<std::string, std::string> filter_values;
  std::map<std::string, std::vector<std::string>> metadata_columns;
  std::map<std::string, std::string> context;  // as RecommendationRequest::context
};

struct RecommendedItem {
  std::string item_id;
  bool has_score = false;
  double score = 0;
  std::map<std::string, std::string> metadata;  // metadataColumns' values; null ones left out
  std::string promotion_name;                   // the promotion that placed it, if any
};

struct Recommendations {
  std::vector<RecommendedItem> items;
  std::string recommendation_id;
};

}  // namespace tailor::core
