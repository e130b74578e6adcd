#include "api/errors.h"

#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

namespace tailor::api {

WireError ToWireError(Status::Code code, Protocol protocol) {
  const bool control = protocol == Protocol::kControlPlane;
  using C = Status::Code;
  switch (code) {
    case C::kOk:  // not an error; callers never pass it, but answer something sane
    case C::kInternal:
      return {"InternalFailure", 500};
    case C::kInvalidInput:
    case C::kNotSupported:  // a capability this resource lacks is a wrong-input error (E6)
      return {"InvalidInputException", 400};
    case C::kNotFound:
      // 400 on the control plane, 404 on runtime and events (semantics §1.2).
      return {"ResourceNotFoundException", control ? 400 : 404};
    case C::kAlreadyExists:
      return {"ResourceAlreadyExistsException", 400};
    case C::kInUse:
      return {"ResourceInUseException", protocol == Protocol::kEvents ? 409 : 400};
    case C::kLimitExceeded:
      return {"LimitExceededException", 400};
    case C::kInvalidNextToken:
      return {"InvalidNextTokenException", 400};
    case C::kTooManyTags:
      return {"TooManyTagsException", 400};
    case C::kTooManyTagKeys:
      return {"TooManyTagKeysException", 400};
    case C::kUnavailable:
      return {"ServiceUnavailable", 503};
  }
  return {"InternalFailure", 500};
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  uint64_t a = rng(), b = rng();
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

HttpResponse ErrorResponse(Protocol protocol, std::string_view type, int http_status,
                           std::string_view message) {
  HttpResponse response;
  response.status = http_status;
  nlohmann::json body = {{"__type", type}, {"message", message}};
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (protocol == Protocol::kControlPlane) {
    response.content_type = "application/x-amz-json-1.1";
  } else {
    response.content_type = "application/json";
    response.headers.emplace_back("x-amzn-ErrorType", std::string(type));
  }
  response.headers.emplace_back("x-amzn-RequestId", NewRequestId());
  return response;
}

HttpResponse StatusResponse(Protocol protocol, const Status& status) {
  WireError wire = ToWireError(status.code(), protocol);
  return ErrorResponse(protocol, wire.type, wire.http_status, status.message());
}

}  // namespace tailor::api
