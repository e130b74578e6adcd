#include "core/job_runner.h"

#include <exception>

#include <spdlog/spdlog.h>

namespace tailor::core {

JobRunner::JobRunner(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
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
