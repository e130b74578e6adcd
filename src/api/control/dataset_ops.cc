// CreateDataset, DescribeDataset, ListDatasets, DeleteDataset.
#include "api/control/operations.h"

namespace tailor::api {
namespace {

using nlohmann::json;

json Summary(const core::Dataset& d) {
  return {{"name", d.info.name},
          {"datasetArn", d.info.arn},
          {"datasetType", d.dataset_type},
          {"status", d.info.status},
          {"creationDateTime", WireTime(d.info.created_micros)},
          {"lastUpdatedDateTime", WireTime(d.info.updated_micros)}};
}

}  // namespace

void AddDatasetOperations(OperationTable* table) {
  (*table)["CreateDataset"] = [](core::ControlPlane& cp, const CallContext& call,
                                 JsonReader& in) -> StatusOr<json> {
    core::CreateDatasetRequest req;
    req.region = call.region;
    req.name = in.String("name", true);
    req.schema_arn = in.String("schemaArn", true);
    req.dataset_group_arn = in.String("datasetGroupArn", true);
    req.dataset_type = in.String("datasetType", true);
    req.tags = in.TagList("tags");
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(std::string arn, cp.CreateDataset(req));
    return json{{"datasetArn", arn}};
  };
  (*table)["DescribeDataset"] = [](core::ControlPlane& cp, const CallContext&,
                                   JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("datasetArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::Dataset d, cp.DescribeDataset(arn));
    json out = Summary(d);
    out["datasetGroupArn"] = d.dataset_group_arn;
    out["schemaArn"] = d.schema_arn;
    return json{{"dataset", out}};
  };
  (*table)["ListDatasets"] = [](core::ControlPlane& cp, const CallContext& call,
                                JsonReader& in) -> StatusOr<json> {
    std::string group = in.String("datasetGroupArn");
    core::PageRequest page = ReadPageRequest(call, in);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(auto result, cp.ListDatasets(group, page));
    json out = {{"datasets", json::array()}};
    for (const auto& d : result.items) out["datasets"].push_back(Summary(d));
    AddNextToken(&out, result.next_token);
    return out;
  };
  (*table)["DeleteDataset"] = [](core::ControlPlane& cp, const CallContext&,
                                 JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("datasetArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_RETURN_IF_ERROR(cp.DeleteDataset(arn));
    return json::object();
  };
}

}  // namespace tailor::api
