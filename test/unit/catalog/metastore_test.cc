#include "catalog/metastore.h"

#include <atomic>
#include <barrier>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "postgres_environment.h"

namespace floe::catalog {
namespace {

enum class Backend { kSqlite, kPostgres };

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// One behavioural suite for both backends: each test gets a fresh database, a SQLite file in a
// temporary folder or a new database on the shared PostgreSQL server.
class MetastoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "floe-metastore-XXXXXX").string();
      ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
      folder_ = pattern;
      uri_ = "sqlite:" + folder_ + "/nested/floe.db";
    } else {
      Result<std::string> database = CreateTestDatabase();
      ASSERT_TRUE(database.ok()) << database.status().ToString();
      uri_ = *database;
    }
    metastore_ = Open();
    ASSERT_NE(metastore_, nullptr);
  }

  void TearDown() override {
    metastore_.reset();
    if (!folder_.empty()) {
      std::error_code error;
      std::filesystem::remove_all(folder_, error);
    }
  }

  std::unique_ptr<Metastore> Open(const MetastoreOptions& options = {}) {
    Result<std::unique_ptr<Metastore>> opened = OpenMetastore(uri_, options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  void CreateNamespaces(const std::vector<Namespace>& namespaces) {
    for (const Namespace& namespace_name : namespaces) {
      ASSERT_TRUE(metastore_->CreateNamespace(namespace_name, {}).ok());
    }
  }

  std::string Location(const TableIdentifier& identifier) {
    Result<TableEntry> entry = metastore_->LoadTable(identifier);
    return entry.ok() ? entry->metadata_location : entry.status().ToString();
  }

  std::string folder_;
  std::string uri_;
  std::unique_ptr<Metastore> metastore_;
};

INSTANTIATE_TEST_SUITE_P(Backends, MetastoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

const TableIdentifier kOrders{{"sales", "eu"}, "orders"};

// Namespaces.

TEST_P(MetastoreTest, CreatesNestedNamespacesWithProperties) {
  ASSERT_TRUE(metastore_->CreateNamespace({"sales"}, {{"owner", "ana"}}).ok());
  ASSERT_TRUE(metastore_->CreateNamespace({"sales", "eu"}, {{"region", "eu"}, {"a", "1"}}).ok());
  EXPECT_EQ(metastore_->LoadNamespace({"sales", "eu"}).ValueOr({}),
            (Properties{{"a", "1"}, {"region", "eu"}}));
  EXPECT_EQ(metastore_->LoadNamespace({"sales"}).ValueOr({}), (Properties{{"owner", "ana"}}));
  EXPECT_TRUE(metastore_->NamespaceExists({"sales", "eu"}).ValueOr(false));
  EXPECT_FALSE(metastore_->NamespaceExists({"sales", "us"}).ValueOr(true));
  EXPECT_FALSE(metastore_->NamespaceExists({"eu"}).ValueOr(true));
}

TEST_P(MetastoreTest, RefusesDuplicateAndOrphanNamespaces) {
  CreateNamespaces({{"sales"}});
  Status duplicate = metastore_->CreateNamespace({"sales"}, {});
  EXPECT_EQ(duplicate.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.message(), "namespace sales already exists");
  Status orphan = metastore_->CreateNamespace({"hr", "payroll"}, {});
  EXPECT_EQ(orphan.code(), StatusCode::kNotFound);
  EXPECT_EQ(orphan.message(), "namespace hr does not exist");
  EXPECT_EQ(metastore_->LoadNamespace({"hr"}).status().message(), "namespace hr does not exist");
}

TEST_P(MetastoreTest, RejectsMalformedNames) {
  EXPECT_EQ(metastore_->CreateNamespace({}, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(metastore_->CreateNamespace({""}, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(metastore_
                ->CreateNamespace({"a\x1f"
                                   "b"},
                                  {})
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(metastore_->CreateNamespace({std::string("a\0b", 3)}, {}).code(),
            StatusCode::kInvalidArgument);
  CreateNamespaces({{"sales"}});
  EXPECT_EQ(metastore_->CreateTable({{"sales"}, ""}, "s3://m.json").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(metastore_->CreateTable({{"sales"}, "t"}, "").code(), StatusCode::kInvalidArgument);
}

TEST_P(MetastoreTest, ListsChildNamespacesInPages) {
  CreateNamespaces({{"a"}, {"b"}, {"c"}, {"b", "x"}, {"b", "y"}, {"b", "x", "deep"}});
  Result<Page<Namespace>> all = metastore_->ListNamespaces({}, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items, (std::vector<Namespace>{{"a"}, {"b"}, {"c"}}));
  EXPECT_EQ(all->next_page_token, "");

  Result<Page<Namespace>> first = metastore_->ListNamespaces({}, {.page_size = 2});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->items, (std::vector<Namespace>{{"a"}, {"b"}}));
  ASSERT_NE(first->next_page_token, "");
  Result<Page<Namespace>> second =
      metastore_->ListNamespaces({}, {.page_token = first->next_page_token, .page_size = 2});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->items, (std::vector<Namespace>{{"c"}}));
  EXPECT_EQ(second->next_page_token, "");

  EXPECT_EQ(metastore_->ListNamespaces({"b"}, {}).ValueOr({}).items,
            (std::vector<Namespace>{{"b", "x"}, {"b", "y"}}));
  EXPECT_EQ(metastore_->ListNamespaces({"nope"}, {}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(metastore_->ListNamespaces({}, {.page_token = "zz"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(metastore_->ListNamespaces({}, {.page_size = -1}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(MetastoreTest, DropsOnlyEmptyNamespacesNamingWhatTheyHold) {
  CreateNamespaces({{"sales"}, {"sales", "eu"}});
  ASSERT_TRUE(metastore_->CreateTable({{"sales"}, "orders"}, "s3://w/orders/v1.json").ok());
  ASSERT_TRUE(metastore_->CreateView({{"sales"}, "recent"}, {.sql = "SELECT 1"}).ok());
  Status refused = metastore_->DropNamespace({"sales"});
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.message(),
            "namespace sales is not empty: it still holds 1 namespace (sales.eu), 1 table "
            "(sales.orders), 1 view (sales.recent)");
  EXPECT_TRUE(metastore_->NamespaceExists({"sales"}).ValueOr(false));

  ASSERT_TRUE(metastore_->DropNamespace({"sales", "eu"}).ok());
  ASSERT_TRUE(metastore_->DropTable({{"sales"}, "orders"}).ok());
  ASSERT_TRUE(metastore_->DropView({{"sales"}, "recent"}).ok());
  ASSERT_TRUE(metastore_->DropNamespace({"sales"}).ok());
  EXPECT_FALSE(metastore_->NamespaceExists({"sales"}).ValueOr(true));
  EXPECT_EQ(metastore_->DropNamespace({"sales"}).code(), StatusCode::kNotFound);
  // Its properties went with it: a namespace created again starts bare.
  CreateNamespaces({{"sales"}});
  EXPECT_EQ(metastore_->LoadNamespace({"sales"}).ValueOr({{"x", "y"}}), Properties{});
}

TEST_P(MetastoreTest, UpdatesPropertiesReportingMissingRemovals) {
  ASSERT_TRUE(metastore_->CreateNamespace({"sales"}, {{"a", "1"}, {"b", "2"}}).ok());
  Result<PropertiesUpdate> update =
      metastore_->UpdateNamespaceProperties({"sales"}, {"b", "zz"}, {{"a", "10"}, {"c", "3"}});
  ASSERT_TRUE(update.ok()) << update.status().ToString();
  EXPECT_EQ(update->updated, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(update->removed, (std::vector<std::string>{"b"}));
  EXPECT_EQ(update->missing, (std::vector<std::string>{"zz"}));
  EXPECT_EQ(metastore_->LoadNamespace({"sales"}).ValueOr({}),
            (Properties{{"a", "10"}, {"c", "3"}}));
  EXPECT_EQ(metastore_->UpdateNamespaceProperties({"sales"}, {"a"}, {{"a", "1"}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(metastore_->UpdateNamespaceProperties({"hr"}, {}, {{"a", "1"}}).status().code(),
            StatusCode::kNotFound);
}

TEST_P(MetastoreTest, StoresHostileTextLiterally) {
  const std::string hostile = "x'); DROP TABLE catalog_tables; --";
  ASSERT_TRUE(metastore_->CreateNamespace({hostile}, {{hostile, hostile}}).ok());
  ASSERT_TRUE(metastore_->CreateTable({{hostile}, hostile}, hostile).ok());
  EXPECT_EQ(Location({{hostile}, hostile}), hostile);
  EXPECT_EQ(metastore_->LoadNamespace({hostile}).ValueOr({}), (Properties{{hostile, hostile}}));
  const std::string unicode = "Ventes_Été_販売_\xF0\x9F\x93\x88";
  ASSERT_TRUE(metastore_->CreateNamespace({unicode}, {}).ok());
  EXPECT_TRUE(metastore_->NamespaceExists({unicode}).ValueOr(false));
}

// Tables.

TEST_P(MetastoreTest, CreatesLoadsAndListsTables) {
  CreateNamespaces({{"sales"}, {"sales", "eu"}});
  ASSERT_TRUE(metastore_->CreateTable(kOrders, "s3://w/orders/v1.json").ok());
  ASSERT_TRUE(metastore_->CreateTable({{"sales", "eu"}, "items"}, "s3://w/items/v1.json").ok());
  ASSERT_TRUE(metastore_->CreateTable({{"sales"}, "top"}, "s3://w/top/v1.json").ok());

  Result<TableEntry> entry = metastore_->LoadTable(kOrders);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->identifier, kOrders);
  EXPECT_EQ(entry->metadata_location, "s3://w/orders/v1.json");
  EXPECT_EQ(entry->previous_metadata_location, "");
  EXPECT_TRUE(metastore_->TableExists(kOrders).ValueOr(false));
  EXPECT_FALSE(metastore_->TableExists({{"sales"}, "orders"}).ValueOr(true));

  Result<Page<TableIdentifier>> first = metastore_->ListTables({"sales", "eu"}, {.page_size = 1});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->items, (std::vector<TableIdentifier>{{{"sales", "eu"}, "items"}}));
  Result<Page<TableIdentifier>> second =
      metastore_->ListTables({"sales", "eu"}, {.page_token = first->next_page_token});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->items, (std::vector<TableIdentifier>{kOrders}));
  EXPECT_EQ(second->next_page_token, "");
  EXPECT_EQ(metastore_->ListTables({"hr"}, {}).status().message(), "namespace hr does not exist");
}

TEST_P(MetastoreTest, RefusesDuplicateTablesAndMissingNamespaces) {
  EXPECT_EQ(metastore_->CreateTable(kOrders, "s3://v1.json").message(),
            "namespace sales.eu does not exist");
  CreateNamespaces({{"sales"}, {"sales", "eu"}});
  ASSERT_TRUE(metastore_->CreateTable(kOrders, "s3://v1.json").ok());
  Status duplicate = metastore_->CreateTable(kOrders, "s3://other.json");
  EXPECT_EQ(duplicate.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.message(), "table sales.eu.orders already exists");
  EXPECT_EQ(Location(kOrders), "s3://v1.json");
  Status missing = metastore_->LoadTable({{"sales"}, "nope"}).status();
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "table sales.nope does not exist");
}

TEST_P(MetastoreTest, RenamesTablesAcrossNamespaces) {
  CreateNamespaces({{"sales"}, {"sales", "eu"}, {"archive"}});
  ASSERT_TRUE(metastore_->CreateTable(kOrders, "s3://orders.json").ok());
  ASSERT_TRUE(metastore_->CreateTable({{"archive"}, "taken"}, "s3://taken.json").ok());
  ASSERT_TRUE(metastore_->RenameTable(kOrders, {{"archive"}, "orders_2024"}).ok());
  EXPECT_FALSE(metastore_->TableExists(kOrders).ValueOr(true));
  EXPECT_EQ(Location({{"archive"}, "orders_2024"}), "s3://orders.json");

  EXPECT_EQ(metastore_->RenameTable(kOrders, {{"archive"}, "x"}).message(),
            "table sales.eu.orders does not exist");
  EXPECT_EQ(metastore_->RenameTable({{"archive"}, "orders_2024"}, {{"archive"}, "taken"}).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(metastore_->RenameTable({{"archive"}, "orders_2024"}, {{"gone"}, "t"}).message(),
            "namespace gone does not exist");
  EXPECT_EQ(Location({{"archive"}, "orders_2024"}), "s3://orders.json");
}

TEST_P(MetastoreTest, DropsTablesReturningTheirLastEntry) {
  CreateNamespaces({{"sales"}, {"sales", "eu"}});
  ASSERT_TRUE(metastore_->CreateTable(kOrders, "s3://v1.json").ok());
  ASSERT_TRUE(metastore_->CommitTable(kOrders, "s3://v1.json", "s3://v2.json").ok());
  Result<TableEntry> dropped = metastore_->DropTable(kOrders);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(dropped->metadata_location, "s3://v2.json");
  EXPECT_EQ(dropped->previous_metadata_location, "s3://v1.json");
  EXPECT_FALSE(metastore_->TableExists(kOrders).ValueOr(true));
  EXPECT_EQ(metastore_->DropTable(kOrders).status().code(), StatusCode::kNotFound);
}

TEST_P(MetastoreTest, RegistersExistingTables) {
  CreateNamespaces({{"sales"}, {"sales", "eu"}});
  ASSERT_TRUE(metastore_->RegisterTable(kOrders, "s3://elsewhere/v7.metadata.json").ok());
  EXPECT_EQ(Location(kOrders), "s3://elsewhere/v7.metadata.json");
  EXPECT_EQ(metastore_->RegisterTable(kOrders, "s3://x.json").code(), StatusCode::kAlreadyExists);
}

// Compare-and-swap.

TEST_P(MetastoreTest, CommitSwapsTheLocationAndKeepsThePreviousOne) {
  CreateNamespaces({{"sales"}, {"sales", "eu"}});
  ASSERT_TRUE(metastore_->CreateTable(kOrders, "s3://v1.json").ok());
  ASSERT_TRUE(metastore_->CommitTable(kOrders, "s3://v1.json", "s3://v2.json").ok());
  ASSERT_TRUE(metastore_->CommitTable(kOrders, "s3://v2.json", "s3://v3.json").ok());
  Result<TableEntry> entry = metastore_->LoadTable(kOrders);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->metadata_location, "s3://v3.json");
  EXPECT_EQ(entry->previous_metadata_location, "s3://v2.json");
}

TEST_P(MetastoreTest, StaleCommitConflictsAndChangesNothing) {
  CreateNamespaces({{"sales"}, {"sales", "eu"}});
  ASSERT_TRUE(metastore_->CreateTable(kOrders, "s3://v1.json").ok());
  ASSERT_TRUE(metastore_->CommitTable(kOrders, "s3://v1.json", "s3://v2.json").ok());
  Status stale = metastore_->CommitTable(kOrders, "s3://v1.json", "s3://v2-other.json");
  EXPECT_EQ(stale.code(), StatusCode::kConflict);
  EXPECT_EQ(stale.message(),
            "table sales.eu.orders was changed concurrently: its metadata location is "
            "s3://v2.json, not the expected s3://v1.json");
  Result<TableEntry> entry = metastore_->LoadTable(kOrders);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->metadata_location, "s3://v2.json");
  EXPECT_EQ(entry->previous_metadata_location, "s3://v1.json");
  EXPECT_EQ(metastore_->CommitTable({{"sales"}, "nope"}, "a", "b").code(), StatusCode::kNotFound);
}

TEST_P(MetastoreTest, RacingCommitsFromOneLocationHaveExactlyOneWinner) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 5;
  CreateNamespaces({{"sales"}, {"sales", "eu"}});
  ASSERT_TRUE(metastore_->CreateTable(kOrders, "v0").ok());
  std::vector<std::unique_ptr<Metastore>> handles;
  for (int index = 0; index < kThreads; ++index) {
    handles.push_back(Open());
    ASSERT_NE(handles.back(), nullptr);
  }
  std::string expected = "v0";
  for (int round = 0; round < kRounds; ++round) {
    std::barrier start(kThreads);
    std::vector<Status> outcomes(kThreads);
    std::vector<std::thread> threads;
    for (int index = 0; index < kThreads; ++index) {
      threads.emplace_back([&, index] {
        start.arrive_and_wait();
        outcomes[index] = handles[index]->CommitTable(
            kOrders, expected, "r" + std::to_string(round) + "t" + std::to_string(index));
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    int winner = -1;
    for (int index = 0; index < kThreads; ++index) {
      if (outcomes[index].ok()) {
        EXPECT_EQ(winner, -1) << "two commits from " << expected << " both won";
        winner = index;
      } else {
        EXPECT_EQ(outcomes[index].code(), StatusCode::kConflict) << outcomes[index].ToString();
      }
    }
    ASSERT_NE(winner, -1);
    std::string won = "r" + std::to_string(round) + "t" + std::to_string(winner);
    EXPECT_EQ(Location(kOrders), won);
    expected = won;
  }
}

TEST_P(MetastoreTest, RacingCreatesOfOneNameHaveExactlyOneWinner) {
  constexpr int kThreads = 8;
  CreateNamespaces({{"sales"}});
  std::vector<std::unique_ptr<Metastore>> handles;
  for (int index = 0; index < kThreads; ++index) {
    handles.push_back(Open());
    ASSERT_NE(handles.back(), nullptr);
  }
  const TableIdentifier contested{{"sales"}, "contested"};
  std::barrier start(kThreads);
  std::vector<Status> outcomes(kThreads);
  std::vector<std::thread> threads;
  for (int index = 0; index < kThreads; ++index) {
    threads.emplace_back([&, index] {
      start.arrive_and_wait();
      // Half create a table, half a view: the two kinds share one name space.
      outcomes[index] = index % 2 == 0 ? handles[index]->CreateTable(contested, "s3://t.json")
                                       : handles[index]->CreateView(contested, {.sql = "SELECT 1"});
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  int num_winners = 0;
  for (const Status& outcome : outcomes) {
    num_winners += outcome.ok();
    if (!outcome.ok()) {
      EXPECT_EQ(outcome.code(), StatusCode::kAlreadyExists) << outcome.ToString();
    }
  }
  EXPECT_EQ(num_winners, 1);
  EXPECT_NE(metastore_->TableExists(contested).ValueOr(false),
            metastore_->LoadView(contested).ok());
}

TEST_P(MetastoreTest, RetriedCommitsFromManyThreadsLoseNothing) {
  constexpr int kThreads = 4;
  constexpr int kCommitsPerThread = 10;
  CreateNamespaces({{"sales"}, {"sales", "eu"}});
  ASSERT_TRUE(metastore_->CreateTable(kOrders, "0").ok());
  std::atomic<int> num_failures = 0;
  std::vector<std::thread> threads;
  for (int index = 0; index < kThreads; ++index) {
    threads.emplace_back([&] {
      for (int commit = 0; commit < kCommitsPerThread; ++commit) {
        // Each location counts the commits before it, so a lost update shows in the total.
        while (true) {
          Result<TableEntry> entry = metastore_->LoadTable(kOrders);
          if (!entry.ok()) {
            ++num_failures;
            return;
          }
          std::string next = std::to_string(std::atoi(entry->metadata_location.c_str()) + 1);
          Status status = metastore_->CommitTable(kOrders, entry->metadata_location, next);
          if (status.ok()) {
            break;
          }
          if (status.code() != StatusCode::kConflict) {
            ++num_failures;
            return;
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(num_failures, 0);
  EXPECT_EQ(Location(kOrders), std::to_string(kThreads * kCommitsPerThread));
}

// Runs in a forked child: waits for each turn, checks the parent's commit, commits on top.
[[noreturn]] void CommitInTurnsAsChild(const std::string& uri, int from_parent, int to_parent,
                                       int num_turns) {
  Result<std::unique_ptr<Metastore>> opened = OpenMetastore(uri);
  int failures = opened.ok() ? 0 : 1;
  for (int turn = 0; turn < num_turns && failures == 0; ++turn) {
    char token = 0;
    if (read(from_parent, &token, 1) != 1) {
      _exit(2);
    }
    std::string parent_location = "parent-" + std::to_string(turn);
    Result<TableEntry> entry = (*opened)->LoadTable(kOrders);
    failures += !entry.ok() || entry->metadata_location != parent_location;
    failures +=
        !(*opened)->CommitTable(kOrders, parent_location, "child-" + std::to_string(turn)).ok();
    if (write(to_parent, &token, 1) != 1) {
      _exit(2);
    }
  }
  // _exit: the child must not run the parent's destructors (the shared server among them).
  _exit(failures == 0 ? 0 : 1);
}

TEST_P(MetastoreTest, TwoProcessesCommittingInTurnsSeeEachOther) {
  constexpr int kTurns = 5;
  CreateNamespaces({{"sales"}, {"sales", "eu"}});
  ASSERT_TRUE(metastore_->CreateTable(kOrders, "start").ok());
  // No connection crosses the fork: SQLite's lock bookkeeping is per process.
  metastore_.reset();
  int to_child[2];
  int to_parent[2];
  ASSERT_EQ(pipe(to_child), 0);
  ASSERT_EQ(pipe(to_parent), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    CommitInTurnsAsChild(uri_, to_child[0], to_parent[1], kTurns);
  }
  metastore_ = Open();
  ASSERT_NE(metastore_, nullptr);
  std::string expected = "start";
  for (int turn = 0; turn < kTurns; ++turn) {
    std::string mine = "parent-" + std::to_string(turn);
    EXPECT_TRUE(metastore_->CommitTable(kOrders, expected, mine).ok());
    char token = 't';
    ASSERT_EQ(write(to_child[1], &token, 1), 1);
    ASSERT_EQ(read(to_parent[0], &token, 1), 1);
    expected = "child-" + std::to_string(turn);
    EXPECT_EQ(Location(kOrders), expected);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  for (int descriptor : {to_child[0], to_child[1], to_parent[0], to_parent[1]}) {
    close(descriptor);
  }
}

TEST_P(MetastoreTest, ServesManyThreadsThroughOneHandle) {
  constexpr int kThreads = 12;
  constexpr int kTablesPerThread = 5;
  CreateNamespaces({{"sales"}});
  std::atomic<int> num_failures = 0;
  std::vector<std::thread> threads;
  for (int index = 0; index < kThreads; ++index) {
    threads.emplace_back([&, index] {
      for (int table = 0; table < kTablesPerThread; ++table) {
        TableIdentifier identifier{{"sales"}, fmt::format("t{:02}_{}", index, table)};
        num_failures += !metastore_->CreateTable(identifier, "s3://x.json").ok();
        num_failures += !metastore_->LoadTable(identifier).ok();
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(num_failures, 0);
  EXPECT_EQ(metastore_->ListTables({"sales"}, {}).ValueOr({}).items.size(),
            static_cast<size_t>(kThreads * kTablesPerThread));
}

// Views.

TEST_P(MetastoreTest, CreatesReplacesListsAndDropsViews) {
  CreateNamespaces({{"sales"}});
  const TableIdentifier recent{{"sales"}, "recent"};
  ViewDefinition by_sql{.sql = "SELECT * FROM orders", .schema_json = R"({"fields":[]})"};
  ASSERT_TRUE(metastore_->CreateView(recent, by_sql).ok());
  EXPECT_EQ(metastore_->CreateView(recent, by_sql).message(), "view sales.recent already exists");
  Result<ViewEntry> loaded = metastore_->LoadView(recent);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->definition, by_sql);

  ViewDefinition by_location{.metadata_location = "s3://w/views/recent/v2.json"};
  ASSERT_TRUE(metastore_->ReplaceView(recent, by_location).ok());
  EXPECT_EQ(metastore_->LoadView(recent).ValueOr({}).definition, by_location);
  ASSERT_TRUE(metastore_->ReplaceView({{"sales"}, "fresh"}, by_sql).ok());
  EXPECT_EQ(metastore_->ListViews({"sales"}, {}).ValueOr({}).items,
            (std::vector<TableIdentifier>{{{"sales"}, "fresh"}, recent}));
  EXPECT_EQ(metastore_->CreateView({{"sales"}, "empty"}, {}).code(), StatusCode::kInvalidArgument);

  ASSERT_TRUE(metastore_->DropView(recent).ok());
  EXPECT_EQ(metastore_->LoadView(recent).status().message(), "view sales.recent does not exist");
  EXPECT_EQ(metastore_->DropView(recent).code(), StatusCode::kNotFound);
}

TEST_P(MetastoreTest, TablesAndViewsShareNames) {
  CreateNamespaces({{"sales"}});
  ASSERT_TRUE(metastore_->CreateTable({{"sales"}, "orders"}, "s3://t.json").ok());
  ASSERT_TRUE(metastore_->CreateView({{"sales"}, "recent"}, {.sql = "SELECT 1"}).ok());
  EXPECT_EQ(metastore_->CreateView({{"sales"}, "orders"}, {.sql = "SELECT 1"}).message(),
            "table sales.orders already exists");
  EXPECT_EQ(metastore_->ReplaceView({{"sales"}, "orders"}, {.sql = "SELECT 1"}).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(metastore_->CreateTable({{"sales"}, "recent"}, "s3://t.json").message(),
            "view sales.recent already exists");
  EXPECT_EQ(metastore_->RenameTable({{"sales"}, "orders"}, {{"sales"}, "recent"}).code(),
            StatusCode::kAlreadyExists);
}

TEST_P(MetastoreTest, RenamesViews) {
  CreateNamespaces({{"sales"}, {"archive"}});
  ASSERT_TRUE(metastore_->CreateView({{"sales"}, "recent"}, {.sql = "SELECT 1"}).ok());
  ASSERT_TRUE(metastore_->RenameView({{"sales"}, "recent"}, {{"archive"}, "old"}).ok());
  EXPECT_EQ(metastore_->LoadView({{"archive"}, "old"}).ValueOr({}).definition.sql, "SELECT 1");
  EXPECT_EQ(metastore_->RenameView({{"sales"}, "recent"}, {{"archive"}, "x"}).code(),
            StatusCode::kNotFound);
}

TEST_P(MetastoreTest, CommitsViewsByCompareAndSwap) {
  CreateNamespaces({{"sales"}});
  const TableIdentifier recent{{"sales"}, "recent"};
  ASSERT_TRUE(metastore_->CreateView(recent, {.sql = "SELECT 1", .schema_json = "[\"a\"]"}).ok());
  // A view of SQL text only has no location: the empty expected location swaps it.
  EXPECT_EQ(metastore_->CommitView(recent, "s3://w/v/1.json", "s3://w/v/2.json").code(),
            StatusCode::kConflict);
  ASSERT_TRUE(metastore_->CommitView(recent, "", "s3://w/v/1.json").ok());
  EXPECT_EQ(metastore_->LoadView(recent).ValueOr({}).definition,
            (ViewDefinition{.metadata_location = "s3://w/v/1.json"}));
  Status lost = metastore_->CommitView(recent, "", "s3://w/v/x.json");
  EXPECT_EQ(lost.code(), StatusCode::kConflict);
  EXPECT_EQ(lost.message(),
            "view sales.recent was changed concurrently: its metadata location is "
            "s3://w/v/1.json, not the expected (none)");
  ASSERT_TRUE(metastore_->CommitView(recent, "s3://w/v/1.json", "s3://w/v/2.json").ok());
  EXPECT_EQ(metastore_->LoadView(recent).ValueOr({}).definition.metadata_location,
            "s3://w/v/2.json");
  EXPECT_EQ(metastore_->CommitView({{"sales"}, "missing"}, "", "s3://w/v/3.json").message(),
            "view sales.missing does not exist");
  EXPECT_EQ(metastore_->CommitView(recent, "s3://w/v/2.json", "").code(),
            StatusCode::kInvalidArgument);
}

// Migrations and health.

TEST_P(MetastoreTest, FreshOpenAppliesEveryMigrationAndReopenNone) {
  Result<std::vector<AppliedMigration>> applied = metastore_->AppliedMigrations();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_EQ(applied->size(), 2u);
  EXPECT_EQ((*applied)[0].component, "catalog");
  EXPECT_EQ((*applied)[0].version, 1);
  EXPECT_EQ((*applied)[1].version, 2);
  EXPECT_EQ((*applied)[1].description, "users");
  EXPECT_NE((*applied)[1].applied_at, "");
  std::unique_ptr<Metastore> reopened = Open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->AppliedMigrations().ValueOr({}), *applied);
}

MetastoreOptions WithComponent(ComponentMigrations component) {
  MetastoreOptions options;
  EXPECT_TRUE(options.migrations.Add(std::move(component)).ok());
  return options;
}

TEST_P(MetastoreTest, LaterComponentsApplyOnlyTheirNewMigrations) {
  Migration first{.version = 1, .description = "runs", .sql = "CREATE TABLE jobs_runs (id TEXT)"};
  Migration second{.version = 2,
                   .description = "index",
                   .sql = "CREATE INDEX jobs_runs_by_id ON jobs_runs (id)"};
  ASSERT_NE(Open(WithComponent({"jobs", {first}})), nullptr);
  std::unique_ptr<Metastore> upgraded = Open(WithComponent({"jobs", {first, second}}));
  ASSERT_NE(upgraded, nullptr);
  std::vector<AppliedMigration> applied = upgraded->AppliedMigrations().ValueOr({});
  ASSERT_EQ(applied.size(), 4u);
  EXPECT_EQ(applied[2].component, "jobs");
  EXPECT_EQ(applied[3].description, "index");
}

TEST_P(MetastoreTest, FailedMigrationLeavesNoTrace) {
  Migration broken{.version = 1,
                   .description = "half",
                   .sql = "CREATE TABLE half_done (id TEXT); THIS IS NOT SQL"};
  Result<std::unique_ptr<Metastore>> refused =
      OpenMetastore(uri_, WithComponent({"half", {broken}}));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("migration half version 1"), std::string::npos)
      << refused.status().ToString();
  // Creating the same table again succeeds only because the failed attempt left nothing.
  Migration fixed{.version = 1, .description = "whole", .sql = "CREATE TABLE half_done (id TEXT)"};
  EXPECT_NE(Open(WithComponent({"half", {fixed}})), nullptr);
}

TEST_P(MetastoreTest, RefusesASchemaNewerThanTheProcess) {
  MetastoreOptions newer;
  ComponentMigrations catalog = DefaultMigrations().components()[0];
  catalog.migrations.push_back(
      {.version = 3, .description = "future", .sql = "CREATE TABLE catalog_future (id TEXT)"});
  newer.migrations = MigrationRegistry();
  ASSERT_TRUE(newer.migrations.Add(catalog).ok());
  ASSERT_NE(Open(newer), nullptr);

  Result<std::unique_ptr<Metastore>> older = OpenMetastore(uri_);
  ASSERT_FALSE(older.ok());
  EXPECT_EQ(older.status().code(), StatusCode::kNotSupported);
  EXPECT_EQ(older.status().message(),
            "the metastore schema of component catalog is at version 3, newer than the latest "
            "this floe knows (2): upgrade floe before opening this metastore");
}

TEST_P(MetastoreTest, ReportsHealth) {
  EXPECT_TRUE(metastore_->CheckHealth().ok());
}

}  // namespace
}  // namespace floe::catalog
