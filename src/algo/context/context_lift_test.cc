#include "algo/context/context_lift.h"

#include <gtest/gtest.h>

#include "algo/model_io.h"

namespace tailor::algo {
namespace {

// 3 items. Item 0: 8 mobile events, 2 desktop; item 1: 2 mobile, 8 desktop; item 2: 1 of
// each plus one event without a DEVICE. 22 events with a device: 11 mobile, 11 desktop.
struct Fixture {
  std::vector<int32_t> items;
  std::vector<std::string> device_values = {"mobile", "desktop"};
  std::vector<uint32_t> device_per_row;
  ContextLift::ColumnInput device;
  Fixture() {
    auto add = [&](int32_t item, uint32_t value, int n) {
      for (int k = 0; k < n; ++k) {
        items.push_back(item);
        device_per_row.push_back(value);
      }
    };
    add(0, 0, 8);
    add(0, 1, 2);
    add(1, 0, 2);
    add(1, 1, 8);
    add(2, 0, 1);
    add(2, 1, 1);
    add(2, ContextLift::kNoValue, 1);
    add(-1, 0, 5);  // an item the model does not know: not counted
    device = {"DEVICE", device_values, device_per_row};
  }
};

TEST(ContextLiftTest, LiftIsTheSmoothedRatioOfTheItemsShareToTheValuesShare) {
  Fixture f;
  ContextLift lift = ContextLift::Build(3, f.items, std::vector{f.device});
  ASSERT_FALSE(lift.empty());
  const int32_t column = lift.FindColumn("device");  // names match ignoring case
  ASSERT_EQ(column, 0);
  const ContextLift::Condition mobile = lift.Find(column, "mobile");
  const double m = ContextLift::kPriorEvents, p = 11.0 / 22;
  // (n(v,i) + m P(v)) / ((n(i) + m) P(v)).
  EXPECT_NEAR(lift.Lift({&mobile, 1}, 0), (8 + m * p) / ((10 + m) * p), 1e-9);
  EXPECT_NEAR(lift.Lift({&mobile, 1}, 1), (2 + m * p) / ((10 + m) * p), 1e-9);
  EXPECT_NEAR(lift.Lift({&mobile, 1}, 2), (1 + m * p) / ((2 + m) * p), 1e-9);
  EXPECT_GT(lift.Lift({&mobile, 1}, 0), 1.0);
  EXPECT_LT(lift.Lift({&mobile, 1}, 1), 1.0);
  // The rarely seen item stays near 1.
  EXPECT_LT(std::abs(lift.Lift({&mobile, 1}, 2) - 1), std::abs(lift.Lift({&mobile, 1}, 0) - 1));
}

TEST(ContextLiftTest, UnknownValuesAndColumnsCarryNoInformation) {
  Fixture f;
  ContextLift lift = ContextLift::Build(3, f.items, std::vector{f.device});
  EXPECT_EQ(lift.FindColumn("LOCATION"), -1);
  const ContextLift::Condition tablet = lift.Find(0, "tablet");
  EXPECT_LT(tablet.value, 0);
  for (int32_t i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(lift.Lift({&tablet, 1}, i), 1.0);
  // A column without any value tells nothing and is not kept.
  std::vector<std::string> x = {"x"};
  std::vector<uint32_t> none(f.items.size(), ContextLift::kNoValue);
  ContextLift::ColumnInput empty{"EMPTY", x, none};
  EXPECT_TRUE(ContextLift::Build(3, f.items, std::vector{empty}).empty());
}

TEST(ContextLiftTest, SeveralConditionsMultiply) {
  Fixture f;
  std::vector<std::string> hours = {"day", "night"};
  std::vector<uint32_t> hour_per_row;
  for (size_t r = 0; r < f.items.size(); ++r) hour_per_row.push_back(r % 2);
  ContextLift::ColumnInput hour{"HOUR", hours, hour_per_row};
  ContextLift lift = ContextLift::Build(3, f.items, std::vector{f.device, hour});
  std::vector<ContextLift::Condition> both = {lift.Find(0, "desktop"), lift.Find(1, "night")};
  for (int32_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(lift.Lift(both, i), lift.Lift({&both[0], 1}, i) * lift.Lift({&both[1], 1}, i),
                1e-12);
  }
}

TEST(ContextLiftTest, SavesAndLoadsAndRefusesCorruptBytes) {
  Fixture f;
  ContextLift lift = ContextLift::Build(3, f.items, std::vector{f.device});
  std::string bytes;
  ByteWriter w(&bytes);
  lift.Save(w);
  ContextLift loaded;
  ByteReader r(bytes);
  ASSERT_TRUE(loaded.Load(r).ok());
  EXPECT_EQ(loaded.ColumnNames(), std::vector<std::string>{"DEVICE"});
  const ContextLift::Condition a = lift.Find(0, "desktop"), b = loaded.Find(0, "desktop");
  for (int32_t i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(loaded.Lift({&b, 1}, i), lift.Lift({&a, 1}, i));
  ContextLift truncated;
  ByteReader short_reader(std::string_view(bytes).substr(0, bytes.size() - 3));
  EXPECT_TRUE(truncated.Load(short_reader).IsInternal());
}

}  // namespace
}  // namespace tailor::algo
