// Dataset import jobs: validated at once, then run on the JobRunner, streaming a CSV into the
// dataset's store. A job ends ACTIVE, or CREATE FAILED with a reason that names the line and
// column; a failed job leaves the dataset as it was (the store commits atomically).
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/control_plane.h"
#include "core/resource_codec.h"
#include "core/validation.h"
#include "data/dataset_store.h"

namespace tailor::core {
namespace {

// Maps a dataLocation to a local path: "file:///abs/x.csv" or "/abs/x.csv". Other schemes are
// refused synchronously with a message that says what works.
StatusOr<std::string> LocalPathOf(std::string_view location) {
  if (location.empty()) return Status::InvalidInput("dataSource.dataLocation is required.");
  if (location.size() > 256) {
    return Status::InvalidInput("dataSource.dataLocation is longer than 256 characters.");
  }
  std::string_view path = location;
  if (path.substr(0, 7) == "file://") {
    path.remove_prefix(7);
    if (path.substr(0, 9) == "localhost") path.remove_prefix(9);
  } else if (path.find("://") != std::string_view::npos) {
    return Status::InvalidInput("dataSource.dataLocation '" + std::string(location) +
                                "' uses a scheme Tailor cannot read yet; use a file:// URL or an "
                                "absolute path.");
  }
  if (path.empty() || path[0] != '/') {
    return Status::InvalidInput("dataSource.dataLocation '" + std::string(location) +
                                "' must be an absolute path or a file:// URL.");
  }
  return std::string(path);
}

}  // namespace

StatusOr<std::string> ControlPlane::CreateDatasetImportJob(
    const CreateDatasetImportJobRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateName("jobName", req.job_name));
  TAILOR_RETURN_IF_ERROR(ValidateArn("datasetArn", req.dataset_arn));
  TAILOR_ASSIGN_OR_RETURN(std::string path, LocalPathOf(req.data_location));
  (void)path;
  TAILOR_RETURN_IF_ERROR(ValidateRoleArn(req.role_arn));
  TAILOR_RETURN_IF_ERROR(ValidateTags(req.tags));
  const std::string mode = req.import_mode.empty() ? "FULL" : req.import_mode;
  if (mode != "FULL" && mode != "INCREMENTAL") {
    return Status::InvalidInput("importMode '" + mode + "' is invalid; use FULL or INCREMENTAL.");
  }

  TAILOR_ASSIGN_OR_RETURN(auto dataset_record,
                          GetRecord("datasetArn", req.dataset_arn, kDatasetType));
  TAILOR_ASSIGN_OR_RETURN(Dataset dataset, DatasetFromRecord(dataset_record));
  if (dataset.info.status != kActive) {
    return Status::InUse("Dataset " + dataset.info.arn + " is " + dataset.info.status +
                         "; wait until it is ACTIVE.");
  }
  if (mode == "INCREMENTAL") {
    TAILOR_ASSIGN_OR_RETURN(auto store, OpenDatasetStore(dataset));
    if (!store->has_imports()) {
      return Status::InvalidInput("importMode INCREMENTAL needs an earlier FULL import into " +
                                  dataset.info.arn + ".");
    }
  }
  TAILOR_RETURN_IF_ERROR(CheckLimit(
      kDatasetImportJobType, {kCreatePending, kCreateInProgress}, options_.max_pending_import_jobs,
      "dataset import jobs with PENDING or IN_PROGRESS status", req.region));

  DatasetImportJob job;
  job.info.arn =
      MakeArn(ArnContextFor(req.region), std::string(kDatasetImportJobType) + "/" + req.job_name);
  job.info.name = req.job_name;
  job.info.status = kCreatePending;
  job.info.created_micros = job.info.updated_micros = env_->NowMicros();
  job.dataset_arn = dataset.info.arn;
  job.data_location = req.data_location;
  job.role_arn = req.role_arn;
  job.import_mode = mode;
  job.publish_attribution_metrics_to_s3 = req.publish_attribution_metrics_to_s3;
  store::CatalogRecord record = ToRecord(job);
  record.tags = req.tags;
  Status s = catalog_->Insert(record);
  if (s.IsAlreadyExists()) {
    return Status::AlreadyExists("A dataset import job named " + req.job_name + " already exists.");
  }
  TAILOR_RETURN_IF_ERROR(s);
  ScheduleImport(job.info.arn);
  return job.info.arn;
}

StatusOr<DatasetImportJob> ControlPlane::DescribeDatasetImportJob(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record,
                          GetRecord("datasetImportJobArn", arn, kDatasetImportJobType));
  return DatasetImportJobFromRecord(record);
}

StatusOr<Page<DatasetImportJob>> ControlPlane::ListDatasetImportJobs(std::string_view dataset_arn,
                                                                     const PageRequest& page) {
  if (!dataset_arn.empty()) TAILOR_RETURN_IF_ERROR(ValidateArn("datasetArn", dataset_arn));
  TAILOR_ASSIGN_OR_RETURN(auto records, ListRecords(kDatasetImportJobType, dataset_arn, page));
  Page<DatasetImportJob> out;
  for (const auto& r : records.records) {
    TAILOR_ASSIGN_OR_RETURN(DatasetImportJob j, DatasetImportJobFromRecord(r));
    out.items.push_back(std::move(j));
  }
  out.next_token = records.next_page_token;
  return out;
}

void ControlPlane::ScheduleImport(const std::string& job_arn) {
  jobs_.Submit([this, job_arn] { RunImport(job_arn); });
}

void ControlPlane::RunImport(const std::string& job_arn) {
  PauseForTransition();
  auto fail = [&](const Status& why) {
    spdlog::warn("import job {} failed: {}", job_arn, why.message());
    Status s = SetStatus(job_arn, kCreateFailed, why.message());
    if (!s.ok()) spdlog::error("recording failure of {}: {}", job_arn, s.ToString());
  };
  StatusOr<store::CatalogRecord> record = catalog_->Get(job_arn);
  if (!record.ok()) return;  // gone: nothing to run
  StatusOr<DatasetImportJob> job = DatasetImportJobFromRecord(*record);
  if (!job.ok()) return fail(job.status());
  if (Status s = SetStatus(job_arn, kCreateInProgress); !s.ok()) return fail(s);

  StatusOr<store::CatalogRecord> dataset_record = catalog_->Get(job->dataset_arn);
  if (!dataset_record.ok()) {
    return fail(Status::NotFound("Dataset " + job->dataset_arn + " no longer exists."));
  }
  StatusOr<Dataset> dataset = DatasetFromRecord(*dataset_record);
  if (!dataset.ok()) return fail(dataset.status());
  StatusOr<std::shared_ptr<data::DatasetStore>> store = OpenDatasetStore(*dataset);
  if (!store.ok()) return fail(store.status());
  StatusOr<std::string> path = LocalPathOf(job->data_location);
  if (!path.ok()) return fail(path.status());
  if (!env_->FileExists(*path)) {
    return fail(
        Status::InvalidInput("Invalid Data location: " + job->data_location + " does not exist."));
  }

  data::ImportOptions options;
  options.mode =
      job->import_mode == "INCREMENTAL" ? data::ImportMode::kIncremental : data::ImportMode::kFull;
  options.cancel = &cancel_jobs_;
  options.progress = [&job_arn](int64_t rows) {
    spdlog::info("import job {}: {} rows read", job_arn, rows);
  };
  spdlog::info("import job {}: {} import of {} into {}", job_arn, job->import_mode, *path,
               job->dataset_arn);
  StatusOr<data::ImportResult> result = (*store)->ImportCsv(*path, options);
  if (!result.ok()) {
    // Cancelled by shutdown: stay IN_PROGRESS so the next start re-runs the job.
    if (result.status().IsUnavailable() && cancel_jobs_) return;
    return fail(result.status());
  }
  const int64_t now = env_->NowMicros();
  Status s = catalog_->Update(job_arn, [&](store::CatalogRecord* r) {
    nlohmann::json body = nlohmann::json::parse(r->body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) body = nlohmann::json::object();
    body["rows_imported"] = result->rows;
    r->body = body.dump();
    r->status = kActive;
    r->updated_micros = now;
    return Status::OK();
  });
  if (!s.ok()) return fail(s);
  // Serving filters rebuild from the new rows on their next use; only an Interactions import
  // makes them re-read the interactions.
  if (dataset->dataset_type == "Interactions") ++interactions_generation_;
  ++filter_data_generation_;
  spdlog::info("import job {}: ACTIVE, {} rows ({} bytes)", job_arn, result->rows,
               result->bytes_read);
}

}  // namespace tailor::core
