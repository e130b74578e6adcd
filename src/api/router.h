// Router: the one route table of Tailor's port (style.md X6). Each route names the protocol
// that answers it:
//   GET  /healthz               200 once the server is ready
//   POST /                      control plane, AWS JSON 1.1; X-Amz-Target: AmazonPersonalize.<Op>
//   POST /recommendations       runtime GetRecommendations (REST-JSON)
//   POST /personalize-ranking   runtime GetPersonalizedRanking (REST-JSON)
//   POST /events, /items, /users  events PutEvents, PutItems, PutUsers     [reserved]
// Reserved routes answer a clear error naming the operation until their issue lands.
// Thread-safety: Handle may be called concurrently; the tables are read-only after construction.
#pragma once

#include "api/control/operations.h"
#include "api/http/http_server.h"
#include "core/control_plane.h"

namespace tailor::api {

class Router {
 public:
  // REQUIRES: control_plane outlives the router.
  explicit Router(core::ControlPlane* control_plane);

  HttpResponse Handle(const HttpRequest& request) const;

  // Whether answering `request` mostly waits on the disk (PutItems and PutUsers are
  // acknowledged only once durable), for HttpServerOptions::is_blocking.
  static bool WaitsOnDisk(const HttpRequest& request);

  // Whether HandleAsync answers `request` without holding the calling thread (PutEvents, which
  // is acknowledged once durable), for HttpServerOptions::is_async.
  static bool AnswersLater(const HttpRequest& request);
  // Answers `request` through `respond`: later for what AnswersLater selects, else at once
  // with Handle's answer.
  void HandleAsync(const HttpRequest& request, HttpResponder respond) const;

 private:
  HttpResponse HandleControlPlane(const HttpRequest& request) const;

  core::ControlPlane* const control_plane_;
  OperationTable operations_;
};

}  // namespace tailor::api
