// The one table that turns a Status into a wire error per protocol (style.md E3): the AWS
// error type (`__type`) and HTTP status botocore maps to the right exception class
// (personalize-semantics.md §1.2).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "api/http/http_server.h"
#include "common/status.h"

namespace tailor::api {

enum class Protocol {
  kControlPlane,  // AWS JSON 1.1, POST / with X-Amz-Target
  kRuntime,       // REST-JSON, personalize-runtime
  kEvents,        // REST-JSON, personalize-events
};

struct WireError {
  const char* type;  // e.g. "ResourceNotFoundException"
  int http_status;
};

WireError ToWireError(Status::Code code, Protocol protocol);

// A response carrying {"__type": type, "message": message} (and x-amzn-ErrorType for REST-JSON).
HttpResponse ErrorResponse(Protocol protocol, std::string_view type, int http_status,
                           std::string_view message);

// ErrorResponse for a non-OK Status, through ToWireError.
HttpResponse StatusResponse(Protocol protocol, const Status& status);

// A fresh request id for x-amzn-RequestId.
std::string NewRequestId();

}  // namespace tailor::api
