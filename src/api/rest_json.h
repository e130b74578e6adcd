// The frame every REST-JSON operation shares (personalize-runtime, personalize-events): the
// body parsed as a JSON object, the operation run on it, and its answer or failure encoded in
// the protocol's wire format.
// Thread-safety: safe to call concurrently.
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "api/control/json_reader.h"
#include "api/errors.h"
#include "api/http/http_server.h"
#include "common/status_or.h"

namespace tailor::api {

// Returns the operation's answer; a null json means an empty body (the events operations).
using RestJsonOperation = std::function<StatusOr<nlohmann::json>(JsonReader& request)>;

// A body that is not a JSON object is an InvalidInputException naming `operation`; a Status is
// turned into `protocol`'s wire error; an exception into InternalFailure (500).
HttpResponse RunRestJson(Protocol protocol, const char* operation, const HttpRequest& request,
                         const RestJsonOperation& op);

// An operation's answer on the wire: its JSON (no body when null) with a request id, or its
// Status as `protocol`'s wire error.
HttpResponse RestJsonResponse(Protocol protocol, const StatusOr<nlohmann::json>& result);

}  // namespace tailor::api
