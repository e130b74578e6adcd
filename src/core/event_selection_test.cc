#include "core/event_selection.h"

#include <gtest/gtest.h>

namespace tailor::core {
namespace {

TEST(EventSelectionTest, EveryEventWithoutRules) {
  EventSelection all;
  EXPECT_TRUE(all.Selects("click", NAN));
  EXPECT_TRUE(all.Selects("", 3));
}

TEST(EventSelectionTest, EventTypeAndThreshold) {
  SolutionConfig config;
  config.event_value_threshold = "2.5";
  EventSelection s("watch", config);
  EXPECT_TRUE(s.Selects("watch", 2.5f));
  EXPECT_FALSE(s.Selects("watch", 2.4f));
  EXPECT_FALSE(s.Selects("watch", NAN));  // no value fails a threshold
  EXPECT_FALSE(s.Selects("click", 5));
}

TEST(EventSelectionTest, EventsConfigListsTypesWithTheirOwnThresholds) {
  SolutionConfig config;
  config.event_parameters = {
      {"click", false, 0, 0.5}, {"purchase", true, 10, 1}, {"view", false, 0, 0}};
  EventSelection s("", config);
  EXPECT_TRUE(s.Selects("click", NAN));
  EXPECT_TRUE(s.Selects("purchase", 10));
  EXPECT_FALSE(s.Selects("purchase", 9.99f));
  EXPECT_FALSE(s.Selects("view", 1));  // weight 0
  EXPECT_FALSE(s.Selects("cart", 1));  // not listed
}

}  // namespace
}  // namespace tailor::core
