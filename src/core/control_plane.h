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
#include "store/catalog.h"

namespace tailor::data {
class DatasetStore;
}

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

  std::atomic<bool> cancel_jobs_{false};
  JobRunner jobs_;  // last: its threads stop before the members they use are destroyed
};

}  // namespace tailor::core
