// ParallelFor: runs a loop body over [begin, end) on a few std::threads, handing out chunks from
// an atomic counter so uneven rows (long user histories) balance themselves. Training kernels
// use it instead of OpenMP so the thread count is an explicit parameter (TrainContext).
// Thread-safety: the body runs concurrently on distinct indices; it must not race on shared
// state except through its own synchronisation.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace tailor::algo {

// Calls body(thread_index, i) for every i in [begin, end). thread_index is in [0, num_threads),
// so callers can keep per-thread scratch. num_threads <= 1 runs inline on the caller's thread.
template <typename Body>
void ParallelFor(int64_t begin, int64_t end, int num_threads, Body&& body, int64_t chunk = 64) {
  if (end <= begin) return;
  num_threads = static_cast<int>(std::min<int64_t>(std::max(num_threads, 1), end - begin));
  if (num_threads <= 1) {
    for (int64_t i = begin; i < end; ++i) body(0, i);
    return;
  }
  std::atomic<int64_t> next{begin};
  auto worker = [&](int t) {
    for (;;) {
      int64_t lo = next.fetch_add(chunk, std::memory_order_relaxed);
      if (lo >= end) return;
      int64_t hi = std::min(end, lo + chunk);
      for (int64_t i = lo; i < hi; ++i) body(t, i);
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(num_threads - 1);
  for (int t = 1; t < num_threads; ++t) threads.emplace_back(worker, t);
  worker(0);
  for (auto& th : threads) th.join();
}

// The default number of training threads: the hardware concurrency, at least 1.
inline int DefaultNumThreads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace tailor::algo
