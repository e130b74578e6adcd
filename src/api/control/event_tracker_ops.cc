// CreateEventTracker, DescribeEventTracker, ListEventTrackers, DeleteEventTracker.
#include "api/control/operations.h"

namespace tailor::api {
namespace {

using nlohmann::json;

json Summary(const core::EventTracker& t) {
  json out = {{"name", t.info.name},
              {"eventTrackerArn", t.info.arn},
              {"status", t.info.status},
              {"creationDateTime", WireTime(t.info.created_micros)},
              {"lastUpdatedDateTime", WireTime(t.info.updated_micros)}};
  return out;
}

}  // namespace

void AddEventTrackerOperations(OperationTable* table) {
  (*table)["CreateEventTracker"] = [](core::ControlPlane& cp, const CallContext& call,
                                      JsonReader& in) -> StatusOr<json> {
    core::CreateEventTrackerRequest req;
    req.region = call.region;
    req.name = in.String("name", true);
    req.dataset_group_arn = in.String("datasetGroupArn", true);
    req.tags = in.TagList("tags");
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::EventTracker t, cp.CreateEventTracker(req));
    return json{{"eventTrackerArn", t.info.arn}, {"trackingId", t.tracking_id}};
  };
  (*table)["DescribeEventTracker"] = [](core::ControlPlane& cp, const CallContext&,
                                        JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("eventTrackerArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::EventTracker t, cp.DescribeEventTracker(arn));
    json out = Summary(t);
    out["accountId"] = t.account_id;
    out["trackingId"] = t.tracking_id;
    out["datasetGroupArn"] = t.dataset_group_arn;
    return json{{"eventTracker", out}};
  };
  (*table)["ListEventTrackers"] = [](core::ControlPlane& cp, const CallContext& call,
                                     JsonReader& in) -> StatusOr<json> {
    std::string group = in.String("datasetGroupArn");
    core::PageRequest page = ReadPageRequest(call, in);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(auto result, cp.ListEventTrackers(group, page));
    json out = {{"eventTrackers", json::array()}};
    for (const auto& t : result.items) out["eventTrackers"].push_back(Summary(t));
    AddNextToken(&out, result.next_token);
    return out;
  };
  (*table)["DeleteEventTracker"] = [](core::ControlPlane& cp, const CallContext&,
                                      JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("eventTrackerArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_RETURN_IF_ERROR(cp.DeleteEventTracker(arn));
    return json::object();
  };
}

}  // namespace tailor::api
