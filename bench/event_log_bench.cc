// event_log_bench: durable appends to the event log (store/event_log.h) with real fdatasync on
// the local disk, from 1, 8 and 32 threads sharing one log, so group commit shows. The bar from
// the events API: >= 20,000 events/s acknowledged durably on 2 cores with a few dozen
// concurrent handlers. items_per_second is records acknowledged per second; records_per_sync
// (sampled by thread 0 when its loop ends) is the average commit group size.
//
//   event_log_bench [--benchmark_filter=...]     log folder: $TAILOR_BENCH_DIR or
//                                                /tmp/tailor_event_log_bench (emptied per run)
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/env.h"
#include "store/event_log.h"

namespace {

using tailor::Env;
using tailor::store::EventLog;

constexpr size_t kRecordSize = 200;  // about one PutEvents event as JSON

std::unique_ptr<EventLog> g_log;  // shared by a run's threads; set up by OpenLog

std::string LogDir() {
  const char* dir = std::getenv("TAILOR_BENCH_DIR");
  return dir != nullptr ? dir : "/tmp/tailor_event_log_bench";
}

void OpenLog(const benchmark::State&) {
  Env* env = Env::Default();
  (void)env->RemoveAll(LogDir());
  auto log = tailor::store::OpenFileEventLog(env, LogDir());
  if (!log.ok()) {
    std::fprintf(stderr, "cannot open the log: %s\n", log.status().ToString().c_str());
    std::exit(1);
  }
  g_log = std::move(log).value();
}

void CloseLog(const benchmark::State&) {
  g_log.reset();
  (void)Env::Default()->RemoveAll(LogDir());
}

void ReportGroupSize(benchmark::State& state) {
  if (state.thread_index() != 0) return;
  tailor::store::EventLogStats stats = g_log->stats();
  if (stats.syncs > 0) {
    state.counters["records_per_sync"] =
        static_cast<double>(stats.records) / static_cast<double>(stats.syncs);
  }
}

// One record per call: PutEvents with a single event.
void BM_Append(benchmark::State& state) {
  std::string record(kRecordSize, static_cast<char>('a' + state.thread_index() % 26));
  for (auto _ : state) {
    if (!g_log->Append(record).ok()) state.SkipWithError("Append failed");
  }
  state.SetItemsProcessed(state.iterations());
  ReportGroupSize(state);
}
BENCHMARK(BM_Append)
    ->Setup(OpenLog)
    ->Teardown(CloseLog)
    ->Threads(1)
    ->Threads(8)
    ->Threads(32)
    ->UseRealTime();

// state.range(0) records per call: PutEvents with a full batch of 10 events.
void BM_AppendBatch(benchmark::State& state) {
  std::vector<std::string> records(static_cast<size_t>(state.range(0)),
                                   std::string(kRecordSize, 'b'));
  std::vector<std::string_view> views(records.begin(), records.end());
  for (auto _ : state) {
    if (!g_log->AppendBatch(views).ok()) state.SkipWithError("AppendBatch failed");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  ReportGroupSize(state);
}
BENCHMARK(BM_AppendBatch)
    ->Setup(OpenLog)
    ->Teardown(CloseLog)
    ->Arg(10)
    ->Threads(1)
    ->Threads(8)
    ->Threads(32)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
