// Filters (personalize-semantics.md §9): CreateFilter parses the expression synchronously, the
// filter then goes CREATE PENDING → ACTIVE, and runtime requests that name it get an exclusion
// bitset over the campaign's items. A deployment builds what its filters read once, on the
// first filtered request, and again after an import changed the data (FilterCache).
#include <algorithm>
#include <numeric>
#include <set>
#include <shared_mutex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/arn.h"
#include "core/control_plane.h"
#include "core/event_stream.h"
#include "core/filter_cache.h"
#include "core/resource_codec.h"
#include "core/validation.h"
#include "data/dataset_store.h"
#include "serve/filter/filter_evaluator.h"
#include "serve/filter/filter_expression.h"
#include "serve/filter/filter_index.h"

namespace tailor::core {
namespace {

// §9: only the latest 100 interactions per user per event type are seen by filters.
constexpr size_t kInteractionsPerEventType = 100;
// §9 limit: at most 20 distinct dataset fields across all filters of a dataset group.
constexpr size_t kMaxFieldsPerGroup = 20;

// Statuses of filters that count against the per-group quota (deleting ones do not).
const std::vector<std::string>& LiveFilterStatuses() {
  static const std::vector<std::string> statuses = {kCreatePending, kCreateInProgress, kActive,
                                                    kCreateFailed};
  return statuses;
}

// Reduces `table` to what Interactions conditions see: per user, the latest 100 rows of each
// event type (later rows win timestamp ties), keeping only items `trained` knows.
void IndexInteractions(const data::InteractionTable& table, const TrainedModel& trained,
                       UserInteractions* out) {
  out->event_type_names = table.event_types;
  const size_t n = table.num_rows();
  const bool typed = table.event_type_per_row.size() == n;
  std::vector<int32_t> model_item(table.item_ids.size());
  std::vector<uint32_t> new_item(table.item_ids.size(), UINT32_MAX);  // in out->new_item_ids
  for (size_t i = 0; i < table.item_ids.size(); ++i) {
    model_item[i] = trained.ItemIndex(table.item_ids[i]);
  }
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (table.users[a] != table.users[b]) return table.users[a] < table.users[b];
    if (table.timestamps[a] != table.timestamps[b])
      return table.timestamps[a] > table.timestamps[b];
    return a > b;
  });
  // Slot event_types.size() counts the rows without an event type.
  std::vector<size_t> seen(table.event_types.size() + 1, 0);
  std::vector<size_t> touched;
  size_t k = 0;
  while (k < n) {
    const uint32_t user = table.users[order[k]];
    for (size_t t : touched) seen[t] = 0;
    touched.clear();
    for (; k < n && table.users[order[k]] == user; ++k) {
      const uint32_t row = order[k];
      const uint32_t type = typed ? table.event_type_per_row[row] : UserInteractions::kNoEventType;
      const size_t slot = type == UserInteractions::kNoEventType ? table.event_types.size() : type;
      if (seen[slot]++ == 0) touched.push_back(slot);
      if (seen[slot] > kInteractionsPerEventType) continue;
      const uint32_t code = table.items[row];
      if (model_item[code] >= 0) {
        out->items.push_back(model_item[code]);
        out->event_types.push_back(type);
        continue;
      }
      if (new_item[code] == UINT32_MAX) {
        new_item[code] = static_cast<uint32_t>(out->new_item_ids.size());
        out->new_item_ids.push_back(table.item_ids[code]);
      }
      out->new_items.push_back(new_item[code]);
      out->new_event_types.push_back(type);
    }
    out->user_rows.emplace(table.user_ids[user], static_cast<uint32_t>(out->indptr.size() - 1));
    out->indptr.push_back(static_cast<int64_t>(out->items.size()));
    out->new_indptr.push_back(static_cast<int64_t>(out->new_items.size()));
  }
}

}  // namespace

StatusOr<std::string> ControlPlane::CreateFilter(const CreateFilterRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateName("name", req.name));
  TAILOR_RETURN_IF_ERROR(ValidateArn("datasetGroupArn", req.dataset_group_arn));
  TAILOR_RETURN_IF_ERROR(ValidateTags(req.tags));
  StatusOr<serve::FilterPlan> plan = serve::FilterPlan::Parse(req.filter_expression);
  if (!plan.ok()) {
    // AWS's syntax errors start "Could not create filter." (semantics §9); the parser's text
    // names the position and the offending token.
    return Status::InvalidInput("Could not create filter. " + plan.status().message());
  }
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(auto group_record,
                          GetRecord("datasetGroupArn", req.dataset_group_arn, kDatasetGroupType));
  if (group_record.status != kActive) {
    return Status::InvalidInput("Dataset group " + group_record.arn + " is " + group_record.status +
                                "; wait until it is ACTIVE.");
  }
  store::ListQuery siblings;
  siblings.type = kFilterType;
  siblings.parent_arn = group_record.arn;
  siblings.statuses = LiveFilterStatuses();
  siblings.page_size = 1000;
  TAILOR_ASSIGN_OR_RETURN(store::ListPage existing, catalog_->List(siblings));
  if (static_cast<int64_t>(existing.records.size()) >= options_.max_filters_per_group) {
    return Status::LimitExceeded("Dataset group " + group_record.arn + " already has " +
                                 std::to_string(existing.records.size()) +
                                 " filters; the limit is " +
                                 std::to_string(options_.max_filters_per_group) + ".");
  }
  std::set<std::string> fields = plan->fields();
  for (const auto& record : existing.records) {
    TAILOR_ASSIGN_OR_RETURN(Filter other, FilterFromRecord(record));
    StatusOr<serve::FilterPlan> other_plan = serve::FilterPlan::Parse(other.filter_expression);
    if (other_plan.ok()) fields.insert(other_plan->fields().begin(), other_plan->fields().end());
  }
  if (fields.size() > kMaxFieldsPerGroup) {
    return Status::LimitExceeded("The filters of dataset group " + group_record.arn +
                                 " would use " + std::to_string(fields.size()) +
                                 " distinct dataset fields; the limit is 20.");
  }

  Filter filter;
  filter.info.arn = MakeArn(ArnContextFor(req.region), std::string(kFilterType) + "/" + req.name);
  filter.info.name = req.name;
  filter.info.status = kCreatePending;
  filter.info.created_micros = filter.info.updated_micros = env_->NowMicros();
  filter.dataset_group_arn = group_record.arn;
  filter.filter_expression = req.filter_expression;
  store::CatalogRecord record = ToRecord(filter);
  record.tags = req.tags;
  Status s = catalog_->Insert(record);
  if (s.IsAlreadyExists()) {
    return Status::AlreadyExists("A filter named " + req.name + " already exists.");
  }
  TAILOR_RETURN_IF_ERROR(s);
  ScheduleActivation(filter.info.arn);
  return filter.info.arn;
}

StatusOr<Filter> ControlPlane::DescribeFilter(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("filterArn", arn, kFilterType));
  return FilterFromRecord(record);
}

StatusOr<Page<Filter>> ControlPlane::ListFilters(std::string_view dataset_group_arn,
                                                 const PageRequest& page) {
  if (!dataset_group_arn.empty()) {
    TAILOR_RETURN_IF_ERROR(
        GetRecord("datasetGroupArn", dataset_group_arn, kDatasetGroupType).status());
  }
  TAILOR_ASSIGN_OR_RETURN(auto records, ListRecords(kFilterType, dataset_group_arn, page));
  Page<Filter> out;
  for (const auto& r : records.records) {
    TAILOR_ASSIGN_OR_RETURN(Filter f, FilterFromRecord(r));
    out.items.push_back(std::move(f));
  }
  out.next_token = records.next_page_token;
  return out;
}

Status ControlPlane::DeleteFilter(std::string_view arn) {
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("filterArn", arn, kFilterType));
  TAILOR_RETURN_IF_ERROR(CheckDeletable(record));
  TAILOR_RETURN_IF_ERROR(SetStatus(record.arn, kDeletePending));
  {
    std::unique_lock lock(serving_mu_);
    active_filters_.erase(record.arn);
  }
  ScheduleDeletion(record.arn, /*show_in_progress=*/true, /*files_dir=*/"");
  return Status::OK();
}

StatusOr<Filter> ControlPlane::ActiveFilter(std::string_view arn) {
  {
    std::shared_lock lock(serving_mu_);
    auto it = active_filters_.find(arn);
    if (it != active_filters_.end()) return it->second;
  }
  // Read and cache under the lock DeleteFilter holds, so that a filter being deleted is never
  // cached after DeleteFilter has erased it.
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(Filter filter, DescribeFilter(arn));
  if (filter.info.status != kActive) {
    return Status::InvalidInput("Filter " + filter.info.arn + " is " + filter.info.status +
                                "; it can be used once it is ACTIVE.");
  }
  std::unique_lock lock(serving_mu_);
  active_filters_.emplace(filter.info.arn, filter);
  return filter;
}

StatusOr<std::shared_ptr<const FilterSnapshot>> ControlPlane::BuildFilterSnapshot(
    const Deployment& d, uint64_t generation, uint64_t interactions_generation,
    const FilterSnapshot* previous, bool with_interactions) {
  const TrainedModel& trained = *d.model;
  std::shared_ptr<const data::DatasetTable> items, users;
  auto snapshot = std::make_shared<FilterSnapshot>();
  snapshot->generation = generation;
  snapshot->interactions_generation = interactions_generation;
  snapshot->interactions = std::make_shared<const UserInteractions>();
  // Unchanged imported interactions are taken over from the previous snapshot.
  std::shared_ptr<const UserInteractions> reused;
  if (previous != nullptr && previous->has_interactions &&
      previous->interactions_generation == interactions_generation) {
    reused = previous->interactions;
  }
  store::ListQuery query;
  query.type = kDatasetType;
  query.parent_arn = d.dataset_group_arn;
  TAILOR_ASSIGN_OR_RETURN(store::ListPage datasets, catalog_->List(query));
  for (const auto& record : datasets.records) {
    TAILOR_ASSIGN_OR_RETURN(Dataset dataset, DatasetFromRecord(record));
    if (dataset.info.status != kActive) continue;
    const bool is_items = dataset.dataset_type == "Items";
    const bool is_users = dataset.dataset_type == "Users";
    const bool is_interactions = dataset.dataset_type == "Interactions";
    if (!is_items && !is_users && !is_interactions) continue;
    TAILOR_ASSIGN_OR_RETURN(std::shared_ptr<data::DatasetStore> store, OpenDatasetStore(dataset));
    if (is_interactions) {
      if (reused != nullptr) {
        snapshot->interactions = std::move(reused);
        snapshot->has_interactions = true;
        continue;
      }
      if (!with_interactions) continue;
      auto interactions = std::make_shared<UserInteractions>();
      TAILOR_ASSIGN_OR_RETURN(data::InteractionTable table, store->LoadInteractions());
      IndexInteractions(table, trained, interactions.get());
      snapshot->interactions = std::move(interactions);
      snapshot->has_interactions = true;
    } else {
      TAILOR_ASSIGN_OR_RETURN(data::DatasetTable table, store->ReadTable());
      (is_items ? items : users) = std::make_shared<const data::DatasetTable>(std::move(table));
    }
  }
  std::vector<std::string> catalogue = trained.item_ids;
  if (items != nullptr) {
    if (const data::TableColumn* ids = items->Find("ITEM_ID")) {
      snapshot->item_row_model_index.resize(static_cast<size_t>(items->num_rows));
      for (int64_t row = 0; row < items->num_rows; ++row) {
        const std::string_view id = ids->StringAt(static_cast<size_t>(row));
        snapshot->item_rows[std::string(id)] = row;
        const int32_t model_index = trained.ItemIndex(id);
        snapshot->item_row_model_index[static_cast<size_t>(row)] = model_index;
        if (model_index < 0 && !id.empty() &&
            snapshot->new_item_index
                .emplace(std::string(id), static_cast<int32_t>(catalogue.size()))
                .second) {
          catalogue.emplace_back(id);
        }
      }
    }
    snapshot->items_table = items;
    snapshot->item_tokens = std::make_shared<const serve::ItemTokens>(serve::ItemTokens::Build(
        *items, static_cast<int32_t>(trained.item_ids.size()), snapshot->item_row_model_index));
  }
  // No imported or put item has an empty ITEM_ID (InvalidInput), so this entry has no row.
  snapshot->rowless_item = static_cast<int32_t>(catalogue.size());
  catalogue.emplace_back();
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<serve::FilterIndex> index,
                          serve::FilterIndex::ForItems(catalogue, items, users));
  snapshot->index = std::move(index);
  if (users != nullptr) {
    if (const data::TableColumn* ids = users->Find("USER_ID")) {
      for (int64_t row = 0; row < users->num_rows; ++row) {
        snapshot->users_table_rows[std::string(ids->StringAt(static_cast<size_t>(row)))] = row;
      }
    }
    snapshot->users_table = users;
  }
  spdlog::info(
      "filters of {}: indexed {} items ({} new since the training), {} users' interactions",
      d.solution_version_arn, catalogue.size() - 1, snapshot->new_item_index.size(),
      snapshot->interactions->user_rows.size());
  return std::shared_ptr<const FilterSnapshot>(std::move(snapshot));
}

std::vector<serve::FilterInteraction> ControlPlane::RequestInteractions(
    const Deployment& d, const FilterSnapshot& snapshot, std::string_view user_id,
    std::vector<serve::RecentEvent>* events, RowlessEvents* rowless) {
  std::vector<serve::FilterInteraction> out;
  const UserInteractions& imported = *snapshot.interactions;
  auto type_name = [&](uint32_t type) {
    return type == UserInteractions::kNoEventType
               ? std::string_view()
               : std::string_view(imported.event_type_names[type]);
  };
  // An item new since the training counts by its Items row, or goes to *rowless.
  auto add_new = [&](std::string_view item_id, std::string_view type) {
    if (auto it = snapshot.new_item_index.find(item_id); it != snapshot.new_item_index.end()) {
      out.push_back({it->second, type});
    } else {
      (*rowless)[item_id].push_back(type);
    }
  };
  auto it = imported.user_rows.find(std::string(user_id));
  if (it != imported.user_rows.end()) {
    const uint32_t r = it->second;
    for (int64_t k = imported.indptr[r]; k < imported.indptr[r + 1]; ++k) {
      out.push_back({imported.items[k], type_name(imported.event_types[k])});
    }
    for (int64_t k = imported.new_indptr[r]; k < imported.new_indptr[r + 1]; ++k) {
      add_new(imported.new_item_ids[imported.new_items[k]], type_name(imported.new_event_types[k]));
    }
  }
  // Real-time events count at once (§8): the snapshot holds imported interactions only, so
  // every recorded event of the user is added (the recent events keep the newest per user).
  StatusOr<std::shared_ptr<EventStream>> stream =
      EventStreamOf(d.dataset_group_arn, /*create=*/false);
  if (stream.ok() && *stream != nullptr) {
    *events = (*stream)->recent().Get(user_id);
    for (const serve::RecentEvent& e : *events) {
      const int32_t item = d.model->ItemIndex(e.item_id);
      if (item >= 0) {
        out.push_back({item, e.event_type});
      } else {
        add_new(e.item_id, e.event_type);
      }
    }
  }
  return out;
}

StatusOr<std::shared_ptr<const FilterSnapshot>> ControlPlane::CurrentSnapshot(
    const Deployment& d, FilterCache& cache, bool with_interactions) {
  // The caller holds cache.mu, so concurrent first requests build the snapshot once; requests
  // without a filter or metadata never take it.
  // Writers bump interactions_generation_ before filter_data_generation_, and this reads them
  // the other way round: a snapshot labelled with a new generation never keeps the
  // interactions of an older one.
  const uint64_t generation = filter_data_generation_.load();
  const uint64_t interactions_generation = interactions_generation_.load();
  if (!cache.snapshot || cache.snapshot->generation != generation ||
      (with_interactions && !cache.snapshot->has_interactions)) {
    StatusOr<std::shared_ptr<const FilterSnapshot>> built = BuildFilterSnapshot(
        d, generation, interactions_generation, cache.snapshot.get(), with_interactions);
    if (!built.ok()) {
      return Status::Internal("Cannot read the data of dataset group " + d.dataset_group_arn +
                              ": " + built.status().message());
    }
    cache.snapshot = std::move(built).value();
    cache.filters.clear();
  }
  return cache.snapshot;
}

StatusOr<std::shared_ptr<const FilterSnapshot>> ControlPlane::MetadataSnapshot(
    const Deployment& d) {
  std::lock_guard lock(d.filters->mu);
  return CurrentSnapshot(d, *d.filters, /*with_interactions=*/false);
}

Status ControlPlane::AddItemMetadata(const Deployment& d,
                                     const std::map<std::string, std::vector<std::string>>& columns,
                                     std::vector<RecommendedItem>* items) {
  TAILOR_ASSIGN_OR_RETURN(const std::shared_ptr<const FilterSnapshot> snapshot,
                          MetadataSnapshot(d));
  const std::vector<std::string>& names = columns.begin()->second;
  if (snapshot->items_table == nullptr) {
    return Status::InvalidInput("metadataColumns.ITEMS: dataset group " + d.dataset_group_arn +
                                " has no Items dataset.");
  }
  std::vector<const data::TableColumn*> found;
  for (const std::string& name : names) {
    const data::TableColumn* column = snapshot->items_table->FindIgnoringCase(name);
    if (column == nullptr) {
      return Status::InvalidInput("metadataColumns.ITEMS: the Items dataset has no column '" +
                                  name + "'.");
    }
    found.push_back(column);
  }
  for (RecommendedItem& item : *items) {
    auto row = snapshot->item_rows.find(item.item_id);
    if (row == snapshot->item_rows.end()) continue;
    const size_t r = static_cast<size_t>(row->second);
    for (size_t c = 0; c < names.size(); ++c) {
      const data::TableColumn& column = *found[c];
      if (!column.valid[r]) continue;
      std::string value;
      if (!column.codes.empty()) {
        value = std::string(column.StringAt(r));
      } else if (!column.ints.empty()) {
        value = column.field.type == data::FieldType::kBoolean
                    ? (column.ints[r] != 0 ? "true" : "false")
                    : std::to_string(column.ints[r]);
      } else {
        value = fmt::format("{}", column.doubles[r]);
      }
      item.metadata[names[c]] = std::move(value);
    }
  }
  return Status::OK();
}

bool ControlPlane::FilterExclusionResult::KeepsNewItem(std::string_view item_id) const {
  if (snapshot == nullptr) return true;
  if (auto it = snapshot->new_item_index.find(item_id); it != snapshot->new_item_index.end()) {
    return !algo::IsExcluded(bits, it->second);
  }
  if (auto it = rowless_kept.find(item_id); it != rowless_kept.end()) return it->second;
  return !algo::IsExcluded(bits, snapshot->rowless_item);
}

StatusOr<ControlPlane::FilterExclusionResult> ControlPlane::FilterExclusion(const Deployment& d,
                                                                            const FilterQuery& q) {
  if (q.filter_arn.empty()) return FilterExclusionResult{};
  TAILOR_ASSIGN_OR_RETURN(const Filter filter, ActiveFilter(q.filter_arn));
  if (filter.dataset_group_arn != d.dataset_group_arn) {
    return Status::InvalidInput("Filter " + filter.info.arn + " belongs to dataset group " +
                                filter.dataset_group_arn + ", not to " + d.dataset_group_arn +
                                " of the campaign's solution.");
  }
  std::shared_ptr<const FilterSnapshot> snapshot;
  std::shared_ptr<const serve::FilterEvaluator> evaluator;
  {
    FilterCache& cache = *d.filters;
    std::lock_guard lock(cache.mu);
    TAILOR_ASSIGN_OR_RETURN(snapshot, CurrentSnapshot(d, cache, /*with_interactions=*/true));
    auto it = cache.filters.find(filter.info.arn);
    if (it == cache.filters.end() || it->second.created_micros != filter.info.created_micros) {
      TAILOR_ASSIGN_OR_RETURN(serve::FilterPlan plan,
                              serve::FilterPlan::Parse(filter.filter_expression));
      StatusOr<std::unique_ptr<serve::FilterEvaluator>> created =
          serve::FilterEvaluator::Create(std::move(plan), snapshot->index);
      if (!created.ok()) {
        return Status::InvalidInput(
            "Filter " + filter.info.arn +
            " does not fit the data of its dataset group: " + created.status().message());
      }
      CachedFilter entry{filter.info.created_micros, std::move(created).value()};
      it = cache.filters.insert_or_assign(filter.info.arn, std::move(entry)).first;
    }
    evaluator = it->second.evaluator;
  }
  const serve::FilterPlan& plan = evaluator->plan();
  if (plan.needs_user() && q.user_id.empty()) {
    return Status::InvalidInput("userId is required with filter " + filter.info.arn +
                                ", which refers to Interactions or CurrentUser.");
  }
  std::vector<serve::FilterInteraction> interactions;
  std::vector<serve::RecentEvent> recent_events;  // holds the event types interactions views
  RowlessEvents rowless;
  if (plan.needs_interactions()) {
    interactions = RequestInteractions(d, *snapshot, q.user_id, &recent_events, &rowless);
  }
  serve::FilterRequest request;
  request.filter_values = q.filter_values;
  request.user_id = q.user_id;
  request.interactions = interactions;
  request.current_item_id = q.item_id;
  FilterExclusionResult result;
  TAILOR_RETURN_IF_ERROR(evaluator->Evaluate(request, &result.bits));
  // The row-less items the user has events on are judged as the row-less entry with those
  // events on it, once per set of event types (the answer depends on nothing else).
  std::map<std::vector<std::string_view>, bool> kept_by_types;
  std::vector<serve::FilterInteraction> on_rowless;
  std::vector<uint64_t> rowless_bits;
  for (auto& [item_id, types] : rowless) {
    std::sort(types.begin(), types.end());
    types.erase(std::unique(types.begin(), types.end()), types.end());
    auto [kept, fresh] = kept_by_types.try_emplace(types, false);
    if (fresh) {
      on_rowless.clear();
      for (std::string_view type : types) on_rowless.push_back({snapshot->rowless_item, type});
      request.interactions = on_rowless;
      TAILOR_RETURN_IF_ERROR(evaluator->Evaluate(request, &rowless_bits));
      kept->second = !algo::IsExcluded(rowless_bits, snapshot->rowless_item);
    }
    result.rowless_kept.emplace(std::string(item_id), kept->second);
  }
  result.snapshot = std::move(snapshot);
  return result;
}

}  // namespace tailor::core
