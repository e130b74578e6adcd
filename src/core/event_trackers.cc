// Event trackers (personalize-semantics.md §8): a dataset group's entry point for real-time
// events. The trackingId is what PutEvents names; the tracker itself holds no data, so deleting
// it keeps every event already recorded.
#include <random>

#include <fmt/format.h>

#include "common/arn.h"
#include "core/control_plane.h"
#include "core/resource_codec.h"
#include "core/validation.h"

namespace tailor::core {
namespace {

// A random UUID, the form of Personalize's tracking ids.
std::string NewTrackingId() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  uint64_t a = rng(), b = rng();
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff,
                     0x8000 | ((b >> 48) & 0x3fff), b & 0xffffffffffffULL);
}

}  // namespace

StatusOr<EventTracker> ControlPlane::CreateEventTracker(const CreateEventTrackerRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateName("name", req.name));
  TAILOR_RETURN_IF_ERROR(ValidateArn("datasetGroupArn", req.dataset_group_arn));
  TAILOR_RETURN_IF_ERROR(ValidateTags(req.tags));
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(auto group,
                          GetRecord("datasetGroupArn", req.dataset_group_arn, kDatasetGroupType));
  if (group.status != kActive) {
    return Status::InUse("Dataset group " + group.arn + " is " + group.status +
                         "; an event tracker needs an ACTIVE dataset group.");
  }
  store::ListQuery existing;
  existing.type = kEventTrackerType;
  existing.parent_arn = group.arn;
  TAILOR_ASSIGN_OR_RETURN(int64_t trackers, catalog_->Count(existing));
  if (trackers > 0) {
    // Personalize allows one event tracker per dataset group (§11).
    return Status::LimitExceeded("Dataset group " + group.arn +
                                 " already has an event tracker; a group has at most one.");
  }
  EventTracker tracker;
  tracker.info.arn =
      MakeArn(ArnContextFor(req.region), std::string(kEventTrackerType) + "/" + req.name);
  tracker.info.name = req.name;
  tracker.info.status = kCreatePending;
  tracker.info.created_micros = tracker.info.updated_micros = env_->NowMicros();
  tracker.dataset_group_arn = group.arn;
  tracker.tracking_id = NewTrackingId();
  tracker.account_id = ArnContextFor(req.region).account;
  store::CatalogRecord record = ToRecord(tracker);
  record.tags = req.tags;
  Status s = catalog_->Insert(record);
  if (s.IsAlreadyExists()) {
    return Status::AlreadyExists("An event tracker named " + req.name + " already exists.");
  }
  TAILOR_RETURN_IF_ERROR(s);
  ScheduleActivation(tracker.info.arn);
  return tracker;
}

StatusOr<EventTracker> ControlPlane::DescribeEventTracker(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("eventTrackerArn", arn, kEventTrackerType));
  return EventTrackerFromRecord(record);
}

StatusOr<Page<EventTracker>> ControlPlane::ListEventTrackers(std::string_view dataset_group_arn,
                                                             const PageRequest& page) {
  if (!dataset_group_arn.empty()) {
    TAILOR_RETURN_IF_ERROR(
        GetRecord("datasetGroupArn", dataset_group_arn, kDatasetGroupType).status());
  }
  TAILOR_ASSIGN_OR_RETURN(auto records, ListRecords(kEventTrackerType, dataset_group_arn, page));
  Page<EventTracker> out;
  for (const auto& r : records.records) {
    TAILOR_ASSIGN_OR_RETURN(EventTracker t, EventTrackerFromRecord(r));
    out.items.push_back(std::move(t));
  }
  out.next_token = records.next_page_token;
  return out;
}

Status ControlPlane::DeleteEventTracker(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("eventTrackerArn", arn, kEventTrackerType));
  TAILOR_RETURN_IF_ERROR(CheckDeletable(record));
  TAILOR_ASSIGN_OR_RETURN(EventTracker tracker, EventTrackerFromRecord(record));
  {
    // PutEvents stops accepting its trackingId at once.
    std::lock_guard lock(events_mu_);
    tracking_ids_.erase(tracker.tracking_id);
  }
  TAILOR_RETURN_IF_ERROR(SetStatus(record.arn, kDeletePending));
  ScheduleDeletion(record.arn, /*show_in_progress=*/true, /*files_dir=*/"");
  return Status::OK();
}

}  // namespace tailor::core
