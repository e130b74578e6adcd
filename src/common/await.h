// Await: the blocking form of a call that answers through a callback. The sync twins of the
// async paths (FileEventLog::AppendBatch, EventStream::Append, Router::Handle for /events)
// start the async call and wait here for its answer.
// Thread-safety: the callback may run on any thread, before or after `start` returns.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>

namespace tailor {

// Calls start(callback) and blocks until the callback has run once; returns what it was given.
// The callback signals under the mutex, so this frame (and its mutex and condition variable)
// cannot go while the callback still touches them.
template <typename T, typename Start>
T Await(Start&& start) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<T> answer;
  std::forward<Start>(start)([&](T value) {
    std::lock_guard lock(mu);
    answer.emplace(std::move(value));
    cv.notify_one();
  });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return answer.has_value(); });
  return std::move(*answer);
}

}  // namespace tailor
