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
