// MemoryCatalog: a Catalog kept in a std::map, lost when the process exits. It gives the same
// answers as SqliteCatalog (same ordering, tokens and errors; the conformance suite in
// catalog_test.cc runs against both) and exists for fast tests of the layers above.
// Thread-safety: every method is safe to call concurrently; one mutex serialises them all.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "store/catalog.h"

namespace tailor::store {

class MemoryCatalog final : public Catalog {
 public:
  MemoryCatalog() = default;
  MemoryCatalog(const MemoryCatalog&) = delete;
  MemoryCatalog& operator=(const MemoryCatalog&) = delete;

  Status Insert(const CatalogRecord& record) override;
  StatusOr<CatalogRecord> Get(std::string_view arn) override;
  Status Update(std::string_view arn, const std::function<Status(CatalogRecord*)>& mutate) override;
  Status Delete(std::string_view arn) override;
  StatusOr<ListPage> List(const ListQuery& query) override;
  StatusOr<int64_t> Count(const ListQuery& query) override;

 private:
  std::mutex mu_;
  // Protected by mu_.
  std::map<std::string, CatalogRecord, std::less<>> records_;  // arn -> record
  // (type, scope, name) -> arn
  std::map<std::tuple<std::string, std::string, std::string>, std::string> names_;
};

}  // namespace tailor::store
