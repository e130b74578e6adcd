#include "api/router.h"

#include <exception>

#include <spdlog/spdlog.h>

#include "api/errors.h"
#include "api/events/event_ops.h"
#include "api/runtime/runtime_ops.h"
#include "common/await.h"

namespace tailor::api {
namespace {

constexpr std::string_view kTargetPrefix = "AmazonPersonalize.";

struct ReservedRoute {
  std::string_view path;
  Protocol protocol;
  std::string_view operation;
};

constexpr ReservedRoute kReservedRoutes[] = {
    {"/action-recommendations", Protocol::kRuntime, "GetActionRecommendations"},
};

HttpResponse JsonResponse(const nlohmann::json& body) {
  HttpResponse response;
  response.content_type = "application/x-amz-json-1.1";
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.headers.emplace_back("x-amzn-RequestId", NewRequestId());
  return response;
}

}  // namespace

std::string RegionFromAuthorization(std::string_view authorization) {
  // Credential=<key id>/<date>/<region>/<service>/aws4_request
  size_t at = authorization.find("Credential=");
  if (at == std::string_view::npos) return "";
  std::string_view scope = authorization.substr(at + 11);
  scope = scope.substr(0, scope.find_first_of(", "));
  std::string_view parts[5];
  for (auto& part : parts) {
    size_t slash = scope.find('/');
    part = scope.substr(0, slash);
    scope = slash == std::string_view::npos ? std::string_view() : scope.substr(slash + 1);
  }
  std::string_view region = parts[2];
  if (parts[4] != "aws4_request" || region.empty() || region.size() > 32) return "";
  for (char c : region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return "";
  }
  return std::string(region);
}

Router::Router(core::ControlPlane* control_plane) : control_plane_(control_plane) {
  AddDatasetGroupOperations(&operations_);
  AddSchemaOperations(&operations_);
  AddDatasetOperations(&operations_);
  AddDatasetImportJobOperations(&operations_);
  AddTagOperations(&operations_);
  AddRecipeOperations(&operations_);
  AddSolutionOperations(&operations_);
  AddCampaignOperations(&operations_);
  AddFilterOperations(&operations_);
  AddEventTrackerOperations(&operations_);
}

bool Router::WaitsOnDisk(const HttpRequest& request) {
  const std::string_view path = request.Path();
  return path == "/items" || path == "/users";
}

bool Router::AnswersLater(const HttpRequest& request) {
  return request.method == "POST" && request.Path() == "/events";
}

void Router::HandleAsync(const HttpRequest& request, HttpResponder respond) const {
  if (AnswersLater(request)) return HandlePutEvents(*control_plane_, request, std::move(respond));
  respond(Handle(request));
}

HttpResponse Router::Handle(const HttpRequest& request) const {
  std::string_view path = request.Path();
  if (path == "/healthz" && (request.method == "GET" || request.method == "HEAD")) {
    HttpResponse response;
    response.body = R"({"status":"ok"})";
    return response;
  }
  if (path == "/") {
    if (request.method != "POST") {
      return ErrorResponse(Protocol::kControlPlane, "UnknownOperationException", 400,
                           "The control plane answers POST / only; got " + request.method + ".");
    }
    return HandleControlPlane(request);
  }
  if (path == "/recommendations" || path == "/personalize-ranking") {
    if (request.method != "POST") {
      return ErrorResponse(Protocol::kRuntime, "UnknownOperationException", 404,
                           "The runtime answers POST " + std::string(path) + " only.");
    }
    return path == "/recommendations" ? HandleGetRecommendations(*control_plane_, request)
                                      : HandleGetPersonalizedRanking(*control_plane_, request);
  }
  if (path == "/events" || path == "/items" || path == "/users") {
    if (request.method != "POST") {
      return ErrorResponse(Protocol::kEvents, "UnknownOperationException", 404,
                           "The events API answers POST " + std::string(path) + " only.");
    }
    if (path == "/events") {
      // Waits here for what the server's async path answers without holding a thread.
      return Await<HttpResponse>(
          [&](auto done) { HandlePutEvents(*control_plane_, request, std::move(done)); });
    }
    return path == "/items" ? HandlePutItems(*control_plane_, request)
                            : HandlePutUsers(*control_plane_, request);
  }
  for (const auto& route : kReservedRoutes) {
    if (path == route.path) {
      return ErrorResponse(
          route.protocol, "InvalidInputException", 400,
          std::string(route.operation) + " is not available in this version of Tailor yet.");
    }
  }
  return ErrorResponse(Protocol::kRuntime, "UnknownOperationException", 404,
                       "No route for " + request.method + " " + std::string(path) + ".");
}

HttpResponse Router::HandleControlPlane(const HttpRequest& request) const {
  std::string_view target = request.Header("x-amz-target");
  if (target.substr(0, kTargetPrefix.size()) != kTargetPrefix) {
    return ErrorResponse(Protocol::kControlPlane, "UnknownOperationException", 400,
                         target.empty() ? std::string("The X-Amz-Target header is missing.")
                                        : "Unknown X-Amz-Target '" + std::string(target) + "'.");
  }
  std::string_view operation_name = target.substr(kTargetPrefix.size());
  auto op = operations_.find(operation_name);
  if (op == operations_.end()) {
    return ErrorResponse(Protocol::kControlPlane, "UnknownOperationException", 400,
                         "Operation " + std::string(operation_name) +
                             " is not supported by this version of Tailor.");
  }
  nlohmann::json body = request.body.empty() ? nlohmann::json::object()
                                             : nlohmann::json::parse(request.body, nullptr,
                                                                     /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return ErrorResponse(
        Protocol::kControlPlane, "SerializationException", 400,
        "The request body of " + std::string(operation_name) + " is not a JSON object.");
  }
  try {
    JsonReader reader(body);
    CallContext call;
    call.region = RegionFromAuthorization(request.Header("authorization"));
    StatusOr<nlohmann::json> result = op->second(*control_plane_, call, reader);
    if (!result.ok()) {
      spdlog::debug("{} -> {}", operation_name, result.status().ToString());
      return StatusResponse(Protocol::kControlPlane, result.status());
    }
    return JsonResponse(*result);
  } catch (const std::exception& e) {
    spdlog::error("{} threw: {}", operation_name, e.what());
    return ErrorResponse(Protocol::kControlPlane, "InternalFailure", 500,
                         "Internal error in " + std::string(operation_name) + ".");
  }
}

}  // namespace tailor::api
