#include "core/event_stream.h"

#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/await.h"
#include "data/schema.h"
#include "data/table.h"

namespace tailor::core {
namespace {

using nlohmann::json;

// The event log's type tag for tracked events ("TEV1"): a log of anything else is refused.
constexpr uint32_t kTrackedEventsTag = 0x31564554;

// Calls `fn` with every event logged in `dir`, in log order.
Status ForEachLoggedEvent(Env* env, const std::string& dir,
                          const std::function<void(const TrackedEvent&)>& fn) {
  store::EventLogReadOptions read;
  read.type_tag = kTrackedEventsTag;
  TAILOR_ASSIGN_OR_RETURN(auto reader, store::OpenFileEventLogReader(env, dir, read));
  std::string_view record;
  while (true) {
    TAILOR_ASSIGN_OR_RETURN(bool more, reader->Next(&record));
    if (!more) return Status::OK();
    TAILOR_ASSIGN_OR_RETURN(TrackedEvent e, DecodeTrackedEvent(record));
    fn(e);
  }
}

}  // namespace

std::string EncodeTrackedEvent(const TrackedEvent& e) {
  // Compact JSON: readable with standard tools, and a few microseconds per event, which the
  // fdatasync of each commit dwarfs. Absent members are left out.
  json j = {{"u", e.user_id},
            {"s", e.session_id},
            {"t", e.event_type},
            {"ts", e.sent_at},
            {"ep", e.epoch}};
  if (!e.item_id.empty()) j["i"] = e.item_id;
  if (!std::isnan(e.event_value)) j["v"] = e.event_value;
  if (!e.event_id.empty()) j["id"] = e.event_id;
  if (!e.properties.empty()) j["p"] = e.properties;
  if (!e.recommendation_id.empty()) j["r"] = e.recommendation_id;
  if (!e.impression.empty()) j["imp"] = e.impression;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

StatusOr<TrackedEvent> DecodeTrackedEvent(std::string_view record) {
  json j = json::parse(record, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Internal("a tracked event record is not a JSON object");
  }
  try {
    TrackedEvent e;
    e.user_id = j.at("u").get<std::string>();
    e.session_id = j.value("s", "");
    e.event_type = j.value("t", "");
    e.sent_at = j.at("ts").get<int64_t>();
    e.epoch = j.at("ep").get<uint64_t>();
    e.item_id = j.value("i", "");
    e.event_value = j.contains("v") ? j["v"].get<float>() : NAN;
    e.event_id = j.value("id", "");
    e.properties = j.value("p", "");
    e.recommendation_id = j.value("r", "");
    if (j.contains("imp")) e.impression = j["imp"].get<std::vector<std::string>>();
    return e;
  } catch (const json::exception& ex) {
    return Status::Internal(std::string("a tracked event record is malformed: ") + ex.what());
  }
}

StatusOr<std::unique_ptr<EventStream>> EventStream::Open(Env* env, const std::string& dir) {
  store::EventLogOptions options;
  options.type_tag = kTrackedEventsTag;
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<store::EventLog> log,
                          store::OpenFileEventLog(env, dir, options));
  std::unique_ptr<EventStream> stream(new EventStream(env, dir, std::move(log), /*epoch=*/0));
  uint64_t max_epoch = 0;
  TAILOR_RETURN_IF_ERROR(ForEachLoggedEvent(env, dir, [&](const TrackedEvent& e) {
    max_epoch = std::max(max_epoch, e.epoch);
    stream->AddToRecent(e);
    ++stream->recorded_;
  }));
  // The new epoch follows every logged one, so that a restart never reuses an epoch that a
  // model may have trained on. (No other thread sees the stream yet.)
  stream->epoch_ = max_epoch + 1;
  return stream;
}

void EventStream::AddToRecent(const TrackedEvent& e) {
  recent_.Add(e.user_id, {.item_id = e.item_id,
                          .event_type = e.event_type,
                          .timestamp = e.sent_at,
                          .value = e.event_value,
                          .epoch = e.epoch});
  item_counts_.Add(e.item_id, e.event_type, e.event_value, e.sent_at, e.epoch);
}

EventStream::~EventStream() { log_.reset(); }

Status EventStream::Append(std::vector<TrackedEvent> events) {
  return Await<Status>([&](auto done) { AppendAsync(std::move(events), std::move(done)); });
}

void EventStream::AppendAsync(std::vector<TrackedEvent> events, std::function<void(Status)> done) {
  uint64_t epoch;
  {
    std::lock_guard lock(mu_);
    epoch = epoch_;
    ++in_flight_[epoch];
  }
  std::vector<std::string> records;
  records.reserve(events.size());
  for (TrackedEvent& e : events) {
    e.epoch = epoch;
    records.push_back(EncodeTrackedEvent(e));
  }
  log_->AppendBatchAsync(std::move(records), [this, epoch, events = std::move(events),
                                              done = std::move(done)](Status s) {
    // Visible before the acknowledgement, so that the caller's next request sees them.
    if (s.ok()) {
      for (const TrackedEvent& e : events) AddToRecent(e);
    }
    FinishAppend(epoch, s.ok() ? events.size() : 0);
    done(std::move(s));
  });
}

void EventStream::FinishAppend(uint64_t epoch, size_t count) {
  std::lock_guard lock(mu_);
  recorded_ += count;
  if (--in_flight_[epoch] == 0) {
    in_flight_.erase(epoch);
    appends_done_.notify_all();
  }
}

uint64_t EventStream::Seal() {
  std::unique_lock lock(mu_);
  const uint64_t sealed = epoch_++;
  appends_done_.wait(lock,
                     [&] { return in_flight_.empty() || in_flight_.begin()->first > sealed; });
  return sealed;
}

Status EventStream::ReadThrough(uint64_t through_epoch,
                                const std::function<void(const TrackedEvent&)>& fn) const {
  return ForEachLoggedEvent(env_, dir_, [&](const TrackedEvent& e) {
    if (e.epoch <= through_epoch) fn(e);
  });
}

Status AppendTrackedEvents(const EventStream& stream, uint64_t through_epoch,
                           data::InteractionTable* table) {
  auto index_of = [](std::vector<std::string>& ids) {
    std::unordered_map<std::string, uint32_t> index;
    index.reserve(ids.size());
    for (uint32_t i = 0; i < ids.size(); ++i) index.emplace(ids[i], i);
    return index;
  };
  auto users = index_of(table->user_ids);
  auto items = index_of(table->item_ids);
  auto types = index_of(table->event_types);
  auto code = [](std::unordered_map<std::string, uint32_t>& index, std::vector<std::string>& ids,
                 const std::string& id) {
    auto [it, added] = index.emplace(id, static_cast<uint32_t>(ids.size()));
    if (added) ids.push_back(id);
    return it->second;
  };
  const bool empty = table->num_rows() == 0;
  const bool with_types = empty || !table->event_type_per_row.empty();
  const bool with_values = empty || !table->event_values.empty();
  // Context columns take their value from the event's properties, whose keys name Interactions
  // fields ignoring case and '_' ("device" ~ DEVICE, §8).
  std::unordered_map<std::string, size_t> context_by_key;
  std::vector<std::unordered_map<std::string, uint32_t>> context_codes;
  for (size_t c = 0; c < table->context_columns.size(); ++c) {
    context_by_key.emplace(data::FoldFieldName(table->context_columns[c].name), c);
    context_codes.push_back(index_of(table->context_columns[c].values));
  }
  std::unordered_set<std::string> seen;
  return stream.ReadThrough(through_epoch, [&](const TrackedEvent& e) {
    std::string key = !e.event_id.empty()
                          ? "id:" + e.event_id
                          : fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", e.user_id, e.item_id,
                                        e.event_type, e.sent_at, e.event_value);
    if (!seen.insert(std::move(key)).second) return;
    table->users.push_back(code(users, table->user_ids, e.user_id));
    table->items.push_back(code(items, table->item_ids, e.item_id));
    table->timestamps.push_back(e.sent_at);
    if (with_types)
      table->event_type_per_row.push_back(code(types, table->event_types, e.event_type));
    if (with_values) table->event_values.push_back(e.event_value);
    for (auto& column : table->context_columns) {
      column.value_per_row.push_back(data::InteractionTable::kNoEventType);
    }
    if (context_by_key.empty() || e.properties.empty()) return;
    const json properties = json::parse(e.properties, nullptr, /*allow_exceptions=*/false);
    if (!properties.is_object()) return;
    for (const auto& [key, value] : properties.items()) {
      auto it = context_by_key.find(data::FoldFieldName(key));
      if (it == context_by_key.end() || !value.is_string()) continue;
      auto& column = table->context_columns[it->second];
      column.value_per_row.back() =
          code(context_codes[it->second], column.values, value.get<std::string>());
    }
  });
}

uint64_t EventStream::events_recorded() const {
  std::lock_guard lock(mu_);
  return recorded_;
}

}  // namespace tailor::core
