// JobRunner: a small fixed pool of threads that runs the control plane's asynchronous work
// (status transitions, imports, training, model loads) in submission order per thread, so API
// calls return at once. Its threads can run at a lower priority (a higher nice value; threads
// they start inherit it), so that on a busy machine requests are answered first.
// Thread-safety: Submit and Shutdown may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tailor::core {

class JobRunner {
 public:
  // nice_increment: added to each thread's nice value (Linux keeps one per thread); 0 = none.
  explicit JobRunner(int threads, int nice_increment = 0);
  ~JobRunner();  // calls Shutdown()

  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Queues `job`. Jobs submitted after Shutdown are dropped (the catalog keeps their records
  // PENDING, and the next start resumes them).
  void Submit(std::function<void()> job);

  // Runs the jobs already running to completion, drops the queued ones and joins the threads.
  // Idempotent.
  void Shutdown();

  // Blocks until the queue is empty and no job is running. For tests and the quickstart.
  void WaitIdle();

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  // Protected by mu_.
  std::deque<std::function<void()>> queue_;
  int running_ = 0;
  bool stopping_ = false;

  std::vector<std::thread> threads_;
};

}  // namespace tailor::core
