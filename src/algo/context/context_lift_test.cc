#include "algo/context/context_lift.h"

#include <cstring>

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
  const double m = lift.prior_events(column), p = 11.0 / 22;
  // (n(v,i) + m P(v)) / ((n(i) + m) P(v)).
  EXPECT_NEAR(lift.Lift({&mobile, 1}, 0), (8 + m * p) / ((10 + m) * p), 1e-9);
  EXPECT_NEAR(lift.Lift({&mobile, 1}, 1), (2 + m * p) / ((10 + m) * p), 1e-9);
  EXPECT_NEAR(lift.Lift({&mobile, 1}, 2), (1 + m * p) / ((2 + m) * p), 1e-9);
  EXPECT_GT(lift.Lift({&mobile, 1}, 0), 1.0);
  EXPECT_LT(lift.Lift({&mobile, 1}, 1), 1.0);
  // The rarely seen item stays near 1.
  EXPECT_LT(std::abs(lift.Lift({&mobile, 1}, 2) - 1), std::abs(lift.Lift({&mobile, 1}, 0) - 1));
}

// Leave-one-out, on items 0 and 1 (10 events each): an event's value is predicted from the
// item's other 9 events by (n(v, i) − 1 + m/2) / (9 + m). Where the value follows the item
// (9 of 10 events of item 0 mobile, of item 1 desktop) a small m predicts best; where it does
// not (5 and 5 on each) the counts are noise and the largest m of the grid wins.
TEST(ContextLiftTest, PriorEventsAreFittedToHowMuchTheValueDependsOnTheItem) {
  auto lift_of = [](int same) {
    std::vector<int32_t> items;
    std::vector<uint32_t> values;
    for (int32_t item : {0, 1}) {
      for (int k = 0; k < 10; ++k) {
        items.push_back(item);
        values.push_back(static_cast<uint32_t>(k < same ? item : 1 - item));
      }
    }
    std::vector<std::string> names = {"mobile", "desktop"};
    ContextLift::ColumnInput device{"DEVICE", names, values};
    return ContextLift::Build(2, items, {&device, 1});
  };
  const ContextLift telling = lift_of(9), noise = lift_of(5);
  EXPECT_LE(telling.prior_events(0), 2.0);
  EXPECT_EQ(noise.prior_events(0), 5000.0);
  const ContextLift::Condition mobile = telling.Find(0, "mobile");
  EXPECT_GT(telling.Lift({&mobile, 1}, 0), 1.5);
  const ContextLift::Condition noisy_mobile = noise.Find(0, "mobile");
  EXPECT_NEAR(noise.Lift({&noisy_mobile, 1}, 0), 1.0, 1e-9);
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
  EXPECT_EQ(loaded.prior_events(0), lift.prior_events(0));
  // Bytes saved before the prior was fitted (no trailing prior) load with kPriorEvents.
  ContextLift older;
  ByteReader older_reader(std::string_view(bytes).substr(0, bytes.size() - sizeof(double)));
  ASSERT_TRUE(older.Load(older_reader).ok());
  EXPECT_EQ(older.prior_events(0), ContextLift::kPriorEvents);
  // A prior that is not a positive number is refused.
  std::string bad = bytes;
  const double negative = -1;
  std::memcpy(bad.data() + bad.size() - sizeof(double), &negative, sizeof(double));
  ContextLift refused;
  ByteReader bad_reader(bad);
  EXPECT_TRUE(refused.Load(bad_reader).IsInternal());
  ContextLift truncated;
  ByteReader short_reader(std::string_view(bytes).substr(0, bytes.size() - 3));
  EXPECT_TRUE(truncated.Load(short_reader).IsInternal());
}

}  // namespace
}  // namespace tailor::algo
