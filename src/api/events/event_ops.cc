#include "api/events/event_ops.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "api/control/json_reader.h"
#include "api/errors.h"

namespace tailor::api {
namespace {

using nlohmann::json;

// Parses the body and runs `op`, turning every failure into an events wire error.
template <typename Op>
HttpResponse Run(const char* operation, const HttpRequest& request, Op op) {
  json body = request.body.empty() ? json::object()
                                   : json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return ErrorResponse(
        Protocol::kEvents, "InvalidInputException", 400,
        std::string("The request body of ") + operation + " is not a JSON object.");
  }
  try {
    JsonReader reader(body);
    Status s = op(reader);
    if (!s.ok()) return StatusResponse(Protocol::kEvents, s);
    HttpResponse response;
    response.content_type = "application/json";
    response.headers.emplace_back("x-amzn-RequestId", NewRequestId());
    return response;
  } catch (const std::exception& e) {
    spdlog::error("{} threw: {}", operation, e.what());
    return ErrorResponse(Protocol::kEvents, "InternalFailure", 500,
                         std::string("Internal error in ") + operation + ".");
  }
}

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

HttpResponse HandlePutEvents(core::ControlPlane& cp, const HttpRequest& request) {
  return Run("PutEvents", request, [&](JsonReader& in) -> Status {
    core::PutEventsRequest req;
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
    return cp.PutEvents(req);
  });
}

HttpResponse HandlePutItems(core::ControlPlane& cp, const HttpRequest& request) {
  return Run("PutItems", request, [&](JsonReader& in) -> Status {
    core::PutRowsRequest req;
    TAILOR_RETURN_IF_ERROR(ReadRows(in, "items", "itemId", &req));
    return cp.PutItems(req);
  });
}

HttpResponse HandlePutUsers(core::ControlPlane& cp, const HttpRequest& request) {
  return Run("PutUsers", request, [&](JsonReader& in) -> Status {
    core::PutRowsRequest req;
    TAILOR_RETURN_IF_ERROR(ReadRows(in, "users", "userId", &req));
    return cp.PutUsers(req);
  });
}

}  // namespace tailor::api
