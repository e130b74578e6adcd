// Inputs of the control-plane operations, already decoded from the wire by api/ but not yet
// validated: ControlPlane validates them and names the offending field in errors.
// Thread-safety: value types.
#pragma once

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

}  // namespace tailor::core
