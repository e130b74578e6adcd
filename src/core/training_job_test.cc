#include "core/training_job.h"

#include <cmath>

#include <gtest/gtest.h>

namespace tailor::core {
namespace {

// Four events: a click of value 1, a click of value 3, a purchase of value 2, a view.
data::InteractionTable FourEvents() {
  data::InteractionTable t;
  t.user_ids = {"u0", "u1"};
  t.item_ids = {"i0", "i1", "i2"};
  t.event_types = {"click", "purchase", "view"};
  t.users = {0, 0, 1, 1};
  t.items = {0, 1, 2, 0};
  t.timestamps = {10, 20, 30, 40};
  t.event_type_per_row = {0, 0, 1, 2};
  t.event_values = {1, 3, 2, NAN};
  return t;
}

TEST(SelectEventsTest, WithoutEventsConfigEveryEventWeighsOne) {
  auto s = SelectEvents(FourEvents(), "", "", {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->data.size(), 4u);
  for (size_t e = 0; e < s->data.size(); ++e) EXPECT_EQ(s->data.weight_at(e), 1.0f);
}

TEST(SelectEventsTest, EventsConfigKeepsListedTypesWithTheirThresholdsAndWeights) {
  std::vector<EventParameters> params = {{.event_type = "click",
                                          .has_event_value_threshold = true,
                                          .event_value_threshold = 2,
                                          .weight = 0.25},
                                         {.event_type = "purchase", .weight = 1}};
  auto s = SelectEvents(FourEvents(), "", "", params);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  // The click of value 1 is under its threshold and the view is not listed.
  ASSERT_EQ(s->data.size(), 2u);
  EXPECT_EQ(s->item_ids, (std::vector<std::string>{"i1", "i2"}));
  EXPECT_FLOAT_EQ(s->data.weight_at(0), 0.25f);
  EXPECT_FLOAT_EQ(s->data.weight_at(1), 1.0f);

  // A weight of 0 takes the type out.
  params[1].weight = 0;
  s = SelectEvents(FourEvents(), "", "", params);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->data.size(), 1u);
}

TEST(SelectEventsTest, EventsConfigErrorsNameTheProblem) {
  auto unknown = SelectEvents(FourEvents(), "", "", {{.event_type = "share"}});
  EXPECT_TRUE(unknown.status().IsInvalidInput());
  EXPECT_NE(unknown.status().message().find("'share'"), std::string::npos);
  data::InteractionTable no_types = FourEvents();
  no_types.event_type_per_row.clear();
  auto s = SelectEvents(no_types, "", "", {{.event_type = "click"}});
  EXPECT_TRUE(s.status().IsInvalidInput());
  EXPECT_NE(s.status().message().find("EVENT_TYPE"), std::string::npos);
}

}  // namespace
}  // namespace tailor::core
