// CreateDatasetImportJob, DescribeDatasetImportJob, ListDatasetImportJobs.
#include "api/control/operations.h"

namespace tailor::api {
namespace {

using nlohmann::json;

json Summary(const core::DatasetImportJob& j) {
  json out = {{"datasetImportJobArn", j.info.arn},
              {"jobName", j.info.name},
              {"status", j.info.status},
              {"creationDateTime", WireTime(j.info.created_micros)},
              {"lastUpdatedDateTime", WireTime(j.info.updated_micros)},
              {"importMode", j.import_mode}};
  SetIfNotEmpty(&out, "failureReason", j.info.failure_reason);
  return out;
}

}  // namespace

void AddDatasetImportJobOperations(OperationTable* table) {
  (*table)["CreateDatasetImportJob"] = [](core::ControlPlane& cp, const CallContext& call,
                                          JsonReader& in) -> StatusOr<json> {
    core::CreateDatasetImportJobRequest req;
    req.region = call.region;
    req.job_name = in.String("jobName", true);
    req.dataset_arn = in.String("datasetArn", true);
    JsonReader source = in.Object("dataSource", true);
    req.data_location = source.String("dataLocation", true);
    req.role_arn = in.String("roleArn");
    req.import_mode = in.String("importMode");
    req.publish_attribution_metrics_to_s3 = in.Bool("publishAttributionMetricsToS3", false);
    req.tags = in.TagList("tags");
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(std::string arn, cp.CreateDatasetImportJob(req));
    return json{{"datasetImportJobArn", arn}};
  };
  (*table)["DescribeDatasetImportJob"] = [](core::ControlPlane& cp, const CallContext&,
                                            JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("datasetImportJobArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::DatasetImportJob j, cp.DescribeDatasetImportJob(arn));
    json out = Summary(j);
    out["datasetArn"] = j.dataset_arn;
    out["dataSource"] = {{"dataLocation", j.data_location}};
    SetIfNotEmpty(&out, "roleArn", j.role_arn);
    out["publishAttributionMetricsToS3"] = j.publish_attribution_metrics_to_s3;
    return json{{"datasetImportJob", out}};
  };
  (*table)["ListDatasetImportJobs"] = [](core::ControlPlane& cp, const CallContext& call,
                                         JsonReader& in) -> StatusOr<json> {
    std::string dataset = in.String("datasetArn");
    core::PageRequest page = ReadPageRequest(call, in);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(auto result, cp.ListDatasetImportJobs(dataset, page));
    json out = {{"datasetImportJobs", json::array()}};
    for (const auto& j : result.items) out["datasetImportJobs"].push_back(Summary(j));
    AddNextToken(&out, result.next_token);
    return out;
  };
}

}  // namespace tailor::api
