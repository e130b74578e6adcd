#include "serve/exploration/exploration.h"

#include <gtest/gtest.h>

namespace tailor::serve {
namespace {

TEST(ExplorationTest, SlotsGrowWithTheWeightUpToHalf) {
  EXPECT_EQ(ExplorationSlots(25, 0), 0u);
  EXPECT_EQ(ExplorationSlots(25, 0.01), 1u);  // any positive weight explores
  EXPECT_EQ(ExplorationSlots(25, 0.3), 4u);
  EXPECT_EQ(ExplorationSlots(25, 1), 12u);
  EXPECT_EQ(ExplorationSlots(25, 7), 12u);  // clamped to 1
  EXPECT_EQ(ExplorationSlots(1, 1), 1u);
  EXPECT_EQ(ExplorationSlots(0, 1), 0u);
}

TEST(ExplorationTest, PositionsAreSpreadAndNeverFirst) {
  EXPECT_EQ(ExplorationPositions(10, 2), (std::vector<size_t>{3, 6}));
  EXPECT_EQ(ExplorationPositions(10, 1), (std::vector<size_t>{5}));
  EXPECT_EQ(ExplorationPositions(3, 5), (std::vector<size_t>{1, 2}));
  EXPECT_TRUE(ExplorationPositions(1, 1).empty());
  for (size_t n = 2; n < 60; ++n) {
    for (size_t s = 1; s < n; ++s) {
      auto p = ExplorationPositions(n, s);
      ASSERT_EQ(p.size(), s);
      for (size_t k = 0; k < p.size(); ++k) {
        EXPECT_GE(p[k], 1u);
        EXPECT_LT(p[k], n);
        if (k > 0) {
          EXPECT_GT(p[k], p[k - 1]);
        }
      }
    }
  }
}

}  // namespace
}  // namespace tailor::serve
