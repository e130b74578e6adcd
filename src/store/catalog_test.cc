// The catalog conformance suite (style.md T3): every backend runs every test here and must give
// the same answers. Backend-specific tests (durability, schema version) are in
// sqlite_catalog_test.cc.
#include "store/catalog.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/check.h"
#include "common/env.h"

namespace tailor::store {
namespace {

// A fresh folder under /tmp, removed with everything in it when the object goes away.
class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/tailor_catalog_test_XXXXXX";
    const char* made = mkdtemp(name);
    TAILOR_CHECK(made != nullptr);
    path_ = made;
  }
  ~TempDir() { (void)Env::Default()->RemoveAll(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Backend {
  std::string name;
  // Opens a catalog that keeps any files inside `dir`.
  std::function<StatusOr<std::unique_ptr<Catalog>>(const std::string& dir)> open;
};

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

CatalogRecord MakeRecord(const std::string& type, const std::string& name,
                         const std::string& parent_arn = "", const std::string& status = "ACTIVE",
                         int64_t created_micros = 1000) {
  CatalogRecord r;
  r.arn = "arn:aws:personalize:us-east-1:000000000000:" + type + "/" + name;
  r.type = type;
  r.name = name;
  r.parent_arn = parent_arn;
  r.status = status;
  r.created_micros = created_micros;
  r.updated_micros = created_micros;
  r.body = "{\"name\":\"" + name + "\"}";
  return r;
}

void ExpectSameRecord(const CatalogRecord& a, const CatalogRecord& b) {
  EXPECT_EQ(a.arn, b.arn);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.scope, b.scope);
  EXPECT_EQ(a.parent_arn, b.parent_arn);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.created_micros, b.created_micros);
  EXPECT_EQ(a.updated_micros, b.updated_micros);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.tags, b.tags);
}

std::vector<std::string> Arns(const std::vector<CatalogRecord>& records) {
  std::vector<std::string> arns;
  for (const CatalogRecord& r : records) arns.push_back(r.arn);
  return arns;
}

class CatalogTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto opened = GetParam().open(dir_.path());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    catalog_ = std::move(opened).value();
  }

  // Every page of `query`, following tokens; fails the test on an error or a runaway loop.
  std::vector<CatalogRecord> ListAll(ListQuery query) {
    std::vector<CatalogRecord> all;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = catalog_->List(query);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      EXPECT_TRUE(!page->records.empty() || all.empty()) << "a token led to an empty page";
      all.insert(all.end(), page->records.begin(), page->records.end());
      if (page->next_page_token.empty()) break;
      query.page_token = page->next_page_token;
    }
    return all;
  }

  TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_P(CatalogTest, InsertThenGetRoundTripsEveryField) {
  CatalogRecord r = MakeRecord("dataset", "movies", "arn:parent", "CREATE PENDING", 42);
  r.updated_micros = 43;
  // The body is bytes to the catalog: an embedded NUL must survive.
  static constexpr char kBody[] = "{\"x\":\"caf\xc3\xa9\"}\0tail";
  r.body = std::string(kBody, sizeof(kBody) - 1);
  r.tags = {{"team", "ml"}, {"cost-center", "\xe6\x97\xa5\xe6\x9c\xac"}, {"empty", ""}};
  ASSERT_TRUE(catalog_->Insert(r).ok());
  auto got = catalog_->Get(r.arn);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSameRecord(*got, r);
}

TEST_P(CatalogTest, InsertRefusesDuplicateArn) {
  CatalogRecord r = MakeRecord("schema", "s1");
  ASSERT_TRUE(catalog_->Insert(r).ok());
  CatalogRecord same_arn = r;
  same_arn.name = "s2";
  Status s = catalog_->Insert(same_arn);
  EXPECT_TRUE(s.IsAlreadyExists()) << s.ToString();
  EXPECT_NE(s.message().find(r.arn), std::string::npos) << s.message();
}

TEST_P(CatalogTest, InsertRefusesDuplicateTypeAndName) {
  ASSERT_TRUE(catalog_->Insert(MakeRecord("schema", "s1")).ok());
  CatalogRecord same_name = MakeRecord("schema", "s1");
  same_name.arn += "-other";
  Status s = catalog_->Insert(same_name);
  EXPECT_TRUE(s.IsAlreadyExists()) << s.ToString();
  EXPECT_NE(s.message().find("s1"), std::string::npos) << s.message();
  // The same name under another type is a different resource.
  EXPECT_TRUE(catalog_->Insert(MakeRecord("filter", "s1")).ok());
}

TEST_P(CatalogTest, NamesAreUniquePerScopeAndListsFilterByScope) {
  CatalogRecord us = MakeRecord("dataset-group", "movies", "", "ACTIVE", 1);
  us.scope = "us-east-1:000000000000";
  CatalogRecord eu = us;
  eu.arn = "arn:aws:personalize:eu-west-1:000000000000:dataset-group/movies";
  eu.scope = "eu-west-1:000000000000";
  eu.created_micros = 2;
  ASSERT_TRUE(catalog_->Insert(us).ok());
  ASSERT_TRUE(catalog_->Insert(eu).ok()) << "the same name is free in another scope";
  CatalogRecord us_again = us;
  us_again.arn += "-2";
  EXPECT_TRUE(catalog_->Insert(us_again).IsAlreadyExists());

  StatusOr<CatalogRecord> got = catalog_->Get(eu.arn);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSameRecord(*got, eu);
  ListQuery query;
  query.type = "dataset-group";
  query.scope = "eu-west-1:000000000000";
  StatusOr<ListPage> page = catalog_->List(query);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(Arns(page->records), std::vector<std::string>{eu.arn});
  query.scope = "";
  page = catalog_->List(query);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(Arns(page->records), (std::vector<std::string>{eu.arn, us.arn}));
  query.scope = "us-east-1:000000000000";
  StatusOr<int64_t> count = catalog_->Count(query);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
  // An update may not move a record to another scope.
  Status moved = catalog_->Update(us.arn, [](CatalogRecord* r) {
    r->scope = "eu-west-1:000000000000";
    return Status::OK();
  });
  EXPECT_TRUE(moved.IsInternal()) << moved.ToString();
}

TEST_P(CatalogTest, InsertRefusesRecordWithoutArnTypeOrName) {
  CatalogRecord no_arn = MakeRecord("schema", "a");
  no_arn.arn.clear();
  CatalogRecord no_type = MakeRecord("schema", "b");
  no_type.type.clear();
  CatalogRecord no_name = MakeRecord("schema", "c");
  no_name.name.clear();
  EXPECT_TRUE(catalog_->Insert(no_arn).IsInvalidInput());
  EXPECT_TRUE(catalog_->Insert(no_type).IsInvalidInput());
  EXPECT_TRUE(catalog_->Insert(no_name).IsInvalidInput());
}

TEST_P(CatalogTest, InsertRefusesTagThatIsNotUtf8) {
  CatalogRecord r = MakeRecord("schema", "s1");
  r.tags = {{"k", "\xff\xfe"}};
  EXPECT_TRUE(catalog_->Insert(r).IsInvalidInput());
  EXPECT_TRUE(catalog_->Get(r.arn).status().IsNotFound());
}

TEST_P(CatalogTest, UnknownArnIsNotFound) {
  EXPECT_TRUE(catalog_->Get("arn:nope").status().IsNotFound());
  EXPECT_TRUE(catalog_->Delete("arn:nope").IsNotFound());
  bool called = false;
  Status s = catalog_->Update("arn:nope", [&](CatalogRecord*) {
    called = true;
    return Status::OK();
  });
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_FALSE(called);
}

TEST_P(CatalogTest, UpdateStoresTheMutatedRecord) {
  CatalogRecord r = MakeRecord("campaign", "c1", "arn:sv1", "CREATE PENDING", 10);
  ASSERT_TRUE(catalog_->Insert(r).ok());
  ASSERT_TRUE(catalog_
                  ->Update(r.arn,
                           [](CatalogRecord* rec) {
                             rec->status = "ACTIVE";
                             rec->parent_arn = "arn:sv2";
                             rec->updated_micros = 20;
                             rec->body = "{\"minProvisionedTPS\":2}";
                             rec->tags["k"] = "v";
                             return Status::OK();
                           })
                  .ok());
  auto got = catalog_->Get(r.arn);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, "ACTIVE");
  EXPECT_EQ(got->parent_arn, "arn:sv2");
  EXPECT_EQ(got->created_micros, 10);
  EXPECT_EQ(got->updated_micros, 20);
  EXPECT_EQ(got->body, "{\"minProvisionedTPS\":2}");
  EXPECT_EQ(got->tags, (std::map<std::string, std::string>{{"k", "v"}}));
}

TEST_P(CatalogTest, UpdateKeepsRecordWhenMutateFails) {
  CatalogRecord r = MakeRecord("campaign", "c1");
  ASSERT_TRUE(catalog_->Insert(r).ok());
  Status s = catalog_->Update(r.arn, [](CatalogRecord* rec) {
    rec->status = "DELETE PENDING";
    rec->body = "changed";
    return Status::InUse("campaign is busy");
  });
  EXPECT_TRUE(s.IsInUse()) << s.ToString();
  EXPECT_EQ(s.message(), "campaign is busy");
  auto got = catalog_->Get(r.arn);
  ASSERT_TRUE(got.ok());
  ExpectSameRecord(*got, r);
  // The catalog is still usable after the rollback.
  EXPECT_TRUE(catalog_->Insert(MakeRecord("campaign", "c2")).ok());
}

TEST_P(CatalogTest, UpdateRefusesToChangeArnTypeOrName) {
  CatalogRecord r = MakeRecord("solution", "s1");
  ASSERT_TRUE(catalog_->Insert(r).ok());
  const std::vector<std::function<void(CatalogRecord*)>> changes = {
      [](CatalogRecord* rec) { rec->arn += "x"; },
      [](CatalogRecord* rec) { rec->type = "campaign"; },
      [](CatalogRecord* rec) { rec->name = "s2"; },
  };
  for (const auto& change : changes) {
    Status s = catalog_->Update(r.arn, [&](CatalogRecord* rec) {
      rec->status = "ACTIVE";
      change(rec);
      return Status::OK();
    });
    EXPECT_TRUE(s.IsInternal()) << s.ToString();
  }
  auto got = catalog_->Get(r.arn);
  ASSERT_TRUE(got.ok());
  ExpectSameRecord(*got, r);
}

TEST_P(CatalogTest, DeleteRemovesRecordAndFreesItsName) {
  CatalogRecord r = MakeRecord("filter", "f1");
  ASSERT_TRUE(catalog_->Insert(r).ok());
  ASSERT_TRUE(catalog_->Delete(r.arn).ok());
  EXPECT_TRUE(catalog_->Get(r.arn).status().IsNotFound());
  EXPECT_TRUE(catalog_->Delete(r.arn).IsNotFound());
  EXPECT_TRUE(catalog_->Insert(r).ok());
}

TEST_P(CatalogTest, ListFiltersByTypeParentAndStatuses) {
  ASSERT_TRUE(catalog_->Insert(MakeRecord("dataset", "d1", "arn:g1", "ACTIVE", 1)).ok());
  ASSERT_TRUE(catalog_->Insert(MakeRecord("dataset", "d2", "arn:g1", "CREATE FAILED", 2)).ok());
  ASSERT_TRUE(catalog_->Insert(MakeRecord("dataset", "d3", "arn:g2", "ACTIVE", 3)).ok());
  ASSERT_TRUE(catalog_->Insert(MakeRecord("schema", "s1", "", "", 4)).ok());

  auto names = [&](const ListQuery& q) {
    std::vector<std::string> out;
    for (const CatalogRecord& r : ListAll(q)) out.push_back(r.name);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names({.type = "dataset"}), (V{"d3", "d2", "d1"}));
  EXPECT_EQ(names({.type = "dataset", .parent_arn = "arn:g1"}), (V{"d2", "d1"}));
  EXPECT_EQ(names({.type = "dataset", .statuses = {"ACTIVE"}}), (V{"d3", "d1"}));
  EXPECT_EQ(names({.type = "dataset", .parent_arn = "arn:g1", .statuses = {"ACTIVE"}}), (V{"d1"}));
  EXPECT_EQ(names({.type = "dataset", .statuses = {"CREATE FAILED", "ACTIVE"}}),
            (V{"d3", "d2", "d1"}));
  EXPECT_EQ(names({.type = "dataset", .statuses = {"DELETE PENDING"}}), V{});
  EXPECT_EQ(names({.type = "schema"}), (V{"s1"}));
  EXPECT_EQ(names({.type = "campaign"}), V{});
}

TEST_P(CatalogTest, ListRequiresType) {
  EXPECT_TRUE(catalog_->List({}).status().IsInvalidInput());
  EXPECT_TRUE(catalog_->Count({}).status().IsInvalidInput());
}

TEST_P(CatalogTest, ListPaginatesNewestFirstWithoutGapsOrDuplicates) {
  // Several records share a timestamp, so the arn tie-break is exercised across page edges.
  std::vector<CatalogRecord> inserted;
  for (int i = 0; i < 23; ++i) {
    CatalogRecord r = MakeRecord("solution", "s" + std::to_string(i), "arn:g", "ACTIVE", i / 3);
    ASSERT_TRUE(catalog_->Insert(r).ok());
    inserted.push_back(r);
  }
  std::sort(inserted.begin(), inserted.end(), [](const CatalogRecord& a, const CatalogRecord& b) {
    if (a.created_micros != b.created_micros) return a.created_micros > b.created_micros;
    return a.arn > b.arn;
  });
  for (int page_size : {1, 4, 7, 22, 23, 24, 1000}) {
    SCOPED_TRACE("page_size " + std::to_string(page_size));
    std::vector<CatalogRecord> all = ListAll({.type = "solution", .page_size = page_size});
    EXPECT_EQ(Arns(all), Arns(inserted));
  }
}

TEST_P(CatalogTest, LastFullPageHasNoToken) {
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(catalog_->Insert(MakeRecord("schema", "s" + std::to_string(i), "", "", i)).ok());
  }
  auto first = catalog_->List({.type = "schema", .page_size = 3});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->records.size(), 3u);
  ASSERT_FALSE(first->next_page_token.empty());
  auto second =
      catalog_->List({.type = "schema", .page_size = 3, .page_token = first->next_page_token});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->records.size(), 3u);
  EXPECT_EQ(second->next_page_token, "");

  auto everything = catalog_->List({.type = "schema", .page_size = 6});
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->records.size(), 6u);
  EXPECT_EQ(everything->next_page_token, "");
  auto empty = catalog_->List({.type = "campaign"});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->records.empty());
  EXPECT_EQ(empty->next_page_token, "");
}

TEST_P(CatalogTest, ListResumesAfterTheLastRecordOfAPageIsDeleted) {
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(catalog_->Insert(MakeRecord("schema", "s" + std::to_string(i), "", "", i)).ok());
  }
  auto first = catalog_->List({.type = "schema", .page_size = 2});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->records.size(), 2u);
  ASSERT_TRUE(catalog_->Delete(first->records.back().arn).ok());
  auto second =
      catalog_->List({.type = "schema", .page_size = 10, .page_token = first->next_page_token});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  std::vector<std::string> names;
  for (const CatalogRecord& r : second->records) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"s3", "s2", "s1", "s0"}));
}

TEST_P(CatalogTest, ListRejectsPageSizeOutOfRange) {
  EXPECT_TRUE(catalog_->List({.type = "schema", .page_size = 0}).status().IsInvalidInput());
  EXPECT_TRUE(catalog_->List({.type = "schema", .page_size = -1}).status().IsInvalidInput());
  EXPECT_TRUE(catalog_->List({.type = "schema", .page_size = 1001}).status().IsInvalidInput());
  EXPECT_TRUE(catalog_->List({.type = "schema", .page_size = 1}).ok());
  EXPECT_TRUE(catalog_->List({.type = "schema", .page_size = 1000}).ok());
}

TEST_P(CatalogTest, ListRejectsGarbageTokens) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(catalog_->Insert(MakeRecord("schema", "s" + std::to_string(i), "", "", i)).ok());
  }
  auto first = catalog_->List({.type = "schema", .page_size = 1});
  ASSERT_TRUE(first.ok());
  const std::string good = first->next_page_token;
  ASSERT_FALSE(good.empty());
  std::string bad_version = good;
  bad_version[1] = bad_version[1] == '1' ? '2' : '1';
  std::string upper = good;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  const std::vector<std::string> garbage = {"garbage",
                                            "0",
                                            "zz",
                                            good.substr(0, good.size() - 1),
                                            good.substr(0, 34),
                                            bad_version,
                                            upper == good ? "x" + good : upper,
                                            good + "g",
                                            std::string(good.size(), '0'),
                                            std::string("\0\xff", 2)};
  for (const std::string& token : garbage) {
    auto page = catalog_->List({.type = "schema", .page_size = 1, .page_token = token});
    EXPECT_TRUE(page.status().IsInvalidNextToken()) << "token " << token;
  }
}

TEST_P(CatalogTest, ListRejectsTokenFromAnotherQuery) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        catalog_->Insert(MakeRecord("dataset", "d" + std::to_string(i), "arn:g", "ACTIVE", i))
            .ok());
  }
  const ListQuery query = {.type = "dataset",
                           .parent_arn = "arn:g",
                           .statuses = {"ACTIVE", "CREATE PENDING"},
                           .page_size = 1};
  auto first = catalog_->List(query);
  ASSERT_TRUE(first.ok());
  const std::string token = first->next_page_token;
  ASSERT_FALSE(token.empty());

  std::vector<ListQuery> others = {
      {.type = "schema", .parent_arn = "arn:g", .statuses = {"ACTIVE", "CREATE PENDING"}},
      {.type = "dataset", .statuses = {"ACTIVE", "CREATE PENDING"}},
      {.type = "dataset", .parent_arn = "arn:h", .statuses = {"ACTIVE", "CREATE PENDING"}},
      {.type = "dataset", .parent_arn = "arn:g"},
      {.type = "dataset", .parent_arn = "arn:g", .statuses = {"ACTIVE"}},
  };
  for (ListQuery other : others) {
    other.page_token = token;
    EXPECT_TRUE(catalog_->List(other).status().IsInvalidNextToken())
        << other.type << " " << other.parent_arn;
  }
  // The statuses are a set; their order is not part of the query. The page size may change.
  ListQuery reordered = query;
  reordered.statuses = {"CREATE PENDING", "ACTIVE"};
  reordered.page_size = 50;
  reordered.page_token = token;
  auto rest = catalog_->List(reordered);
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  EXPECT_EQ(rest->records.size(), 2u);
}

TEST_P(CatalogTest, CountMatchesListFilters) {
  ASSERT_TRUE(catalog_->Insert(MakeRecord("dataset", "d1", "arn:g1", "ACTIVE", 1)).ok());
  ASSERT_TRUE(catalog_->Insert(MakeRecord("dataset", "d2", "arn:g1", "CREATE FAILED", 2)).ok());
  ASSERT_TRUE(catalog_->Insert(MakeRecord("dataset", "d3", "arn:g2", "ACTIVE", 3)).ok());
  ASSERT_TRUE(catalog_->Insert(MakeRecord("schema", "s1", "", "", 4)).ok());
  auto count = [&](const ListQuery& q) {
    auto n = catalog_->Count(q);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  };
  EXPECT_EQ(count({.type = "dataset"}), 3);
  EXPECT_EQ(count({.type = "dataset", .parent_arn = "arn:g1"}), 2);
  EXPECT_EQ(count({.type = "dataset", .statuses = {"ACTIVE"}}), 2);
  EXPECT_EQ(count({.type = "dataset", .parent_arn = "arn:g2", .statuses = {"CREATE FAILED"}}), 0);
  EXPECT_EQ(count({.type = "schema"}), 1);
  EXPECT_EQ(count({.type = "campaign"}), 0);
  // Count ignores paging fields, even invalid ones.
  EXPECT_EQ(count({.type = "dataset", .page_size = 0, .page_token = "garbage"}), 3);
}

TEST_P(CatalogTest, ConcurrentUpdatesLoseNothing) {
  CatalogRecord r = MakeRecord("campaign", "counter");
  r.body = "0";
  ASSERT_TRUE(catalog_->Insert(r).ok());
  constexpr int kThreads = 4;
  constexpr int kUpdatesPerThread = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kUpdatesPerThread; ++i) {
        Status s = catalog_->Update(r.arn, [](CatalogRecord* rec) {
          rec->body = std::to_string(std::stoi(rec->body) + 1);
          return Status::OK();
        });
        EXPECT_TRUE(s.ok()) << s.ToString();
        // Readers and other writers interleave with the updates.
        EXPECT_TRUE(catalog_->Get(r.arn).ok());
        if (i % 10 == 0) {
          EXPECT_TRUE(
              catalog_
                  ->Insert(MakeRecord("filter", "f" + std::to_string(t) + "_" + std::to_string(i)))
                  .ok());
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  auto got = catalog_->Get(r.arn);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->body, std::to_string(kThreads * kUpdatesPerThread));
  auto filters = catalog_->Count({.type = "filter"});
  ASSERT_TRUE(filters.ok());
  EXPECT_EQ(*filters, kThreads * (kUpdatesPerThread / 10));
}

INSTANTIATE_TEST_SUITE_P(
    Backends, CatalogTest,
    ::testing::Values(Backend{"Memory",
                              [](const std::string&) -> StatusOr<std::unique_ptr<Catalog>> {
                                return NewMemoryCatalog();
                              }},
                      Backend{"Sqlite",
                              [](const std::string& dir) {
                                return OpenSqliteCatalog(dir + "/catalog.db");
                              }},
                      Backend{"SqliteViaUrl",
                              [](const std::string& dir) {
                                return OpenCatalog("sqlite://" + dir + "/nested/folder/catalog.db");
                              }}),
    BackendName);

TEST(OpenCatalogTest, OpensMemoryCatalog) {
  auto catalog = OpenCatalog("memory:");
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_TRUE((*catalog)->Insert(MakeRecord("schema", "s")).ok());
}

TEST(OpenCatalogTest, PlainPathOpensSqliteAndCreatesFolders) {
  TempDir dir;
  const std::string path = dir.path() + "/a/b/catalog.db";
  auto catalog = OpenCatalog(path);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_TRUE(Env::Default()->FileExists(path));
}

TEST(OpenCatalogTest, RejectsUnknownSchemeNamingIt) {
  auto catalog = OpenCatalog("postgres://db.example.com/tailor");
  EXPECT_TRUE(catalog.status().IsInvalidInput());
  EXPECT_NE(catalog.status().message().find("postgres"), std::string::npos)
      << catalog.status().message();
  EXPECT_TRUE(OpenCatalog("").status().IsInvalidInput());
  EXPECT_TRUE(OpenCatalog("sqlite://").status().IsInvalidInput());
}

}  // namespace
}  // namespace tailor::store
