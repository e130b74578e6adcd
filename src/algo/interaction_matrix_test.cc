#include "algo/interaction_matrix.h"

#include <map>
#include <random>
#include <tuple>

#include <gtest/gtest.h>

namespace tailor::algo {
namespace {

TEST(InteractionMatrixTest, SumsDuplicatesAndKeepsLatestTimestamp) {
  Interactions d;
  d.num_users = 3;
  d.num_items = 4;
  d.Add(1, 3, 10, 1.0f);
  d.Add(1, 0, 20, 2.0f);
  d.Add(1, 3, 30, 0.5f);
  d.Add(0, 2, 5, 1.0f);
  auto m = BuildUserItemMatrix(d);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->nnz(), 3);
  EXPECT_EQ(m->row_size(0), 1);
  EXPECT_EQ(m->row_size(1), 2);
  EXPECT_EQ(m->row_size(2), 0);
  EXPECT_EQ(m->row_indices(1)[0], 0);
  EXPECT_EQ(m->row_indices(1)[1], 3);
  EXPECT_FLOAT_EQ(m->row_values(1)[1], 1.5f);
  EXPECT_EQ(m->row_timestamps(1)[1], 30);
  CsrMatrix t = Transpose(*m);
  EXPECT_EQ(t.num_rows, 4);
  EXPECT_EQ(t.row_size(3), 1);
  EXPECT_EQ(t.row_indices(3)[0], 1);
  EXPECT_FLOAT_EQ(t.row_values(3)[0], 1.5f);
  EXPECT_EQ(t.row_indices(2)[0], 0);
}

TEST(InteractionMatrixTest, EventTypesStayInStepWithTheEvents) {
  Interactions d;
  d.num_users = 1;
  d.num_items = 2;
  d.Add(0, 0, 1);
  d.SetLastEventType(0);
  EXPECT_TRUE(d.event_type.empty()) << "type 0 everywhere needs no column";
  d.Add(0, 1, 2);
  d.SetLastEventType(3);
  d.Add(0, 0, 3);
  EXPECT_EQ(d.event_type, (std::vector<uint8_t>{0, 3, 0}));
  EXPECT_EQ(d.event_type_at(1), 3);
  EXPECT_TRUE(d.Validate().ok());
  d.event_type.pop_back();
  EXPECT_TRUE(d.Validate().IsInvalidInput());
}

TEST(InteractionMatrixTest, RejectsOutOfRangeIndexNamingTheRow) {
  Interactions d;
  d.num_users = 1;
  d.num_items = 1;
  d.Add(0, 0, 0);
  d.Add(0, 1, 0);
  auto m = BuildUserItemMatrix(d);
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(m.status().IsInvalidInput());
  EXPECT_NE(m.status().message().find("interaction 1"), std::string::npos);
}

TEST(InteractionMatrixTest, DecaysByRowRecency) {
  Interactions d;
  d.num_users = 1;
  d.num_items = 3;
  d.Add(0, 0, 100);
  d.Add(0, 1, 200);
  d.Add(0, 2, 300);
  MatrixBuildOptions o;
  o.half_life_seconds = 100;
  auto m = BuildUserItemMatrix(d, o);
  ASSERT_TRUE(m.ok());
  EXPECT_FLOAT_EQ(m->values[0], 0.25f);
  EXPECT_FLOAT_EQ(m->values[1], 0.5f);
  EXPECT_FLOAT_EQ(m->values[2], 1.0f);
  o.half_life_seconds = 0;
  o.half_life_events = 1;
  m = BuildUserItemMatrix(d, o);
  ASSERT_TRUE(m.ok());
  EXPECT_FLOAT_EQ(m->values[0], 0.25f);
  EXPECT_FLOAT_EQ(m->values[2], 1.0f);
}

// The parallel build equals a map-based reference on random data.
TEST(InteractionMatrixTest, ParallelBuildMatchesReference) {
  std::mt19937 rng(3);
  Interactions d;
  d.num_users = 500;
  d.num_items = 50;
  std::map<std::pair<int, int>, std::pair<float, int64_t>> ref;
  for (int i = 0; i < 20000; ++i) {
    int u = rng() % d.num_users, it = rng() % d.num_items;
    int64_t ts = rng() % 1000;
    float w = static_cast<float>(rng() % 4);
    d.Add(u, it, ts, w);
    auto& e = ref[{u, it}];
    e.first += w;
    e.second = std::max(e.second, ts);
  }
  MatrixBuildOptions o;
  o.num_threads = 4;
  auto m = BuildUserItemMatrix(d, o);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->nnz(), static_cast<int64_t>(ref.size()));
  auto it = ref.begin();
  for (int u = 0; u < d.num_users; ++u) {
    for (int64_t k = m->indptr[u]; k < m->indptr[u + 1]; ++k, ++it) {
      EXPECT_EQ(it->first.first, u);
      EXPECT_EQ(it->first.second, m->indices[k]);
      EXPECT_FLOAT_EQ(it->second.first, m->values[k]);
      EXPECT_EQ(it->second.second, m->last_timestamp[k]);
    }
  }
}

}  // namespace
}  // namespace tailor::algo
