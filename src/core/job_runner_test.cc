#include "core/job_runner.h"

#include <algorithm>
#include <atomic>
#include <cerrno>

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace tailor::core {
namespace {

// The calling thread's nice value (Linux keeps one per thread).
int ThreadNice() {
  errno = 0;
  return getpriority(PRIO_PROCESS, 0);
}

TEST(JobRunnerTest, JobThreadsRunAtTheLowerPriorityAsked) {
  const int here = ThreadNice();
  std::atomic<int> seen{-100}, plain{-100};
  {
    JobRunner lowered(1, 5);
    lowered.Submit([&] { seen = ThreadNice(); });
    lowered.WaitIdle();
    JobRunner normal(1);
    normal.Submit([&] { plain = ThreadNice(); });
    normal.WaitIdle();
  }
  EXPECT_EQ(seen.load(), std::min(19, here + 5));
  EXPECT_EQ(plain.load(), here);
  EXPECT_EQ(ThreadNice(), here);  // the submitting thread keeps its own
}

TEST(JobRunnerTest, RunsJobsAndWaitsForThem) {
  std::atomic<int> ran{0};
  JobRunner runner(2);
  for (int k = 0; k < 100; ++k) runner.Submit([&] { ++ran; });
  runner.WaitIdle();
  EXPECT_EQ(ran.load(), 100);
}

}  // namespace
}  // namespace tailor::core
