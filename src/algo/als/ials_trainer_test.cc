#include "algo/als/ials_trainer.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "algo/als/least_squares.h"

namespace tailor::algo::als {
namespace {

Interactions RandomEvents(int users, int items, int events) {
  std::mt19937 rng(3);
  Interactions d;
  d.num_users = users;
  d.num_items = items;
  for (int e = 0; e < events; ++e) d.Add(rng() % users, rng() % items, 0, 1.0f + rng() % 2);
  return d;
}

// X7: the closed form against the objective summed item by item.
TEST(IalsTrainerTest, SampledLossIsTheObjectivePerEvent) {
  const int k = 3, users = 6, items = 9;
  const float alpha = 2.0f, reg = 0.5f;
  CsrMatrix m = *BuildUserItemMatrix(RandomEvents(users, items, 30));
  std::mt19937 rng(8);
  std::normal_distribution<float> normal(0, 0.4f);
  std::vector<float> X(users * k), Y(items * k);
  for (float& v : X) v = normal(rng);
  for (float& v : Y) v = normal(rng);
  const std::vector<int32_t> rows = {1, 4, 5};
  double want = 0;
  int64_t events = 0;
  for (int32_t u : rows) {
    std::vector<float> value(items, 0.0f);
    for (size_t t = 0; t < m.row_indices(u).size(); ++t) {
      value[m.row_indices(u)[t]] = m.row_values(u)[t];
    }
    events += m.row_size(u);
    for (int i = 0; i < items; ++i) {
      double s = 0;
      for (int a = 0; a < k; ++a) s += X[u * k + a] * Y[i * k + a];
      const double p = value[i] > 0 ? 1 : 0, c = 1 + alpha * value[i];
      want += c * (p - s) * (p - s);
    }
    for (int a = 0; a < k; ++a) want += reg * X[u * k + a] * X[u * k + a];
  }
  const std::vector<float> YtY = Gramian(Y, items, k, reg, 1);
  EXPECT_NEAR(SampledLoss(m, rows, X, Y, YtY, k, alpha), want / events, 1e-5);
}

TEST(IalsTrainerTest, EachIterationLogsItsLossWhichFalls) {
  const Interactions d = RandomEvents(300, 80, 3000);
  IalsTrainOptions o;
  o.config.factors = 8;
  o.config.regularization = 1;
  o.config.alpha = 4;
  o.iterations = 5;
  std::vector<std::string> lines;
  TrainContext ctx;
  ctx.log = [&](const std::string& line) { lines.push_back(line); };
  ASSERT_TRUE(TrainIals(d, o, ctx).ok());
  ASSERT_EQ(lines.size(), 5u);
  auto loss = [](const std::string& line) {
    return std::stod(line.substr(line.find("loss ") + 5));
  };
  EXPECT_EQ(lines[0].rfind("iALS iteration 1/5: loss ", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("of 300 sampled users"), std::string::npos) << lines[0];
  EXPECT_LT(loss(lines[4]), loss(lines[0]));
}

}  // namespace
}  // namespace tailor::algo::als
