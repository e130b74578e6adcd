// Dataset groups: the container of datasets, solutions and campaigns.
#include "core/control_plane.h"
#include "core/resource_codec.h"
#include "core/validation.h"

namespace tailor::core {

StatusOr<std::string> ControlPlane::CreateDatasetGroup(const CreateDatasetGroupRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateName("name", req.name));
  TAILOR_RETURN_IF_ERROR(ValidateDomain(req.domain));
  TAILOR_RETURN_IF_ERROR(ValidateRoleArn(req.role_arn));
  TAILOR_RETURN_IF_ERROR(ValidateKmsKeyArn(req.kms_key_arn));
  if (!req.role_arn.empty() && req.kms_key_arn.empty()) {
    return Status::InvalidInput("roleArn is only valid together with kmsKeyArn.");
  }
  TAILOR_RETURN_IF_ERROR(ValidateTags(req.tags));
  TAILOR_RETURN_IF_ERROR(
      CheckLimit(kDatasetGroupType, {}, options_.max_dataset_groups, "dataset groups", req.region));

  DatasetGroup group;
  group.info.arn =
      MakeArn(ArnContextFor(req.region), std::string(kDatasetGroupType) + "/" + req.name);
  group.info.name = req.name;
  group.info.status = kCreatePending;
  group.info.created_micros = group.info.updated_micros = env_->NowMicros();
  group.role_arn = req.role_arn;
  group.kms_key_arn = req.kms_key_arn;
  group.domain = req.domain;
  store::CatalogRecord record = ToRecord(group);
  record.tags = req.tags;
  Status s = catalog_->Insert(record);
  if (s.IsAlreadyExists()) {
    return Status::AlreadyExists("A dataset group named " + req.name + " already exists.");
  }
  TAILOR_RETURN_IF_ERROR(s);
  ScheduleActivation(group.info.arn);
  return group.info.arn;
}

StatusOr<DatasetGroup> ControlPlane::DescribeDatasetGroup(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("datasetGroupArn", arn, kDatasetGroupType));
  return DatasetGroupFromRecord(record);
}

StatusOr<Page<DatasetGroup>> ControlPlane::ListDatasetGroups(const PageRequest& page) {
  TAILOR_ASSIGN_OR_RETURN(auto records, ListRecords(kDatasetGroupType, "", page));
  Page<DatasetGroup> out;
  for (const auto& r : records.records) {
    TAILOR_ASSIGN_OR_RETURN(DatasetGroup g, DatasetGroupFromRecord(r));
    out.items.push_back(std::move(g));
  }
  out.next_token = records.next_page_token;
  return out;
}

Status ControlPlane::DeleteDatasetGroup(std::string_view arn) {
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("datasetGroupArn", arn, kDatasetGroupType));
  store::ListQuery children;
  children.type = kDatasetType;
  children.parent_arn = std::string(arn);
  children.type = kSolutionType;
  TAILOR_ASSIGN_OR_RETURN(int64_t solutions, catalog_->Count(children));
  if (solutions > 0) {
    return Status::InUse("Dataset group " + std::string(arn) + " still has " +
                         std::to_string(solutions) + " solution(s); delete them first.");
  }
  children.type = kFilterType;
  TAILOR_ASSIGN_OR_RETURN(int64_t filters, catalog_->Count(children));
  if (filters > 0) {
    return Status::InUse("Dataset group " + std::string(arn) + " still has " +
                         std::to_string(filters) + " filter(s); delete them first.");
  }
  children.type = kEventTrackerType;
  TAILOR_ASSIGN_OR_RETURN(int64_t trackers, catalog_->Count(children));
  if (trackers > 0) {
    return Status::InUse("Dataset group " + std::string(arn) +
                         " still has an event tracker; delete it first.");
  }
  children.type = kDatasetType;
  TAILOR_ASSIGN_OR_RETURN(int64_t datasets, catalog_->Count(children));
  if (datasets > 0) {
    return Status::InUse("Dataset group " + std::string(arn) + " still has " +
                         std::to_string(datasets) + " dataset(s); delete them first.");
  }
  TAILOR_RETURN_IF_ERROR(CheckDeletable(record));
  TAILOR_RETURN_IF_ERROR(SetStatus(record.arn, kDeletePending));
  ScheduleDeletion(record.arn, /*show_in_progress=*/false, /*files_dir=*/"");
  return Status::OK();
}

}  // namespace tailor::core
