// Catalog: the durable record store behind every control-plane resource. It speaks records,
// not domain types (style.md L2): core/ turns its resources into a CatalogRecord whose `body`
// is JSON that only core/ reads. Implementations: SqliteCatalog (default), MemoryCatalog (tests).
// Thread-safety: every method is safe to call concurrently; each call is atomic.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/status_or.h"

namespace tailor::store {

struct CatalogRecord {
  std::string arn;         // primary key
  std::string type;        // resource type, e.g. "dataset-group", "schema", "dataset"
  std::string name;        // unique per (type, scope)
  std::string scope;       // the namespace names are unique in (e.g. "region:account"); may be ""
  std::string parent_arn;  // the owning resource, "" when none
  std::string status;      // lifecycle status, "" for types without one
  int64_t created_micros = 0;
  int64_t updated_micros = 0;
  std::string body;                         // opaque JSON owned by core/
  std::map<std::string, std::string> tags;  // tag key -> value
};

struct ListQuery {
  std::string type;                   // required
  std::string parent_arn;             // "" lists every record of the type
  std::string scope;                  // "" = any scope; else only records of this scope
  std::vector<std::string> statuses;  // empty = any status
  int page_size = 100;                // 1..1000
  std::string page_token;             // "" for the first page; else a token from ListPage
};

struct ListPage {
  std::vector<CatalogRecord> records;  // newest first (created_micros, then arn, descending)
  std::string next_page_token;         // "" when this is the last page
};

// Besides the codes listed per method, any method may return Internal (a storage failure or a
// corrupt store) or Unavailable (another process kept the store locked past a timeout; retry).
class Catalog {
 public:
  virtual ~Catalog() = default;

  // Stores a new record. AlreadyExists when its arn, or its (type, scope, name), is taken;
  // InvalidInput when arn, type or name is empty or a tag is not valid UTF-8.
  virtual Status Insert(const CatalogRecord& record) = 0;

  // Returns the record. NotFound when no record has this arn.
  virtual StatusOr<CatalogRecord> Get(std::string_view arn) = 0;

  // Reads the record, calls `mutate` on a copy and stores the copy, atomically with respect to
  // every other call. If `mutate` returns an error nothing is stored and that error is
  // returned. NotFound when no record has this arn. Internal if `mutate` changed arn, type,
  // scope or name; InvalidInput if the mutated record breaks Insert's rules. `mutate` runs while
  // the catalog is locked, so keep it short. REQUIRES: `mutate` does not call back into the
  // catalog.
  virtual Status Update(std::string_view arn,
                        const std::function<Status(CatalogRecord*)>& mutate) = 0;

  // Removes the record. NotFound when no record has this arn.
  virtual Status Delete(std::string_view arn) = 0;

  // One page of the records matching `query`. InvalidNextToken when page_token was not made by
  // this catalog for the same query (same type, parent_arn, scope and set of statuses; page_size
  // may change between pages); InvalidInput when type is empty or page_size is out of range. Paging
  // is by position, not offset: records inserted or deleted meanwhile neither repeat nor shift the
  // records still to come. Token format: docs/formats/catalog.md.
  virtual StatusOr<ListPage> List(const ListQuery& query) = 0;

  // How many records match `query` (page_size and page_token are ignored).
  virtual StatusOr<int64_t> Count(const ListQuery& query) = 0;
};

// Opens (creating if needed, folder included) a SQLite catalog at `path`, in WAL mode.
StatusOr<std::unique_ptr<Catalog>> OpenSqliteCatalog(const std::string& path);

// A catalog that lives in memory only, for tests.
std::unique_ptr<Catalog> NewMemoryCatalog();

// Opens the backend named by `url`'s scheme: "sqlite:///abs/path.db", or a plain path (SQLite,
// creating the file's folder if missing), or "memory:". InvalidInput for an unknown scheme.
StatusOr<std::unique_ptr<Catalog>> OpenCatalog(const std::string& url);

}  // namespace tailor::store
