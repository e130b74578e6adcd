#include "algo/user_personalization/sequence_neighbors.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include <gtest/gtest.h>

namespace tailor::algo {
namespace {

UserHistory Rows(const std::vector<std::vector<int32_t>>& rows) {
  UserHistory h;
  for (const auto& row : rows) {
    h.items.insert(h.items.end(), row.begin(), row.end());
    h.indptr.push_back(static_cast<int64_t>(h.items.size()));
  }
  return h;
}

// The summed votes, one entry per item voted for, in the order of its first vote.
std::vector<ScoredItem> Votes(const SequenceNeighbors& n, std::span<const int32_t> recent,
                              int32_t skip_user, const UserHistory& h, const NeighborOptions& o) {
  std::vector<ScoredItem> votes;
  n.Score(recent, skip_user, h, o, [&](int32_t j, float s) {
    auto it =
        std::find_if(votes.begin(), votes.end(), [&](const ScoredItem& v) { return v.item == j; });
    if (it == votes.end()) {
      votes.push_back({j, s});
    } else {
      it->score += s;
    }
  });
  return votes;
}

float VoteFor(const std::vector<ScoredItem>& votes, int32_t item) {
  auto it =
      std::find_if(votes.begin(), votes.end(), [&](const ScoredItem& s) { return s.item == item; });
  return it == votes.end() ? 0.0f : it->score;
}

// User 0 had 1, 2, 3, 4, 5; the query's newest item is 3. Its neighbour votes for the items on
// both sides of its 3, the nearest most: 2 and 4 get 2^0, 1 and 5 get 2^(−1/half-life). User 1,
// who never had 3, does not vote.
TEST(SequenceNeighborsTest, NeighbourVotesAroundItsMatchNearestFirst) {
  const UserHistory h = Rows({{1, 2, 3, 4, 5}, {6, 7}});
  const SequenceNeighbors n = SequenceNeighbors::Build(h, std::vector<int64_t>{10, 20}, 8);
  NeighborOptions o;
  o.window = 2;
  o.window_half_life = 1;
  const std::vector<int32_t> recent = {3};
  std::vector<ScoredItem> votes = Votes(n, recent, -1, h, o);
  EXPECT_FLOAT_EQ(VoteFor(votes, 2), 1.0f);
  EXPECT_FLOAT_EQ(VoteFor(votes, 4), 1.0f);
  EXPECT_FLOAT_EQ(VoteFor(votes, 1), 0.5f);
  EXPECT_FLOAT_EQ(VoteFor(votes, 5), 0.5f);
  EXPECT_FLOAT_EQ(VoteFor(votes, 6), 0.0f);
  EXPECT_FLOAT_EQ(VoteFor(votes, 7), 0.0f);
  EXPECT_EQ(votes.size(), 4u);
}

// Two users had the query's newest item 1; only user 1 also had its second newest, 2. With one
// neighbour voting, it is user 1, whose weight is 1 + 2^(−1/half-life), and who votes for its
// items after its match on 1 (the newest shared item), not after 2.
TEST(SequenceNeighborsTest, NeighboursSharingMoreRecentItemsWin) {
  const UserHistory h = Rows({{1, 8}, {2, 5, 1, 9}});
  const SequenceNeighbors n = SequenceNeighbors::Build(h, std::vector<int64_t>{10, 20}, 10);
  NeighborOptions o;
  o.count = 1;
  o.window = 1;
  o.half_life = 1;
  const std::vector<int32_t> recent = {1, 2};
  std::vector<ScoredItem> votes = Votes(n, recent, -1, h, o);
  EXPECT_FLOAT_EQ(VoteFor(votes, 9), 1.5f);
  EXPECT_FLOAT_EQ(VoteFor(votes, 5), 1.5f);
  EXPECT_FLOAT_EQ(VoteFor(votes, 8), 0.0f);  // user 0 is not among the neighbours
  // Only the newest `history` items find neighbours: with 1, the two users tie and the lower
  // index wins.
  o.history = 1;
  votes = Votes(n, recent, -1, h, o);
  EXPECT_FLOAT_EQ(VoteFor(votes, 8), 1.0f);
  EXPECT_FLOAT_EQ(VoteFor(votes, 9), 0.0f);
}

// A training user asking is not its own neighbour.
TEST(SequenceNeighborsTest, SkipsTheAskingUser) {
  const UserHistory h = Rows({{1, 2}, {1, 3}});
  const SequenceNeighbors n = SequenceNeighbors::Build(h, std::vector<int64_t>{10, 20}, 4);
  const std::vector<int32_t> recent = {1};
  std::vector<ScoredItem> votes = Votes(n, recent, 0, h, NeighborOptions{});
  EXPECT_FLOAT_EQ(VoteFor(votes, 2), 0.0f);
  EXPECT_FLOAT_EQ(VoteFor(votes, 3), 1.0f);
  // The scratch is reset between queries: asking again gives the same answer.
  std::vector<ScoredItem> again = Votes(n, recent, 0, h, NeighborOptions{});
  ASSERT_EQ(again.size(), votes.size());
  EXPECT_FLOAT_EQ(VoteFor(again, 3), 1.0f);
}

// An item with more users than the cap keeps the most recently active ones.
TEST(SequenceNeighborsTest, FullItemKeepsItsMostRecentUsers) {
  const UserHistory h = Rows({{1, 2}, {1, 3}, {1, 4}});
  const SequenceNeighbors n =
      SequenceNeighbors::Build(h, std::vector<int64_t>{30, 10, 20}, 5, /*max_users_per_item=*/2);
  const std::vector<int32_t> recent = {1};
  std::vector<ScoredItem> votes = Votes(n, recent, -1, h, NeighborOptions{});
  EXPECT_GT(VoteFor(votes, 2), 0.0f);        // user 0, last active at 30
  EXPECT_GT(VoteFor(votes, 4), 0.0f);        // user 2, at 20
  EXPECT_FLOAT_EQ(VoteFor(votes, 3), 0.0f);  // user 1, at 10, dropped
}

TEST(SequenceNeighborsTest, NoRecentItemsNoVotes) {
  const UserHistory h = Rows({{1, 2}});
  const SequenceNeighbors n = SequenceNeighbors::Build(h, std::vector<int64_t>{10}, 3);
  EXPECT_TRUE(Votes(n, {}, -1, h, NeighborOptions{}).empty());
}

}  // namespace
}  // namespace tailor::algo
