#include "store/memory_catalog.h"

#include <algorithm>
#include <vector>

#include "store/catalog_internal.h"

namespace tailor::store {

Status MemoryCatalog::Insert(const CatalogRecord& record) {
  TAILOR_RETURN_IF_ERROR(internal::ValidateRecord(record));
  std::lock_guard<std::mutex> lock(mu_);
  if (records_.count(record.arn) != 0) {
    return Status::AlreadyExists("a resource with the arn " + record.arn + " already exists");
  }
  auto key = std::make_tuple(record.type, record.scope, record.name);
  if (names_.count(key) != 0) {
    return Status::AlreadyExists("a " + record.type + " named " + record.name + " already exists");
  }
  names_.emplace(std::move(key), record.arn);
  records_.emplace(record.arn, record);
  return Status::OK();
}

StatusOr<CatalogRecord> MemoryCatalog::Get(std::string_view arn) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(arn);
  if (it == records_.end()) {
    return Status::NotFound("no resource has the arn " + std::string(arn));
  }
  return it->second;
}

Status MemoryCatalog::Update(std::string_view arn,
                             const std::function<Status(CatalogRecord*)>& mutate) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(arn);
  if (it == records_.end()) {
    return Status::NotFound("no resource has the arn " + std::string(arn));
  }
  // Mutating a copy is what makes a failed `mutate` leave the stored record untouched.
  CatalogRecord copy = it->second;
  TAILOR_RETURN_IF_ERROR(mutate(&copy));
  if (copy.arn != it->second.arn || copy.type != it->second.type || copy.name != it->second.name ||
      copy.scope != it->second.scope) {
    return Status::Internal("an update tried to change the arn, type, scope or name of " +
                            it->second.arn);
  }
  TAILOR_RETURN_IF_ERROR(internal::ValidateRecord(copy));
  it->second = std::move(copy);
  return Status::OK();
}

Status MemoryCatalog::Delete(std::string_view arn) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(arn);
  if (it == records_.end()) {
    return Status::NotFound("no resource has the arn " + std::string(arn));
  }
  names_.erase(std::make_tuple(it->second.type, it->second.scope, it->second.name));
  records_.erase(it);
  return Status::OK();
}

StatusOr<ListPage> MemoryCatalog::List(const ListQuery& query) {
  TAILOR_RETURN_IF_ERROR(internal::ValidateListQuery(query, /*check_page_size=*/true));
  internal::PageCursor cursor;
  const bool resume = !query.page_token.empty();
  if (resume) {
    TAILOR_ASSIGN_OR_RETURN(cursor, internal::DecodePageToken(query));
  }

  std::lock_guard<std::mutex> lock(mu_);
  // A linear scan is fine for a test backend; SqliteCatalog uses an index instead.
  std::vector<const CatalogRecord*> matching;
  for (const auto& [arn, record] : records_) {
    if (!internal::Matches(query, record)) continue;
    if (resume && !internal::ComesBefore(cursor.created_micros, cursor.arn, record.created_micros,
                                         record.arn)) {
      continue;
    }
    matching.push_back(&record);
  }
  auto before = [](const CatalogRecord* a, const CatalogRecord* b) {
    return internal::ComesBefore(a->created_micros, a->arn, b->created_micros, b->arn);
  };
  const size_t page_size = static_cast<size_t>(query.page_size);
  const bool more = matching.size() > page_size;
  if (more) {
    std::partial_sort(matching.begin(), matching.begin() + page_size, matching.end(), before);
    matching.resize(page_size);
  } else {
    std::sort(matching.begin(), matching.end(), before);
  }

  ListPage page;
  page.records.reserve(matching.size());
  for (const CatalogRecord* r : matching) page.records.push_back(*r);
  if (more) {
    const CatalogRecord& last = page.records.back();
    page.next_page_token = internal::EncodePageToken(query, {last.created_micros, last.arn});
  }
  return page;
}

StatusOr<int64_t> MemoryCatalog::Count(const ListQuery& query) {
  TAILOR_RETURN_IF_ERROR(internal::ValidateListQuery(query, /*check_page_size=*/false));
  std::lock_guard<std::mutex> lock(mu_);
  int64_t n = 0;
  for (const auto& [arn, record] : records_) {
    if (internal::Matches(query, record)) ++n;
  }
  return n;
}

std::unique_ptr<Catalog> NewMemoryCatalog() { return std::make_unique<MemoryCatalog>(); }

}  // namespace tailor::store
