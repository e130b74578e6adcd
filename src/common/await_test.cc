#include "common/await.h"

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "common/status.h"

namespace tailor {
namespace {

TEST(AwaitTest, ReturnsWhatACallbackOnTheSameThreadGave) {
  int answer = Await<int>([](auto done) { done(42); });
  EXPECT_EQ(answer, 42);
}

TEST(AwaitTest, WaitsForACallbackFromAnotherThread) {
  std::thread worker;
  Status s = Await<Status>([&](auto done) {
    worker = std::thread([done] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      done(Status::Internal("disk full"));
    });
  });
  worker.join();
  EXPECT_TRUE(s.IsInternal());
  EXPECT_EQ(s.message(), "disk full");
}

TEST(AwaitTest, MovesAMoveOnlyAnswer) {
  auto answer = Await<std::unique_ptr<std::string>>(
      [](auto done) { done(std::make_unique<std::string>("x")); });
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(*answer, "x");
}

}  // namespace
}  // namespace tailor
