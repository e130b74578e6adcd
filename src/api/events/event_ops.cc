#include "api/events/event_ops.h"

#include <nlohmann/json.hpp>

#include "api/control/json_reader.h"
#include "api/errors.h"
#include "api/rest_json.h"

namespace tailor::api {
namespace {

using nlohmann::json;

// items / users: [{itemId|userId, properties}].
Status ReadRows(JsonReader& in, const char* list, const char* id_member,
                core::PutRowsRequest* req) {
  req->dataset_arn = in.String("datasetArn", true);
  if (!in.Has(list)) in.String(list, true);  // reports the missing member
  in.ObjectList(list, [&](JsonReader& row) {
    core::PutRowsRequest::Row r;
    r.id = row.String(id_member, true);
    r.properties = row.String("properties");
    req->rows.push_back(std::move(r));
  });
  return in.status();
}

}  // namespace

void HandlePutEvents(core::ControlPlane& cp, const HttpRequest& request, HttpResponder respond) {
  core::PutEventsRequest req;
  // Reads the request only; a 200 from it means the body was a well-formed PutEvents.
  HttpResponse read =
      RunRestJson(Protocol::kEvents, "PutEvents", request, [&](JsonReader& in) -> StatusOr<json> {
        req.tracking_id = in.String("trackingId", true);
        req.user_id = in.String("userId");
        req.session_id = in.String("sessionId", true);
        if (!in.Has("eventList")) in.String("eventList", true);
        in.ObjectList("eventList", [&](JsonReader& e) {
          core::PutEventInput event;
          event.event_id = e.String("eventId");
          event.event_type = e.String("eventType", true);
          event.has_event_value = e.Has("eventValue");
          event.event_value = e.Double("eventValue", 0);
          event.item_id = e.String("itemId");
          event.properties = e.String("properties");
          event.has_sent_at = e.Has("sentAt");
          event.sent_at = e.Double("sentAt", 0, /*required=*/true);
          event.recommendation_id = e.String("recommendationId");
          event.impression = e.StringList("impression");
          req.events.push_back(std::move(event));
        });
        TAILOR_RETURN_IF_ERROR(in.status());
        return json();
      });
  if (read.status != 200) return respond(std::move(read));
  cp.PutEventsAsync(req, [respond = std::move(respond)](Status s) {
    respond(s.ok() ? RestJsonResponse(Protocol::kEvents, json())  // no body
                   : RestJsonResponse(Protocol::kEvents, s));
  });
}

HttpResponse HandlePutItems(core::ControlPlane& cp, const HttpRequest& request) {
  return RunRestJson(Protocol::kEvents, "PutItems", request, [&](JsonReader& in) -> StatusOr<json> {
    core::PutRowsRequest req;
    TAILOR_RETURN_IF_ERROR(ReadRows(in, "items", "itemId", &req));
    TAILOR_RETURN_IF_ERROR(cp.PutItems(req));
    return json();
  });
}

HttpResponse HandlePutUsers(core::ControlPlane& cp, const HttpRequest& request) {
  return RunRestJson(Protocol::kEvents, "PutUsers", request, [&](JsonReader& in) -> StatusOr<json> {
    core::PutRowsRequest req;
    TAILOR_RETURN_IF_ERROR(ReadRows(in, "users", "userId", &req));
    TAILOR_RETURN_IF_ERROR(cp.PutUsers(req));
    return json();
  });
}

}  // namespace tailor::api
