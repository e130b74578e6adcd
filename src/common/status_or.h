// StatusOr<T>: either a value or the non-OK Status that explains its absence. A stand-in for
// std::expected (C++23), which GCC 12 lacks in C++20 mode.
// Thread-safety: a value type; distinct objects may be used from different threads.
#pragma once

#include <utility>
#include <variant>

#include "common/check.h"
#include "common/status.h"

namespace tailor {

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  // REQUIRES: !status.ok(); an OK status without a value is a programming error.
  StatusOr(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    TAILOR_CHECK(!std::get<Status>(v_).ok());
  }
  StatusOr(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  template <typename U, typename = std::enable_if_t<std::is_convertible_v<U&&, T> &&
                                                    !std::is_same_v<std::decay_t<U>, Status> &&
                                                    !std::is_same_v<std::decay_t<U>, StatusOr>>>
  StatusOr(U&& value) : v_(T(std::forward<U>(value))) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const& { return ok() ? Status::OK() : std::get<Status>(v_); }
  Status status() && { return ok() ? Status::OK() : std::move(std::get<Status>(v_)); }

  // REQUIRES: ok().
  const T& value() const& {
    TAILOR_CHECK(ok());
    return std::get<T>(v_);
  }
  T& value() & {
    TAILOR_CHECK(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    TAILOR_CHECK(ok());
    return std::move(std::get<T>(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace tailor
