// The runtime's REST-JSON operations (personalize-runtime): POST /recommendations
// (GetRecommendations) and POST /personalize-ranking (GetPersonalizedRanking). Each decodes the
// JSON body, asks core::ControlPlane and encodes the answer; errors use the runtime's wire
// table (ResourceNotFoundException is 404 here).
// Thread-safety: the functions are safe to call concurrently.
#pragma once

#include "api/http/http_server.h"
#include "core/control_plane.h"

namespace tailor::api {

HttpResponse HandleGetRecommendations(core::ControlPlane& control_plane,
                                      const HttpRequest& request);
HttpResponse HandleGetPersonalizedRanking(core::ControlPlane& control_plane,
                                          const HttpRequest& request);

}  // namespace tailor::api
