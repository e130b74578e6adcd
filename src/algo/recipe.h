// Recipe: a training algorithm behind one interface (style.md X1). Train turns Interactions and
// string hyper-parameters into an immutable Model; Load reads a model this recipe family saved.
// TrainContext carries cancellation, progress and the thread budget (style.md O4) without
// depending on core/'s JobContext, which adapts to it.
// Thread-safety: Recipe objects are stateless; Train may run concurrently on distinct inputs.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "algo/hyper_params.h"
#include "algo/interaction_matrix.h"
#include "algo/model.h"
#include "common/status.h"
#include "common/status_or.h"

namespace tailor::algo {

struct TrainContext {
  // Threads the kernels may use.
  int num_threads = 1;
  // Polled between iterations; when it returns true Train stops with Unavailable("cancelled").
  std::function<bool()> cancelled;
  // Called with the fraction done, in [0, 1], from the training thread.
  std::function<void(double)> progress;
  // Called with a line for the training log (an iteration and its loss), from the training
  // thread.
  std::function<void(const std::string&)> log;

  bool IsCancelled() const { return cancelled && cancelled(); }
  void Progress(double f) const {
    if (progress) progress(f);
  }
  void Log(const std::string& line) const {
    if (log) log(line);
  }
};

// A tunable hyper-parameter range (for HPO and DescribeAlgorithm's defaultHyperParameterRanges).
struct ParamRange {
  enum class Kind { kInteger, kContinuous, kCategorical };
  std::string name;
  Kind kind = Kind::kContinuous;
  double min = 0, max = 0;
  std::vector<std::string> values;  // kCategorical only
  bool log_scale = false;
};

class Recipe {
 public:
  virtual ~Recipe() = default;
  // The recipe name as in its ARN, e.g. "aws-user-personalization".
  virtual std::string_view name() const = 0;
  // Defaults for every hyper-parameter the recipe accepts, as strings.
  virtual HyperParams DefaultParams() const = 0;
  virtual std::vector<ParamRange> TunableRanges() const { return {}; }
  // Trains a model. InvalidInput naming the parameter for a bad or unknown hyper-parameter, or
  // for invalid data (Interactions::Validate); Unavailable when cancelled.
  virtual StatusOr<std::unique_ptr<Model>> Train(const Interactions& data,
                                                 const HyperParams& params,
                                                 const TrainContext& ctx) const = 0;
};

}  // namespace tailor::algo
