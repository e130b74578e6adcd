// CreateDatasetGroup, DescribeDatasetGroup, ListDatasetGroups, DeleteDatasetGroup.
#include "api/control/operations.h"

namespace tailor::api {
namespace {

using nlohmann::json;

json Summary(const core::DatasetGroup& g) {
  json out = {{"name", g.info.name},
              {"datasetGroupArn", g.info.arn},
              {"status", g.info.status},
              {"creationDateTime", WireTime(g.info.created_micros)},
              {"lastUpdatedDateTime", WireTime(g.info.updated_micros)}};
  SetIfNotEmpty(&out, "failureReason", g.info.failure_reason);
  SetIfNotEmpty(&out, "domain", g.domain);
  return out;
}

json Full(const core::DatasetGroup& g) {
  json out = Summary(g);
  SetIfNotEmpty(&out, "roleArn", g.role_arn);
  SetIfNotEmpty(&out, "kmsKeyArn", g.kms_key_arn);
  return out;
}

}  // namespace

void AddDatasetGroupOperations(OperationTable* table) {
  (*table)["CreateDatasetGroup"] = [](core::ControlPlane& cp, const CallContext& call,
                                      JsonReader& in) -> StatusOr<json> {
    core::CreateDatasetGroupRequest req;
    req.region = call.region;
    req.name = in.String("name", true);
    req.role_arn = in.String("roleArn");
    req.kms_key_arn = in.String("kmsKeyArn");
    req.domain = in.String("domain");
    req.tags = in.TagList("tags");
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(std::string arn, cp.CreateDatasetGroup(req));
    json out = {{"datasetGroupArn", arn}};
    SetIfNotEmpty(&out, "domain", req.domain);
    return out;
  };
  (*table)["DescribeDatasetGroup"] = [](core::ControlPlane& cp, const CallContext&,
                                        JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("datasetGroupArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::DatasetGroup g, cp.DescribeDatasetGroup(arn));
    return json{{"datasetGroup", Full(g)}};
  };
  (*table)["ListDatasetGroups"] = [](core::ControlPlane& cp, const CallContext& call,
                                     JsonReader& in) -> StatusOr<json> {
    core::PageRequest page = ReadPageRequest(call, in);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(auto result, cp.ListDatasetGroups(page));
    json out = {{"datasetGroups", json::array()}};
    for (const auto& g : result.items) out["datasetGroups"].push_back(Summary(g));
    AddNextToken(&out, result.next_token);
    return out;
  };
  (*table)["DeleteDatasetGroup"] = [](core::ControlPlane& cp, const CallContext&,
                                      JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("datasetGroupArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_RETURN_IF_ERROR(cp.DeleteDatasetGroup(arn));
    return json::object();
  };
}

}  // namespace tailor::api
