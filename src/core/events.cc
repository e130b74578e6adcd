// PutEvents, PutItems and PutUsers (personalize-semantics.md §8): real-time data that changes
// the next answer. Events go to the dataset group's EventStream (durable log + in-memory recent
// events); item and user rows are upserted into their datasets as an incremental import.
#include <cctype>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "algo/popularity/trending_model.h"
#include "common/arn.h"
#include "core/control_plane.h"
#include "core/event_stream.h"
#include "core/resource_codec.h"
#include "data/csv_writer.h"
#include "data/dataset_store.h"
#include "data/schema.h"

namespace tailor::core {
namespace {

using nlohmann::json;

constexpr size_t kMaxEventsPerCall = 10;
constexpr size_t kMaxRowsPerCall = 10;
constexpr size_t kMaxIdLength = 256;
constexpr size_t kMaxEventProperties = 1024;
constexpr size_t kMaxRecommendationId = 40;
constexpr size_t kMaxImpressions = 25;

// Where a dataset's events live, relative to the data dir.
std::string EventsDirOf(const Dataset& interactions) {
  return interactions.storage_dir + "/events";
}

Status CheckLength(const std::string& field, const std::string& value, size_t min, size_t max) {
  if (value.size() < min || value.size() > max) {
    return Status::InvalidInput(field + " must have between " + std::to_string(min) + " and " +
                                std::to_string(max) + " characters; it has " +
                                std::to_string(value.size()) + ".");
  }
  return Status::OK();
}

// Checks a PutEvents `properties` string: a JSON object without the keys that have members of
// their own. Old docs put itemId and eventValue inside properties, so those are accepted.
Status CheckEventProperties(const std::string& field, const std::string& properties) {
  TAILOR_RETURN_IF_ERROR(CheckLength(field, properties, 1, kMaxEventProperties));
  json j = json::parse(properties, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidInput(field +
                                " must be a JSON object in a string, such as "
                                "'{\"numberOfRatings\": \"12\"}'.");
  }
  for (const auto& [key, value] : j.items()) {
    const std::string folded = data::FoldFieldName(key);
    for (const char* reserved :
         {"USERID", "SESSIONID", "EVENTTYPE", "TIMESTAMP", "RECOMMENDATIONID", "IMPRESSION"}) {
      if (folded == reserved) {
        return Status::InvalidInput(field + " must not contain '" + key +
                                    "'; it is a member of the event itself.");
      }
    }
  }
  return Status::OK();
}

// A JSON property value as CSV text: strings as they are, numbers and booleans printed.
StatusOr<std::string> PropertyText(const std::string& field, const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number()) return value.dump();
  if (value.is_null()) return std::string();
  return Status::InvalidInput(field + " must be a string, number or boolean.");
}

}  // namespace

StatusOr<std::shared_ptr<EventStream>> ControlPlane::EventStreamOf(
    const std::string& dataset_group_arn, bool create) {
  {
    std::lock_guard lock(events_mu_);
    auto it = event_streams_.find(dataset_group_arn);
    if (it != event_streams_.end()) return it->second;
  }
  if (!create) return std::shared_ptr<EventStream>();
  TAILOR_ASSIGN_OR_RETURN(Dataset interactions, FindInteractionsDataset(dataset_group_arn));
  const std::string dir = AbsoluteDataPath(EventsDirOf(interactions));
  std::lock_guard lock(events_mu_);
  auto it = event_streams_.find(dataset_group_arn);  // another thread may have opened it
  if (it != event_streams_.end()) return it->second;
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<EventStream> opened, EventStream::Open(env_, dir));
  std::shared_ptr<EventStream> stream(std::move(opened));
  event_streams_.emplace(dataset_group_arn, stream);
  return stream;
}

Status ControlPlane::OpenEventStreams() {
  store::ListQuery query;
  query.type = kDatasetType;
  query.page_size = 1000;
  while (true) {
    TAILOR_ASSIGN_OR_RETURN(store::ListPage page, catalog_->List(query));
    for (const auto& record : page.records) {
      TAILOR_ASSIGN_OR_RETURN(Dataset dataset, DatasetFromRecord(record));
      if (dataset.dataset_type != "Interactions" || dataset.info.status != kActive) continue;
      const std::string dir = AbsoluteDataPath(EventsDirOf(dataset));
      if (!env_->FileExists(dir)) continue;
      TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<EventStream> stream, EventStream::Open(env_, dir));
      spdlog::info("events of {}: {} recorded", dataset.info.arn, stream->events_recorded());
      std::lock_guard lock(events_mu_);
      event_streams_[dataset.dataset_group_arn] = std::move(stream);
    }
    if (page.next_page_token.empty()) break;
    query.page_token = page.next_page_token;
  }
  return Status::OK();
}

void ControlPlane::DropEventStream(const std::string& dataset_arn) {
  // ".../dataset/<group>/INTERACTIONS" belongs to ".../dataset-group/<group>".
  constexpr std::string_view kSuffix = "/INTERACTIONS";
  const size_t type_at = dataset_arn.find(":dataset/");
  if (type_at == std::string::npos || !dataset_arn.ends_with(kSuffix)) return;
  std::string group =
      dataset_arn.substr(0, type_at) + ":dataset-group/" +
      dataset_arn.substr(type_at + 9, dataset_arn.size() - type_at - 9 - kSuffix.size());
  std::lock_guard lock(events_mu_);
  event_streams_.erase(group);
}

Status ControlPlane::PutEvents(const PutEventsRequest& request) {
  std::vector<TrackedEvent> events;
  TAILOR_ASSIGN_OR_RETURN(std::shared_ptr<EventStream> stream, PrepareEvents(request, &events));
  return stream->Append(std::move(events));
}

void ControlPlane::PutEventsAsync(const PutEventsRequest& request,
                                  std::function<void(Status)> done) {
  std::vector<TrackedEvent> events;
  StatusOr<std::shared_ptr<EventStream>> stream = PrepareEvents(request, &events);
  if (!stream.ok()) return done(stream.status());
  (*stream)->AppendAsync(std::move(events), std::move(done));
}

StatusOr<std::shared_ptr<EventStream>> ControlPlane::PrepareEvents(const PutEventsRequest& req,
                                                                   std::vector<TrackedEvent>* out) {
  if (req.tracking_id.empty()) return Status::InvalidInput("trackingId is required.");
  TAILOR_RETURN_IF_ERROR(CheckLength("sessionId", req.session_id, 1, kMaxIdLength));
  if (!req.user_id.empty()) TAILOR_RETURN_IF_ERROR(CheckLength("userId", req.user_id, 1, 256));
  if (req.events.empty() || req.events.size() > kMaxEventsPerCall) {
    return Status::InvalidInput("eventList must hold between 1 and 10 events; got " +
                                std::to_string(req.events.size()) + ".");
  }
  std::vector<TrackedEvent> events;
  for (size_t i = 0; i < req.events.size(); ++i) {
    const PutEventInput& in = req.events[i];
    const std::string at = "eventList[" + std::to_string(i) + "].";
    TAILOR_RETURN_IF_ERROR(CheckLength(at + "eventType", in.event_type, 1, 256));
    if (!in.has_sent_at) return Status::InvalidInput(at + "sentAt is required.");
    if (!std::isfinite(in.sent_at) || in.sent_at < 0) {
      return Status::InvalidInput(at + "sentAt must be a time in epoch seconds.");
    }
    TrackedEvent e;
    e.item_id = in.item_id;
    e.event_value = in.has_event_value ? static_cast<float>(in.event_value) : NAN;
    if (!in.properties.empty()) {
      TAILOR_RETURN_IF_ERROR(CheckEventProperties(at + "properties", in.properties));
      // The old form: itemId and eventValue inside properties.
      json p = json::parse(in.properties);
      for (const auto& [key, value] : p.items()) {
        const std::string folded = data::FoldFieldName(key);
        if (folded == "ITEMID" && e.item_id.empty() && value.is_string()) {
          e.item_id = value.get<std::string>();
        } else if (folded == "EVENTVALUE" && std::isnan(e.event_value)) {
          if (value.is_number()) e.event_value = value.get<float>();
        }
      }
    }
    // Interactions rows need an ITEM_ID (the schema's rules, §3), so an event without one
    // could never be trained on.
    if (e.item_id.empty()) return Status::InvalidInput(at + "itemId is required.");
    TAILOR_RETURN_IF_ERROR(CheckLength(at + "itemId", e.item_id, 1, kMaxIdLength));
    if (in.recommendation_id.size() > kMaxRecommendationId) {
      return Status::InvalidInput(at + "recommendationId must have at most 40 characters.");
    }
    if (in.impression.size() > kMaxImpressions) {
      return Status::InvalidInput(at + "impression must list at most 25 item ids.");
    }
    for (const std::string& id : in.impression) {
      TAILOR_RETURN_IF_ERROR(CheckLength(at + "impression[]", id, 1, kMaxIdLength));
    }
    e.user_id = req.user_id.empty() ? req.session_id : req.user_id;
    e.session_id = req.session_id;
    e.event_type = in.event_type;
    e.sent_at = static_cast<int64_t>(std::floor(in.sent_at));
    e.event_id = in.event_id;
    e.properties = in.properties;
    e.recommendation_id = in.recommendation_id;
    e.impression = in.impression;
    events.push_back(std::move(e));
  }

  std::string group_arn;
  {
    std::lock_guard lock(events_mu_);
    auto it = tracking_ids_.find(req.tracking_id);
    if (it != tracking_ids_.end()) group_arn = it->second;
  }
  if (group_arn.empty()) {
    // Not seen yet (a new tracker, or a restart): look it up among the ACTIVE trackers.
    store::ListQuery query;
    query.type = kEventTrackerType;
    query.statuses = {kActive};
    while (true) {
      TAILOR_ASSIGN_OR_RETURN(store::ListPage page, catalog_->List(query));
      for (const auto& r : page.records) {
        TAILOR_ASSIGN_OR_RETURN(EventTracker t, EventTrackerFromRecord(r));
        std::lock_guard lock(events_mu_);
        tracking_ids_[t.tracking_id] = t.dataset_group_arn;
        if (t.tracking_id == req.tracking_id) group_arn = t.dataset_group_arn;
      }
      if (page.next_page_token.empty()) break;
      query.page_token = page.next_page_token;
    }
  }
  if (group_arn.empty()) {
    return Status::InvalidInput("trackingId " + req.tracking_id +
                                " does not name an ACTIVE event tracker.");
  }
  StatusOr<std::shared_ptr<EventStream>> stream = EventStreamOf(group_arn, /*create=*/true);
  if (stream.status().IsNotFound()) {
    return Status::InvalidInput("The dataset group " + group_arn +
                                " of this event tracker has no Interactions dataset; create one "
                                "before recording events.");
  }
  TAILOR_RETURN_IF_ERROR(stream.status());
  *out = std::move(events);
  return stream;
}

ControlPlane::FreshEvents ControlPlane::FreshEventsOf(const Deployment& d,
                                                      std::string_view user_id) {
  FreshEvents out;
  if (user_id.empty() || d.dataset_group_arn.empty()) return out;
  StatusOr<std::shared_ptr<EventStream>> stream =
      EventStreamOf(d.dataset_group_arn, /*create=*/false);
  if (!stream.ok() || *stream == nullptr) return out;
  for (const serve::RecentEvent& e : (*stream)->recent().Get(user_id, d.events_epoch)) {
    int32_t item = d.model->ItemIndex(e.item_id);
    if (item < 0) continue;  // the model cannot score an item it has not trained on
    out.items.push_back(item);
    out.timestamps.push_back(e.timestamp);
    out.weights.push_back(1.0f);
    out.event_types.push_back(d.model->EventTypeIndex(e.event_type));
  }
  return out;
}

std::shared_ptr<const ControlPlane::Trends> ControlPlane::TrendsOf(
    const Deployment& d, const algo::TrendingModel& model) {
  const serve::ItemEventCounts* counts = nullptr;
  StatusOr<std::shared_ptr<EventStream>> stream =
      d.dataset_group_arn.empty() ? StatusOr<std::shared_ptr<EventStream>>(nullptr)
                                  : EventStreamOf(d.dataset_group_arn, /*create=*/false);
  if (stream.ok() && *stream != nullptr) counts = &(*stream)->item_counts();
  const uint64_t version = counts != nullptr ? counts->version() : 0;
  Deployment::TrendState& state = *d.trends;
  std::lock_guard lock(state.mu);
  const auto now = std::chrono::steady_clock::now();
  if (state.trends != nullptr &&
      (state.version == version || now - state.computed_at < kTrendRefresh)) {
    return state.trends;
  }
  const TrainedModel& trained = *d.model;
  std::vector<serve::ItemEventCounts::Count> fresh_counts;
  if (counts != nullptr) {
    for (serve::ItemEventCounts::Count& c :
         counts->Get(d.events_epoch, model.oldest_relevant_bucket())) {
      // Only the events the solution trains on (eventType, eventValueThreshold, eventsConfig).
      if (!d.selection.Selects(c.event_type, c.value)) continue;
      fresh_counts.push_back(std::move(c));
    }
  }
  // The windows end with the newest counted event, on an item the model knows or not.
  int64_t newest = INT64_MIN;
  for (const serve::ItemEventCounts::Count& c : fresh_counts) newest = std::max(newest, c.bucket);
  const algo::TrendingModel::Windows windows = model.WindowsEndingAt(newest);
  std::vector<algo::TrendingModel::BucketCount> fresh;
  std::unordered_map<std::string, int32_t> new_rises;
  for (const serve::ItemEventCounts::Count& c : fresh_counts) {
    const int32_t item = trained.ItemIndex(c.item_id);
    if (item >= 0) {
      fresh.push_back({item, c.bucket, c.count});
    } else if (const int side = windows.Side(c.bucket); side != 0) {
      new_rises[c.item_id] += side * c.count;
    }
  }
  auto trends = std::make_shared<Trends>();
  trends->scores = model.Scores(fresh, windows, &trends->rises);
  for (auto& [id, rise] : new_rises) {
    if (rise > 0) trends->new_items.emplace_back(id, rise);
  }
  std::sort(trends->new_items.begin(), trends->new_items.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (trends->new_items.size() > kMaxNewTrendingItems) {
    trends->new_items.resize(kMaxNewTrendingItems);
  }
  state.trends = std::move(trends);
  state.version = version;
  state.computed_at = now;
  return state.trends;
}

Status ControlPlane::PutItems(const PutRowsRequest& req) { return PutRows(req, "Items", "items"); }
Status ControlPlane::PutUsers(const PutRowsRequest& req) { return PutRows(req, "Users", "users"); }

Status ControlPlane::PutRows(const PutRowsRequest& req, std::string_view type,
                             const char* list_name) {
  const std::string list(list_name);
  TAILOR_RETURN_IF_ERROR(ValidateArn("datasetArn", req.dataset_arn));
  if (req.rows.empty() || req.rows.size() > kMaxRowsPerCall) {
    return Status::InvalidInput(list + " must hold between 1 and 10 entries; got " +
                                std::to_string(req.rows.size()) + ".");
  }
  TAILOR_ASSIGN_OR_RETURN(Dataset dataset, DescribeDataset(req.dataset_arn));
  if (dataset.dataset_type != type) {
    return Status::InvalidInput("Dataset " + dataset.info.arn + " is a " + dataset.dataset_type +
                                " dataset; Put" + std::string(type) + " needs a " +
                                std::string(type) + " dataset.");
  }
  if (dataset.info.status != kActive) {
    return Status::InUse("Dataset " + dataset.info.arn + " is " + dataset.info.status + ".");
  }
  TAILOR_ASSIGN_OR_RETURN(auto schema_record, catalog_->Get(dataset.schema_arn));
  TAILOR_ASSIGN_OR_RETURN(DatasetSchema schema, SchemaFromRecord(schema_record));
  TAILOR_ASSIGN_OR_RETURN(data::Schema parsed, data::ParseSchema(schema.schema));
  const std::string id_field = type == "Items" ? "ITEM_ID" : "USER_ID";
  const std::string id_member = type == "Items" ? "itemId" : "userId";
  const size_t max_properties = type == "Items" ? 32000 : 24000;

  // The rows as a CSV with every schema field, imported incrementally: the same checks, the
  // same atomic commit and the same upsert-by-id as an import job.
  std::string csv;
  for (size_t f = 0; f < parsed.fields.size(); ++f) {
    if (f > 0) csv.push_back(',');
    csv += parsed.fields[f].name;
  }
  csv.push_back('\n');
  for (size_t i = 0; i < req.rows.size(); ++i) {
    const PutRowsRequest::Row& row = req.rows[i];
    const std::string at = list + "[" + std::to_string(i) + "].";
    TAILOR_RETURN_IF_ERROR(CheckLength(at + id_member, row.id, 1, kMaxIdLength));
    std::map<std::string, std::string> values;  // field name → text
    values[id_field] = row.id;
    if (!row.properties.empty()) {
      TAILOR_RETURN_IF_ERROR(CheckLength(at + "properties", row.properties, 1, max_properties));
      json p = json::parse(row.properties, nullptr, /*allow_exceptions=*/false);
      if (p.is_discarded() || !p.is_object()) {
        return Status::InvalidInput(at +
                                    "properties must be a JSON object in a string, such as "
                                    "'{\"genres\": \"Action|Crime\"}'.");
      }
      for (const auto& [key, value] : p.items()) {
        const data::Field* field = parsed.FindFolded(key);
        if (field == nullptr || field->name == id_field) {
          return Status::InvalidInput(at + "properties." + key + " is not a field of the " +
                                      std::string(type) + " schema " + schema.info.name + ".");
        }
        TAILOR_ASSIGN_OR_RETURN(values[field->name], PropertyText(at + "properties." + key, value));
      }
    }
    for (const data::Field& field : parsed.fields) {
      auto it = values.find(field.name);
      if ((it == values.end() || it->second.empty()) && !field.nullable) {
        return Status::InvalidInput(at + "properties lacks " + field.name +
                                    ", which the schema requires (it is not nullable).");
      }
    }
    for (size_t f = 0; f < parsed.fields.size(); ++f) {
      if (f > 0) csv.push_back(',');
      auto it = values.find(parsed.fields[f].name);
      if (it != values.end()) data::AppendCsvField(csv, it->second);
    }
    csv.push_back('\n');
  }
  TAILOR_ASSIGN_OR_RETURN(std::shared_ptr<data::DatasetStore> store, OpenDatasetStore(dataset));
  const std::string staging_dir = AbsoluteDataPath(dataset.storage_dir + "/put-staging");
  TAILOR_RETURN_IF_ERROR(env_->CreateDirs(staging_dir));
  static std::atomic<uint64_t> sequence{0};
  const std::string path = staging_dir + "/" + std::to_string(env_->NowMicros()) + "-" +
                           std::to_string(sequence.fetch_add(1)) + ".csv";
  TAILOR_RETURN_IF_ERROR(env_->WriteFileAtomically(path, csv));
  data::ImportOptions options;
  options.mode = data::ImportMode::kIncremental;
  options.threads = 1;
  StatusOr<data::ImportResult> imported = store->ImportCsv(path, options);
  (void)env_->RemoveAll(path);
  if (!imported.ok()) {
    // The import names a CSV line: line 2 is the first entry.
    if (!imported.status().IsInvalidInput()) return imported.status();
    return Status::InvalidInput("Put" + std::string(type) + " (line 2 is " + list +
                                "[0]): " + imported.status().message());
  }
  filter_data_generation_.fetch_add(1);
  return Status::OK();
}

}  // namespace tailor::core
