#include "core/job_runner.h"

#include <cerrno>
#include <cstring>
#include <exception>

#include <spdlog/spdlog.h>
#include <unistd.h>

namespace tailor::core {

JobRunner::JobRunner(int threads, int nice_increment) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this, nice_increment] {
      // A failure (a container that forbids it) only leaves the thread at the normal priority.
      // nice() may return -1 on success, so errno tells.
      errno = 0;
      if (nice_increment != 0 && ::nice(nice_increment) == -1 && errno != 0) {
        spdlog::warn("job thread: cannot lower its priority: {}", std::strerror(errno));
      }
      Loop();
    });
  }
}

JobRunner::~JobRunner() { Shutdown(); }

void JobRunner::Submit(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void JobRunner::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  idle_cv_.notify_all();
}

void JobRunner::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [this] { return (queue_.empty() && running_ == 0) || stopping_; });
}

void JobRunner::Loop() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    // Jobs record their own failures; this catch-all only keeps a bug from killing the thread
    // (style.md E4).
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("job threw: {}", e.what());
    } catch (...) {
      spdlog::error("job threw an unknown exception");
    }
    {
      std::lock_guard lock(mu_);
      --running_;
    }
    idle_cv_.notify_all();
  }
}

}  // namespace tailor::core
