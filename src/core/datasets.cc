// Datasets: the typed tables of a dataset group (Interactions, Items, Users...), at most one of
// each type per group, stored as segments by a data::DatasetStore.
#include "core/control_plane.h"
#include "core/resource_codec.h"
#include "core/validation.h"
#include "data/dataset_store.h"
#include "data/schema.h"

namespace tailor::core {

StatusOr<std::string> ControlPlane::CreateDataset(const CreateDatasetRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateName("name", req.name));
  TAILOR_RETURN_IF_ERROR(ValidateArn("datasetGroupArn", req.dataset_group_arn));
  TAILOR_RETURN_IF_ERROR(ValidateArn("schemaArn", req.schema_arn));
  TAILOR_ASSIGN_OR_RETURN(data::DatasetType type, data::ParseDatasetType(req.dataset_type));
  TAILOR_RETURN_IF_ERROR(ValidateTags(req.tags));

  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(auto group_record,
                          GetRecord("datasetGroupArn", req.dataset_group_arn, kDatasetGroupType));
  TAILOR_ASSIGN_OR_RETURN(DatasetGroup group, DatasetGroupFromRecord(group_record));
  if (group.info.status != kActive) {
    return Status::InUse("Dataset group " + group.info.arn + " is " + group.info.status +
                         "; wait until it is ACTIVE.");
  }
  TAILOR_ASSIGN_OR_RETURN(auto schema_record, GetRecord("schemaArn", req.schema_arn, kSchemaType));
  TAILOR_ASSIGN_OR_RETURN(DatasetSchema schema, SchemaFromRecord(schema_record));
  if (schema.domain != group.domain) {
    return Status::InvalidInput("Schema " + schema.info.arn + " has domain '" + schema.domain +
                                "' but dataset group " + group.info.arn + " has domain '" +
                                group.domain + "'; they must match.");
  }
  TAILOR_ASSIGN_OR_RETURN(data::Schema parsed, data::ParseSchema(schema.schema));
  TAILOR_RETURN_IF_ERROR(data::ValidateSchemaForDataset(parsed, type, group.domain)
                             .WithPrefix("Schema " + schema.info.name + " cannot be used for a " +
                                         std::string(data::DatasetTypeName(type)) + " dataset"));
  // Personalize's docs ask the record name to match the dataset type. Arbitrary names are
  // common in the wild, so only a name that is another dataset type's is refused.
  if (auto named = data::ParseDatasetType(parsed.name); named.ok() && *named != type) {
    return Status::InvalidInput("Schema " + schema.info.name + " describes a '" + parsed.name +
                                "' record and cannot be used for a " +
                                std::string(data::DatasetTypeName(type)) + " dataset.");
  }

  const std::string type_arn_name(data::DatasetTypeArnName(type));
  Dataset dataset;
  dataset.info.arn = MakeArn(ArnContextFor(req.region), std::string(kDatasetType) + "/" +
                                                            group.info.name + "/" + type_arn_name);
  dataset.info.name = req.name;
  dataset.info.status = kCreatePending;
  dataset.info.created_micros = dataset.info.updated_micros = env_->NowMicros();
  dataset.dataset_group_arn = group.info.arn;
  dataset.dataset_type = std::string(data::DatasetTypeName(type));
  dataset.schema_arn = schema.info.arn;
  // The creation time keeps a re-created dataset from ever seeing an older one's files.
  dataset.storage_dir = "datasets/" + group.info.name + "/" + type_arn_name + "-" +
                        std::to_string(dataset.info.created_micros);
  store::CatalogRecord record = ToRecord(dataset);
  record.tags = req.tags;
  Status s = catalog_->Insert(record);
  if (s.IsAlreadyExists()) {
    if (catalog_->Get(dataset.info.arn).ok()) {
      return Status::AlreadyExists("Dataset group " + group.info.arn + " already has a " +
                                   dataset.dataset_type + " dataset.");
    }
    return Status::AlreadyExists("A dataset named " + req.name + " already exists.");
  }
  TAILOR_RETURN_IF_ERROR(s);
  ScheduleActivation(dataset.info.arn);
  return dataset.info.arn;
}

StatusOr<Dataset> ControlPlane::DescribeDataset(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("datasetArn", arn, kDatasetType));
  return DatasetFromRecord(record);
}

StatusOr<Page<Dataset>> ControlPlane::ListDatasets(std::string_view dataset_group_arn,
                                                   const PageRequest& page) {
  if (!dataset_group_arn.empty()) {
    TAILOR_RETURN_IF_ERROR(
        GetRecord("datasetGroupArn", dataset_group_arn, kDatasetGroupType).status());
  }
  TAILOR_ASSIGN_OR_RETURN(auto records, ListRecords(kDatasetType, dataset_group_arn, page));
  Page<Dataset> out;
  for (const auto& r : records.records) {
    TAILOR_ASSIGN_OR_RETURN(Dataset d, DatasetFromRecord(r));
    out.items.push_back(std::move(d));
  }
  out.next_token = records.next_page_token;
  return out;
}

Status ControlPlane::DeleteDataset(std::string_view arn) {
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("datasetArn", arn, kDatasetType));
  TAILOR_ASSIGN_OR_RETURN(Dataset dataset, DatasetFromRecord(record));
  store::ListQuery running;
  running.type = kDatasetImportJobType;
  running.parent_arn = std::string(arn);
  running.statuses = {kCreatePending, kCreateInProgress};
  TAILOR_ASSIGN_OR_RETURN(int64_t jobs, catalog_->Count(running));
  if (jobs > 0) {
    return Status::InUse("Dataset " + std::string(arn) +
                         " has an import job in progress; wait until it ends.");
  }
  TAILOR_RETURN_IF_ERROR(CheckDeletable(record));
  TAILOR_RETURN_IF_ERROR(SetStatus(record.arn, kDeletePending));
  // Filters stop reading a dataset that is being deleted.
  ++interactions_generation_;
  ++filter_data_generation_;
  ScheduleDeletion(record.arn, /*show_in_progress=*/true, dataset.storage_dir);
  return Status::OK();
}

}  // namespace tailor::core
