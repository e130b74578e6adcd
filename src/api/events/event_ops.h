// The events' REST-JSON operations (personalize-events): POST /events (PutEvents), /items
// (PutItems) and /users (PutUsers). Each decodes the JSON body, asks core::ControlPlane and
// answers 200 with an empty body; errors use the events' wire table (ResourceNotFoundException
// is 404 and ResourceInUseException 409 here).
// Thread-safety: the functions are safe to call concurrently.
#pragma once

#include "api/http/http_server.h"
#include "core/control_plane.h"

namespace tailor::api {

// Answers through `respond` once the events are durable (at once for a bad request), so that
// the HTTP worker does not wait on the disk.
void HandlePutEvents(core::ControlPlane& control_plane, const HttpRequest& request,
                     HttpResponder respond);
HttpResponse HandlePutItems(core::ControlPlane& control_plane, const HttpRequest& request);
HttpResponse HandlePutUsers(core::ControlPlane& control_plane, const HttpRequest& request);

}  // namespace tailor::api
