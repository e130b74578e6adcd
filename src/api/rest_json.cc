#include "api/rest_json.h"

#include <exception>
#include <string>

#include <spdlog/spdlog.h>

namespace tailor::api {

using nlohmann::json;

HttpResponse RunRestJson(Protocol protocol, const char* operation, const HttpRequest& request,
                         const RestJsonOperation& op) {
  json body = request.body.empty() ? json::object()
                                   : json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return ErrorResponse(
        protocol, "InvalidInputException", 400,
        std::string("The request body of ") + operation + " is not a JSON object.");
  }
  try {
    JsonReader reader(body);
    return RestJsonResponse(protocol, op(reader));
  } catch (const std::exception& e) {
    spdlog::error("{} threw: {}", operation, e.what());
    return ErrorResponse(protocol, "InternalFailure", 500,
                         std::string("Internal error in ") + operation + ".");
  }
}

HttpResponse RestJsonResponse(Protocol protocol, const StatusOr<json>& result) {
  if (!result.ok()) return StatusResponse(protocol, result.status());
  HttpResponse response;
  response.content_type = "application/json";
  if (!result->is_null()) {
    response.body = result->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  response.headers.emplace_back("x-amzn-RequestId", NewRequestId());
  return response;
}

}  // namespace tailor::api
