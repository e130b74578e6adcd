// EventStream: the real-time events (PutEvents) of one Interactions dataset: a durable event
// log (store/event_log.h) that training reads, and the in-memory RecentEvents (per user) and
// ItemEventCounts (per item, for trending campaigns) that serving reads at once. An event is
// acknowledged only after it is durable and visible to the next request.
//
// Epochs tie the two together without double counting. Every event is recorded in the stream's
// current epoch. A training calls Seal(), which starts the next epoch, waits for the appends of
// the sealed one to finish, and returns it; the training then reads the events of epochs up to
// it. Its model records that epoch, and serving folds in only the user's events of later
// epochs: events the model has not seen, no more and no less. Group commit is kept, since
// appends only take a mutex to count themselves in and out of their epoch.
// Record format: docs/formats/event_log.md ("Tracked events").
// Thread-safety: every method is safe to call from many threads at once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "common/status_or.h"
#include "data/table.h"
#include "serve/events/item_event_counts.h"
#include "serve/events/recent_events.h"
#include "store/event_log.h"

namespace tailor::core {

// One PutEvents event as stored (personalize-semantics.md §8).
struct TrackedEvent {
  std::string user_id;  // the userId, or the sessionId for an anonymous user
  std::string session_id;
  std::string item_id;
  std::string event_type;
  float event_value = NAN;  // NaN when absent
  int64_t sent_at = 0;      // epoch seconds; becomes TIMESTAMP
  std::string event_id;
  std::string properties;  // the JSON object string, "" when absent
  std::string recommendation_id;
  std::vector<std::string> impression;
  uint64_t epoch = 0;  // set by Append
};

std::string EncodeTrackedEvent(const TrackedEvent& event);
// Internal when `record` is not what EncodeTrackedEvent wrote.
StatusOr<TrackedEvent> DecodeTrackedEvent(std::string_view record);

class EventStream {
 public:
  // Opens (creating) the log in `dir` and replays it into the recent events. `env` must outlive
  // the stream.
  static StatusOr<std::unique_ptr<EventStream>> Open(Env* env, const std::string& dir);

  // Commits queued appends and runs their callbacks before the stream goes.
  ~EventStream();

  // Records `events` (their epoch is set here) durably, then makes them visible in recent().
  // Internal on an I/O error, after which the stream refuses appends until reopened.
  Status Append(std::vector<TrackedEvent> events);
  // Append without waiting: `done` gets Append's result once the events are durable and
  // visible, on the event log's writer thread (or at once, on this one, when the log has
  // failed). `done` must be quick and must not destroy the stream.
  void AppendAsync(std::vector<TrackedEvent> events, std::function<void(Status)> done);

  // Starts a new epoch and returns the previous one once all of its appends have finished:
  // every event of epochs ≤ the result is then in the log.
  uint64_t Seal();

  // Calls `fn` with every logged event of epoch ≤ `through_epoch`, in log order.
  Status ReadThrough(uint64_t through_epoch,
                     const std::function<void(const TrackedEvent&)>& fn) const;

  const serve::RecentEvents& recent() const { return recent_; }
  // Each item's events per 30-minute bucket, for trending campaigns.
  const serve::ItemEventCounts& item_counts() const { return item_counts_; }
  uint64_t events_recorded() const;

 private:
  EventStream(Env* env, std::string dir, std::unique_ptr<store::EventLog> log, uint64_t epoch)
      : env_(env), dir_(std::move(dir)), log_(std::move(log)), epoch_(epoch) {}
  void AddToRecent(const TrackedEvent& event);
  // Counts a finished append of `count` events (0 when it failed) out of its epoch.
  void FinishAppend(uint64_t epoch, size_t count);

  Env* const env_;
  const std::string dir_;
  // Reset first in the destructor: its last callbacks use the members below.
  std::unique_ptr<store::EventLog> log_;
  serve::RecentEvents recent_;
  serve::ItemEventCounts item_counts_;

  mutable std::mutex mu_;
  std::condition_variable appends_done_;
  uint64_t epoch_;                         // protected by mu_
  std::map<uint64_t, int64_t> in_flight_;  // protected by mu_: epoch → appends running
  uint64_t recorded_ = 0;                  // protected by mu_
};

// Appends the stream's events of epochs ≤ `through_epoch` to `table` as interaction rows (new
// users, items and event types get new indices), for training. Duplicate events — the same
// eventId, or without one the same user, item, type, time and value — are added once (§8).
// The optional columns are filled when `table` has them, or when it has no rows yet.
Status AppendTrackedEvents(const EventStream& stream, uint64_t through_epoch,
                           data::InteractionTable* table);

}  // namespace tailor::core
