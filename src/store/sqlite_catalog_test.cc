// SQLite-only behaviour: what lives in the file. Behaviour every backend shares is tested in
// catalog_test.cc.
#include "store/sqlite_catalog.h"

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "common/check.h"
#include "common/env.h"

namespace tailor::store {
namespace {

class SqliteCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/tailor_sqlite_catalog_test_XXXXXX";
    const char* made = mkdtemp(name);
    TAILOR_CHECK(made != nullptr);
    dir_ = made;
    path_ = dir_ + "/catalog.db";
  }
  void TearDown() override { (void)Env::Default()->RemoveAll(dir_); }

  // Runs `sql` on a second connection of our own, as another process would. Returns every
  // column of every row, columns joined by "|" and rows by "\n".
  std::string QueryRaw(const std::string& sql) {
    sqlite3* db = nullptr;
    TAILOR_CHECK(sqlite3_open(path_.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    std::string result;
    TAILOR_CHECK(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      if (!result.empty()) result += "\n";
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (i > 0) result += "|";
        const unsigned char* text = sqlite3_column_text(stmt, i);
        if (text != nullptr) result += reinterpret_cast<const char*>(text);
      }
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return result;
  }

  std::string dir_;
  std::string path_;
};

CatalogRecord MakeRecord(const std::string& name, int64_t created_micros) {
  CatalogRecord r;
  r.arn = "arn:aws:personalize:us-east-1:000000000000:dataset-group/" + name;
  r.type = "dataset-group";
  r.name = name;
  r.status = "ACTIVE";
  r.created_micros = created_micros;
  r.updated_micros = created_micros;
  r.body = "{}";
  r.tags = {{"k", name}};
  return r;
}

TEST_F(SqliteCatalogTest, DataSurvivesCloseAndReopen) {
  std::string token;
  {
    auto catalog = OpenSqliteCatalog(path_);
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE((*catalog)->Insert(MakeRecord("g" + std::to_string(i), i)).ok());
    }
    ASSERT_TRUE((*catalog)
                    ->Update(MakeRecord("g1", 1).arn,
                             [](CatalogRecord* r) {
                               r->status = "DELETE PENDING";
                               return Status::OK();
                             })
                    .ok());
    ASSERT_TRUE((*catalog)->Delete(MakeRecord("g2", 2).arn).ok());
    auto page = (*catalog)->List({.type = "dataset-group", .page_size = 2});
    ASSERT_TRUE(page.ok());
    token = page->next_page_token;
  }
  auto catalog = OpenSqliteCatalog(path_);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  auto g1 = (*catalog)->Get(MakeRecord("g1", 1).arn);
  ASSERT_TRUE(g1.ok());
  EXPECT_EQ(g1->status, "DELETE PENDING");
  EXPECT_EQ(g1->tags, (std::map<std::string, std::string>{{"k", "g1"}}));
  EXPECT_TRUE((*catalog)->Get(MakeRecord("g2", 2).arn).status().IsNotFound());
  auto count = (*catalog)->Count({.type = "dataset-group"});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 4);
  // A token outlives the process that made it.
  auto rest = (*catalog)->List({.type = "dataset-group", .page_size = 10, .page_token = token});
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  ASSERT_EQ(rest->records.size(), 2u);
  EXPECT_EQ(rest->records[0].name, "g1");
  EXPECT_EQ(rest->records[1].name, "g0");
}

TEST_F(SqliteCatalogTest, UsesWalAndRecordsSchemaVersion) {
  auto catalog = OpenSqliteCatalog(path_);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_EQ(QueryRaw("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryRaw("PRAGMA user_version"), std::to_string(SqliteCatalog::kSchemaVersion));
}

TEST_F(SqliteCatalogTest, ListUsesAnIndexWithoutSorting) {
  auto catalog = OpenSqliteCatalog(path_);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  const std::string plan = QueryRaw(
      "EXPLAIN QUERY PLAN SELECT arn FROM records WHERE type = 'x' AND parent_arn = 'p' AND "
      "(created_micros, arn) < (5, 'a') ORDER BY created_micros DESC, arn DESC LIMIT 3");
  EXPECT_NE(plan.find("records_by_parent"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  const std::string by_type = QueryRaw(
      "EXPLAIN QUERY PLAN SELECT arn FROM records WHERE type = 'x' AND "
      "(created_micros, arn) < (5, 'a') ORDER BY created_micros DESC, arn DESC LIMIT 3");
  EXPECT_NE(by_type.find("records_by_type"), std::string::npos) << by_type;
  EXPECT_EQ(by_type.find("TEMP B-TREE"), std::string::npos) << by_type;
}

TEST_F(SqliteCatalogTest, RefusesNewerSchemaVersion) {
  { ASSERT_TRUE(OpenSqliteCatalog(path_).ok()); }
  QueryRaw("PRAGMA user_version=" + std::to_string(SqliteCatalog::kSchemaVersion + 1));
  auto catalog = OpenSqliteCatalog(path_);
  EXPECT_TRUE(catalog.status().IsInternal()) << catalog.status().ToString();
  EXPECT_NE(catalog.status().message().find("newer"), std::string::npos);
}

TEST_F(SqliteCatalogTest, RefusesAFileThatIsNotADatabase) {
  ASSERT_TRUE(Env::Default()->WriteFileAtomically(path_, std::string(4096, 'x')).ok());
  auto catalog = OpenSqliteCatalog(path_);
  EXPECT_TRUE(catalog.status().IsInternal()) << catalog.status().ToString();
  EXPECT_NE(catalog.status().message().find(path_), std::string::npos);
}

TEST_F(SqliteCatalogTest, TwoCatalogsOnOneFileSeeEachOthersWrites) {
  auto a = OpenSqliteCatalog(path_);
  auto b = OpenSqliteCatalog(path_);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Insert(MakeRecord("g", 1)).ok());
  EXPECT_TRUE((*b)->Get(MakeRecord("g", 1).arn).ok());
  EXPECT_TRUE((*b)->Insert(MakeRecord("g", 1)).IsAlreadyExists());
}

}  // namespace
}  // namespace tailor::store
