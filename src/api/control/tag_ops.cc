// TagResource, UntagResource, ListTagsForResource.
#include "api/control/operations.h"

namespace tailor::api {

using nlohmann::json;

void AddTagOperations(OperationTable* table) {
  (*table)["TagResource"] = [](core::ControlPlane& cp, const CallContext&,
                               JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("resourceArn", true);
    core::Tags tags = in.TagList("tags", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_RETURN_IF_ERROR(cp.TagResource(arn, tags));
    return json::object();
  };
  (*table)["UntagResource"] = [](core::ControlPlane& cp, const CallContext&,
                                 JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("resourceArn", true);
    std::vector<std::string> keys = in.StringList("tagKeys", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_RETURN_IF_ERROR(cp.UntagResource(arn, keys));
    return json::object();
  };
  (*table)["ListTagsForResource"] = [](core::ControlPlane& cp, const CallContext&,
                                       JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("resourceArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::Tags tags, cp.ListTagsForResource(arn));
    json out = {{"tags", json::array()}};
    for (const auto& [k, v] : tags) out["tags"].push_back({{"tagKey", k}, {"tagValue", v}});
    return out;
  };
}

}  // namespace tailor::api
