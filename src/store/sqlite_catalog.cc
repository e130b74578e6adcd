#include "store/sqlite_catalog.h"

#include <utility>
#include <vector>

#include <sqlite3.h>

#include "common/env.h"
#include "store/catalog_internal.h"

namespace tailor::store {
namespace {

// How long a call waits for another process's lock before giving up with Unavailable.
constexpr int kBusyTimeoutMillis = 5000;

// Layout version 1; docs/formats/catalog.md explains each part. The second index serves
// listings without a parent; both end in (created_micros DESC, arn DESC) so that a page is an
// index range scan that resumes from the token's position without sorting.
constexpr const char* kSchemaV1[] = {
    "CREATE TABLE IF NOT EXISTS records ("
    "  arn TEXT PRIMARY KEY NOT NULL,"
    "  type TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  scope TEXT NOT NULL DEFAULT '',"
    "  parent_arn TEXT NOT NULL DEFAULT '',"
    "  status TEXT NOT NULL DEFAULT '',"
    "  created_micros INTEGER NOT NULL,"
    "  updated_micros INTEGER NOT NULL,"
    "  body TEXT NOT NULL DEFAULT '',"
    "  tags TEXT NOT NULL DEFAULT '{}',"
    "  UNIQUE (type, scope, name))",
    "CREATE INDEX IF NOT EXISTS records_by_parent"
    "  ON records (type, parent_arn, created_micros DESC, arn DESC)",
    "CREATE INDEX IF NOT EXISTS records_by_type"
    "  ON records (type, created_micros DESC, arn DESC)",
};

constexpr const char* kColumns =
    "arn, type, name, parent_arn, status, created_micros, updated_micros, body, tags, scope";

// Binds text with an explicit length so that bytes round-trip exactly, embedded NULs included.
// SQLITE_TRANSIENT makes SQLite copy the bytes: the caller's strings may not outlive the step.
int BindText(sqlite3_stmt* stmt, int index, std::string_view text) {
  return sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                           SQLITE_TRANSIENT);
}

std::string ColumnString(sqlite3_stmt* stmt, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
  if (text == nullptr) return std::string();
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
}

// Reads a row selected with kColumns.
StatusOr<CatalogRecord> ReadRecord(sqlite3_stmt* stmt) {
  CatalogRecord record;
  record.arn = ColumnString(stmt, 0);
  record.type = ColumnString(stmt, 1);
  record.name = ColumnString(stmt, 2);
  record.parent_arn = ColumnString(stmt, 3);
  record.status = ColumnString(stmt, 4);
  record.created_micros = sqlite3_column_int64(stmt, 5);
  record.updated_micros = sqlite3_column_int64(stmt, 6);
  record.body = ColumnString(stmt, 7);
  TAILOR_ASSIGN_OR_RETURN(record.tags, internal::DecodeTags(ColumnString(stmt, 8)));
  record.scope = ColumnString(stmt, 9);
  return record;
}

// The WHERE clause shared by List and Count; BindFilter binds its parameters in the same order.
std::string FilterSql(const ListQuery& query) {
  std::string sql = " WHERE type = ?";
  if (!query.parent_arn.empty()) sql += " AND parent_arn = ?";
  if (!query.scope.empty()) sql += " AND scope = ?";
  if (!query.statuses.empty()) {
    sql += " AND status IN (?";
    for (size_t i = 1; i < query.statuses.size(); ++i) sql += ", ?";
    sql += ")";
  }
  return sql;
}

// Binds FilterSql's parameters from index 1; returns the next free index.
int BindFilter(sqlite3_stmt* stmt, const ListQuery& query) {
  int index = 1;
  BindText(stmt, index++, query.type);
  if (!query.parent_arn.empty()) BindText(stmt, index++, query.parent_arn);
  if (!query.scope.empty()) BindText(stmt, index++, query.scope);
  for (const std::string& status : query.statuses) BindText(stmt, index++, status);
  return index;
}

}  // namespace

// Resets a cached statement and clears its bindings when a call is done with it, on every
// path, so the next user finds it ready and no borrowed state outlives the call.
class SqliteCatalog::ScopedStatement {
 public:
  explicit ScopedStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ScopedStatement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  ScopedStatement(const ScopedStatement&) = delete;
  ScopedStatement& operator=(const ScopedStatement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

StatusOr<std::unique_ptr<SqliteCatalog>> SqliteCatalog::Open(const std::string& path) {
  sqlite3* db = nullptr;
  // NOMUTEX: mu_ serialises every use of the connection, so SQLite's own mutex is redundant.
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::Internal("cannot open the catalog database " + path + ": " + detail);
  }
  std::unique_ptr<SqliteCatalog> catalog(new SqliteCatalog(db));
  Status s = catalog->Initialize();
  if (!s.ok()) return s.WithPrefix("cannot open the catalog database " + path);
  return catalog;
}

SqliteCatalog::~SqliteCatalog() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  // The last connection to close checkpoints the WAL into the main file.
  sqlite3_close_v2(db_);
}

Status SqliteCatalog::Error(int rc, std::string_view context) {
  std::string message = "catalog " + std::string(context) + ": " + sqlite3_errmsg(db_);
  // Another process holding the file past the busy timeout is worth retrying; anything else
  // is a fault the user cannot fix by calling again.
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(message);
  return Status::Internal(message);
}

Status SqliteCatalog::Initialize() {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_busy_timeout(db_, kBusyTimeoutMillis);
  sqlite3_extended_result_codes(db_, 1);

  // journal_mode answers with the mode in force, which stays "delete" or "memory" where WAL is
  // impossible (e.g. some network file systems); refuse those rather than run without it.
  {
    TAILOR_ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare("PRAGMA journal_mode=WAL"));
    ScopedStatement stmt(raw);
    int rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW) return Error(rc, "setting WAL mode");
    std::string mode = ColumnString(stmt.get(), 0);
    if (mode != "wal")
      return Status::Internal("the catalog cannot use WAL mode (got " + mode + ")");
  }
  // FULL: in WAL mode NORMAL may lose the last commits on power loss; an acknowledged control
  // plane call must not be forgotten.
  TAILOR_RETURN_IF_ERROR(Exec("PRAGMA synchronous=FULL"));

  int version = 0;
  {
    TAILOR_ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare("PRAGMA user_version"));
    ScopedStatement stmt(raw);
    int rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW) return Error(rc, "reading the schema version");
    version = sqlite3_column_int(stmt.get(), 0);
  }
  if (version > kSchemaVersion) {
    return Status::Internal("the catalog has schema version " + std::to_string(version) +
                            ", newer than this build understands (" +
                            std::to_string(kSchemaVersion) + "); use a newer tailor");
  }
  if (version == kSchemaVersion) return Status::OK();

  // A new file. IF NOT EXISTS and the immediate transaction make two processes creating the
  // same file at once harmless. Future versions add their migration steps here.
  TAILOR_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  for (const char* sql : kSchemaV1) {
    Status s = Exec(sql);
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
  }
  Status s = Exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
  if (s.ok()) s = Exec("COMMIT");
  if (!s.ok()) (void)Exec("ROLLBACK");
  return s;
}

StatusOr<sqlite3_stmt*> SqliteCatalog::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, "preparing \"" + sql + "\"");
  statements_.emplace(sql, stmt);
  return stmt;
}

Status SqliteCatalog::Exec(const std::string& sql) {
  TAILOR_ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(sql));
  ScopedStatement stmt(raw);
  int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Error(rc, "running \"" + sql + "\"");
  return Status::OK();
}

Status SqliteCatalog::Insert(const CatalogRecord& record) {
  TAILOR_RETURN_IF_ERROR(internal::ValidateRecord(record));
  TAILOR_ASSIGN_OR_RETURN(std::string tags, internal::EncodeTags(record.tags));
  std::lock_guard<std::mutex> lock(mu_);
  TAILOR_ASSIGN_OR_RETURN(sqlite3_stmt * raw,
                          Prepare(std::string("INSERT INTO records (") + kColumns +
                                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  ScopedStatement stmt(raw);
  BindText(raw, 1, record.arn);
  BindText(raw, 2, record.type);
  BindText(raw, 3, record.name);
  BindText(raw, 4, record.parent_arn);
  BindText(raw, 5, record.status);
  sqlite3_bind_int64(raw, 6, record.created_micros);
  sqlite3_bind_int64(raw, 7, record.updated_micros);
  BindText(raw, 8, record.body);
  BindText(raw, 9, tags);
  BindText(raw, 10, record.scope);
  int rc = sqlite3_step(raw);
  if (rc == SQLITE_DONE) return Status::OK();
  // The arn is the primary key and (type, scope, name) the only other unique key, so a constraint
  // failure is one of the two; SQLite's message names the columns.
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
      (rc == SQLITE_CONSTRAINT_UNIQUE &&
       std::string_view(sqlite3_errmsg(db_)).find("records.arn") != std::string_view::npos)) {
    return Status::AlreadyExists("a resource with the arn " + record.arn + " already exists");
  }
  if (rc == SQLITE_CONSTRAINT_UNIQUE) {
    return Status::AlreadyExists("a " + record.type + " named " + record.name + " already exists");
  }
  return Error(rc, "inserting " + record.arn);
}

StatusOr<CatalogRecord> SqliteCatalog::GetLocked(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(std::string("SELECT ") + kColumns +
                                                      " FROM records WHERE arn = ?"));
  ScopedStatement stmt(raw);
  BindText(raw, 1, arn);
  int rc = sqlite3_step(raw);
  if (rc == SQLITE_DONE) return Status::NotFound("no resource has the arn " + std::string(arn));
  if (rc != SQLITE_ROW) return Error(rc, "reading " + std::string(arn));
  return ReadRecord(raw);
}

StatusOr<CatalogRecord> SqliteCatalog::Get(std::string_view arn) {
  std::lock_guard<std::mutex> lock(mu_);
  return GetLocked(arn);
}

Status SqliteCatalog::Update(std::string_view arn,
                             const std::function<Status(CatalogRecord*)>& mutate) {
  std::lock_guard<std::mutex> lock(mu_);
  // IMMEDIATE takes the write lock before the read, so another process cannot change the
  // record between our read and our write.
  TAILOR_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  auto update = [&]() -> Status {
    TAILOR_ASSIGN_OR_RETURN(CatalogRecord original, GetLocked(arn));
    CatalogRecord copy = original;
    TAILOR_RETURN_IF_ERROR(mutate(&copy));
    if (copy.arn != original.arn || copy.type != original.type || copy.name != original.name ||
        copy.scope != original.scope) {
      return Status::Internal("an update tried to change the arn, type, scope or name of " +
                              original.arn);
    }
    TAILOR_RETURN_IF_ERROR(internal::ValidateRecord(copy));
    TAILOR_ASSIGN_OR_RETURN(std::string tags, internal::EncodeTags(copy.tags));
    TAILOR_ASSIGN_OR_RETURN(
        sqlite3_stmt * raw,
        Prepare("UPDATE records SET parent_arn = ?, status = ?, created_micros = ?, "
                "updated_micros = ?, body = ?, tags = ? WHERE arn = ?"));
    ScopedStatement stmt(raw);
    BindText(raw, 1, copy.parent_arn);
    BindText(raw, 2, copy.status);
    sqlite3_bind_int64(raw, 3, copy.created_micros);
    sqlite3_bind_int64(raw, 4, copy.updated_micros);
    BindText(raw, 5, copy.body);
    BindText(raw, 6, tags);
    BindText(raw, 7, copy.arn);
    int rc = sqlite3_step(raw);
    if (rc != SQLITE_DONE) return Error(rc, "updating " + copy.arn);
    return Status::OK();
  };
  // The guard also rolls back if `mutate` throws, so the connection is never left inside a
  // transaction that every later BEGIN would trip over.
  struct RollbackUnlessCommitted {
    SqliteCatalog* catalog;
    bool committed = false;
    ~RollbackUnlessCommitted() {
      // After a failed COMMIT SQLite may already have rolled back; this ROLLBACK then fails
      // harmlessly, and the first error is the one worth reporting.
      if (!committed) (void)catalog->Exec("ROLLBACK");
    }
  } guard{this};
  TAILOR_RETURN_IF_ERROR(update());
  TAILOR_RETURN_IF_ERROR(Exec("COMMIT"));
  guard.committed = true;
  return Status::OK();
}

Status SqliteCatalog::Delete(std::string_view arn) {
  std::lock_guard<std::mutex> lock(mu_);
  TAILOR_ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare("DELETE FROM records WHERE arn = ?"));
  ScopedStatement stmt(raw);
  BindText(raw, 1, arn);
  int rc = sqlite3_step(raw);
  if (rc != SQLITE_DONE) return Error(rc, "deleting " + std::string(arn));
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound("no resource has the arn " + std::string(arn));
  }
  return Status::OK();
}

StatusOr<ListPage> SqliteCatalog::List(const ListQuery& query) {
  TAILOR_RETURN_IF_ERROR(internal::ValidateListQuery(query, /*check_page_size=*/true));
  internal::PageCursor cursor;
  const bool resume = !query.page_token.empty();
  if (resume) {
    TAILOR_ASSIGN_OR_RETURN(cursor, internal::DecodePageToken(query));
  }
  // The row value comparison is what lets SQLite start the index scan at the cursor.
  std::string sql = std::string("SELECT ") + kColumns + " FROM records" + FilterSql(query);
  if (resume) sql += " AND (created_micros, arn) < (?, ?)";
  sql += " ORDER BY created_micros DESC, arn DESC LIMIT ?";

  std::lock_guard<std::mutex> lock(mu_);
  TAILOR_ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(sql));
  ScopedStatement stmt(raw);
  int index = BindFilter(raw, query);
  if (resume) {
    sqlite3_bind_int64(raw, index++, cursor.created_micros);
    BindText(raw, index++, cursor.arn);
  }
  // One row more than the page tells whether a next page exists, so the last page never
  // carries a token that leads to an empty page.
  sqlite3_bind_int(raw, index++, query.page_size + 1);

  ListPage page;
  bool more = false;
  for (;;) {
    int rc = sqlite3_step(raw);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Error(rc, "listing " + query.type);
    if (static_cast<int>(page.records.size()) == query.page_size) {
      more = true;
      break;
    }
    TAILOR_ASSIGN_OR_RETURN(CatalogRecord record, ReadRecord(raw));
    page.records.push_back(std::move(record));
  }
  if (more) {
    const CatalogRecord& last = page.records.back();
    page.next_page_token = internal::EncodePageToken(query, {last.created_micros, last.arn});
  }
  return page;
}

StatusOr<int64_t> SqliteCatalog::Count(const ListQuery& query) {
  TAILOR_RETURN_IF_ERROR(internal::ValidateListQuery(query, /*check_page_size=*/false));
  std::string sql = "SELECT COUNT(*) FROM records" + FilterSql(query);
  std::lock_guard<std::mutex> lock(mu_);
  TAILOR_ASSIGN_OR_RETURN(sqlite3_stmt * raw, Prepare(sql));
  ScopedStatement stmt(raw);
  BindFilter(raw, query);
  int rc = sqlite3_step(raw);
  if (rc != SQLITE_ROW) return Error(rc, "counting " + query.type);
  return static_cast<int64_t>(sqlite3_column_int64(raw, 0));
}

StatusOr<std::unique_ptr<Catalog>> OpenSqliteCatalog(const std::string& path) {
  // Creating the folder here lets a fresh data directory work without a setup step.
  const size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    TAILOR_RETURN_IF_ERROR(Env::Default()->CreateDirs(path.substr(0, slash)));
  }
  TAILOR_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCatalog> catalog, SqliteCatalog::Open(path));
  return std::unique_ptr<Catalog>(std::move(catalog));
}

}  // namespace tailor::store
