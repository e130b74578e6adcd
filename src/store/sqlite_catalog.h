// SqliteCatalog: the default Catalog, one SQLite database file in WAL mode with
// synchronous=FULL, so a call that returned OK survives a crash or power loss. Layout, schema
// version and page-token format: docs/formats/catalog.md.
// Thread-safety: every method is safe to call concurrently. One connection, guarded by one
// mutex, serves every call; other processes opening the same file are tolerated through
// SQLite's own locking (BEGIN IMMEDIATE and a busy timeout).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/catalog.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tailor::store {

class SqliteCatalog final : public Catalog {
 public:
  // The layout version this build writes, kept in PRAGMA user_version. Opening a file with a
  // newer version fails rather than risk misreading it.
  static constexpr int kSchemaVersion = 1;

  // Opens or creates the database at `path` (its folder must exist) and creates the schema if
  // the file is new. Internal when the file cannot be opened, is not a SQLite database, cannot
  // switch to WAL, or has a newer schema version; Unavailable when another process holds it
  // locked longer than the busy timeout.
  static StatusOr<std::unique_ptr<SqliteCatalog>> Open(const std::string& path);

  ~SqliteCatalog() override;
  SqliteCatalog(const SqliteCatalog&) = delete;
  SqliteCatalog& operator=(const SqliteCatalog&) = delete;

  Status Insert(const CatalogRecord& record) override;
  StatusOr<CatalogRecord> Get(std::string_view arn) override;
  Status Update(std::string_view arn, const std::function<Status(CatalogRecord*)>& mutate) override;
  Status Delete(std::string_view arn) override;
  StatusOr<ListPage> List(const ListQuery& query) override;
  StatusOr<int64_t> Count(const ListQuery& query) override;

 private:
  class ScopedStatement;

  explicit SqliteCatalog(sqlite3* db) : db_(db) {}

  // Sets the pragmas and creates or checks the schema. Called once, before any other method.
  Status Initialize();

  // The cached prepared statement for `sql`, preparing it on first use. REQUIRES: mu_ held.
  StatusOr<sqlite3_stmt*> Prepare(const std::string& sql);
  // Runs a statement that returns no rows. REQUIRES: mu_ held.
  Status Exec(const std::string& sql);
  // Reads one record by arn. REQUIRES: mu_ held.
  StatusOr<CatalogRecord> GetLocked(std::string_view arn);
  // The Status for SQLite result code `rc`, with sqlite3_errmsg for detail.
  Status Error(int rc, std::string_view context);

  std::mutex mu_;
  // Protected by mu_: the connection is opened without SQLite's own mutex, since mu_ already
  // serialises every use of it and of the statements prepared on it.
  sqlite3* const db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;  // SQL text -> statement
};

}  // namespace tailor::store
