// The control-plane operation table: X-Amz-Target operation name → a function that decodes the
// request from the wire, calls core::ControlPlane and encodes the answer. One file per resource
// family adds its operations. AWS wire names live only here (style.md N6).
// Thread-safety: the table is built once at start-up and then only read.
#pragma once

#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "api/control/json_reader.h"
#include "common/status_or.h"
#include "core/control_plane.h"

namespace tailor::api {

// What a request carries besides its body.
struct CallContext {
  std::string region;  // from the SigV4 credential scope; "" when the request is unsigned
};

// Extracts the region of "AWS4-HMAC-SHA256 Credential=AKID/20261124/eu-west-1/personalize/
// aws4_request, ..."; "" when the header has no such scope.
std::string RegionFromAuthorization(std::string_view authorization);

using ControlOperation = std::function<StatusOr<nlohmann::json>(
    core::ControlPlane& control_plane, const CallContext& call, JsonReader& request)>;
using OperationTable = std::map<std::string, ControlOperation, std::less<>>;

void AddDatasetGroupOperations(OperationTable* table);
void AddSchemaOperations(OperationTable* table);
void AddDatasetOperations(OperationTable* table);
void AddDatasetImportJobOperations(OperationTable* table);
void AddTagOperations(OperationTable* table);
void AddRecipeOperations(OperationTable* table);
void AddSolutionOperations(OperationTable* table);
void AddCampaignOperations(OperationTable* table);
void AddFilterOperations(OperationTable* table);
void AddEventTrackerOperations(OperationTable* table);

// Wire timestamps are epoch seconds with a fraction (semantics §1.1).
inline double WireTime(int64_t micros) { return static_cast<double>(micros) / 1e6; }

// Reads maxResults (1..100, default 100) and nextToken; lists the caller's region.
inline core::PageRequest ReadPageRequest(const CallContext& call, JsonReader& request) {
  core::PageRequest page;
  page.region = call.region;
  page.max_results = request.Int("maxResults", 100);
  page.next_token = request.String("nextToken");
  if (page.next_token.size() > 1500) {
    page.next_token = "#invalid";  // longer than the model allows: no token of ours
  }
  return page;
}

// Adds "nextToken" when there is one (absent members are left out, never null).
inline void AddNextToken(nlohmann::json* out, const std::string& token) {
  if (!token.empty()) (*out)["nextToken"] = token;
}

// Sets out[key] = value unless value is empty.
inline void SetIfNotEmpty(nlohmann::json* out, const char* key, const std::string& value) {
  if (!value.empty()) (*out)[key] = value;
}

}  // namespace tailor::api
