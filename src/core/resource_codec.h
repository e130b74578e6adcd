// Converts core resources to and from catalog records: the record's columns carry the
// identity and lifecycle, the JSON body the rest (snake_case keys; only core/ reads it).
// Thread-safety: pure functions.
#pragma once

#include "common/status_or.h"
#include "core/resources.h"
#include "store/catalog.h"

namespace tailor::core {

// Catalog record types, equal to the ARN resource types.
inline constexpr const char kDatasetGroupType[] = "dataset-group";
inline constexpr const char kSchemaType[] = "schema";
inline constexpr const char kDatasetType[] = "dataset";
inline constexpr const char kDatasetImportJobType[] = "dataset-import-job";
inline constexpr const char kSolutionType[] = "solution";
// Solution version ARNs are "solution/<solution name>/<id>": their ARN type is "solution" too,
// so their records have a type of their own.
inline constexpr const char kSolutionVersionType[] = "solution-version";
inline constexpr const char kCampaignType[] = "campaign";
inline constexpr const char kFilterType[] = "filter";
inline constexpr const char kEventTrackerType[] = "event-tracker";

// The catalog scope of a resource: "<region>:<account>" of its ARN, since names are unique per
// account and region (personalize-semantics.md §2.1); "" for a malformed ARN.
std::string ScopeOfArn(std::string_view arn);

store::CatalogRecord ToRecord(const DatasetGroup& group);
store::CatalogRecord ToRecord(const DatasetSchema& schema);
store::CatalogRecord ToRecord(const Dataset& dataset);
store::CatalogRecord ToRecord(const DatasetImportJob& job);
store::CatalogRecord ToRecord(const Solution& solution);
store::CatalogRecord ToRecord(const SolutionVersion& version);
store::CatalogRecord ToRecord(const Campaign& campaign);
store::CatalogRecord ToRecord(const Filter& filter);
store::CatalogRecord ToRecord(const EventTracker& tracker);

// Internal when the body is not what core/ wrote.
StatusOr<DatasetGroup> DatasetGroupFromRecord(const store::CatalogRecord& record);
StatusOr<DatasetSchema> SchemaFromRecord(const store::CatalogRecord& record);
StatusOr<Dataset> DatasetFromRecord(const store::CatalogRecord& record);
StatusOr<DatasetImportJob> DatasetImportJobFromRecord(const store::CatalogRecord& record);
StatusOr<Solution> SolutionFromRecord(const store::CatalogRecord& record);
StatusOr<SolutionVersion> SolutionVersionFromRecord(const store::CatalogRecord& record);
StatusOr<Campaign> CampaignFromRecord(const store::CatalogRecord& record);
StatusOr<Filter> FilterFromRecord(const store::CatalogRecord& record);
StatusOr<EventTracker> EventTrackerFromRecord(const store::CatalogRecord& record);

}  // namespace tailor::core
