// CreateFilter, DescribeFilter, ListFilters, DeleteFilter.
#include "api/control/operations.h"

namespace tailor::api {
namespace {

using nlohmann::json;

// FilterSummary; DescribeFilter adds filterExpression.
json Summary(const core::Filter& f) {
  json out = {{"name", f.info.name},
              {"filterArn", f.info.arn},
              {"datasetGroupArn", f.dataset_group_arn},
              {"status", f.info.status},
              {"creationDateTime", WireTime(f.info.created_micros)},
              {"lastUpdatedDateTime", WireTime(f.info.updated_micros)}};
  SetIfNotEmpty(&out, "failureReason", f.info.failure_reason);
  return out;
}

}  // namespace

void AddFilterOperations(OperationTable* table) {
  (*table)["CreateFilter"] = [](core::ControlPlane& cp, const CallContext& call,
                                JsonReader& in) -> StatusOr<json> {
    core::CreateFilterRequest req;
    req.region = call.region;
    req.name = in.String("name", true);
    req.dataset_group_arn = in.String("datasetGroupArn", true);
    req.filter_expression = in.String("filterExpression", true);
    req.tags = in.TagList("tags");
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(std::string arn, cp.CreateFilter(req));
    return json{{"filterArn", arn}};
  };
  (*table)["DescribeFilter"] = [](core::ControlPlane& cp, const CallContext&,
                                  JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("filterArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::Filter f, cp.DescribeFilter(arn));
    json out = Summary(f);
    out["filterExpression"] = f.filter_expression;
    return json{{"filter", out}};
  };
  (*table)["ListFilters"] = [](core::ControlPlane& cp, const CallContext& call,
                               JsonReader& in) -> StatusOr<json> {
    std::string group = in.String("datasetGroupArn");
    core::PageRequest page = ReadPageRequest(call, in);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(auto result, cp.ListFilters(group, page));
    // The one List result key with a capital letter (semantics §11).
    json out = {{"Filters", json::array()}};
    for (const auto& f : result.items) out["Filters"].push_back(Summary(f));
    AddNextToken(&out, result.next_token);
    return out;
  };
  (*table)["DeleteFilter"] = [](core::ControlPlane& cp, const CallContext&,
                                JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("filterArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_RETURN_IF_ERROR(cp.DeleteFilter(arn));
    return json::object();
  };
}

}  // namespace tailor::api
