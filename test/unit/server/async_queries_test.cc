#include "server/http/async_queries.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "fake_sql_service.h"
#include "server/http/async_query_store.h"
#include "server/metrics.h"
#include "testing/postgres/postgres_server.h"

namespace floe::server::http {
namespace {

namespace fs = std::filesystem;

// The records live in the metastore: every test runs on SQLite and on PostgreSQL.
class AsyncQueriesTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Started by the first PostgreSQL test of the process, so that SQLite runs never wait for it.
  static void StartPostgres() {
    if (postgres_ != nullptr || postgres_error_ != nullptr) {
      return;
    }
    Result<std::unique_ptr<floe::test::PostgresServer>> started =
        floe::test::PostgresServer::Start();
    if (started.ok()) {
      postgres_ = std::move(*started).release();
    } else {
      postgres_error_ = new Status(started.status());
    }
  }
  static void TearDownTestSuite() {
    delete postgres_;
    postgres_ = nullptr;
    delete postgres_error_;
    postgres_error_ = nullptr;
  }

  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "floe-async-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
    if (GetParam() == "sqlite") {
      metastore_ = "sqlite:" + folder_ + "/floe.db";
      return;
    }
    StartPostgres();
    if (postgres_ == nullptr) {
      if (postgres_error_->code() == StatusCode::kNotFound) {
        GTEST_SKIP() << "PostgreSQL is not installed";
      }
      FAIL() << postgres_error_->ToString();
    }
    static int databases = 0;
    Result<std::string> uri = postgres_->CreateDatabase(fmt::format("async_{}", ++databases));
    ASSERT_TRUE(uri.ok()) << uri.status().ToString();
    metastore_ = *uri;
  }
  void TearDown() override { fs::remove_all(folder_); }

  AsyncQueryOptions Options(std::string_view results = "results") const {
    AsyncQueryOptions options;
    options.workers = 1;
    options.result_directory = folder_ + "/" + std::string(results);
    options.metastore = metastore_;
    return options;
  }

  std::string Submit(AsyncQueries& queries, const std::string& sql,
                     const std::string& user = "ann") {
    Result<std::string> id = queries.Submit(user, service_.Connect(user, "floe").value(), sql, {});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }

  // Polls the query until its description holds `state` (10 seconds at most).
  static std::string WaitFor(AsyncQueries& queries, const std::string& id, std::string_view state) {
    std::string wanted = fmt::format("\"state\":\"{}\"", state);
    std::string described;
    for (int attempt = 0; attempt < 1000; ++attempt) {
      described = queries.DescribeJson(id, "ann", "/q").ValueOr("");
      if (described.find(wanted) != std::string::npos) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return described;
  }

  // Returns rows [offset, offset + limit) of a ROWS result as text.
  static std::string Page(AsyncQueries& queries, const std::string& id, int64_t offset,
                          int64_t limit) {
    Result<std::unique_ptr<AsyncResultReader>> reader = queries.OpenResult(id, "ann");
    if (!reader.ok()) {
      return reader.status().ToString();
    }
    std::string text;
    (*reader)->Seek(offset, limit);
    while (true) {
      Result<std::optional<vector::Batch>> batch = (*reader)->Next();
      if (!batch.ok()) {
        return batch.status().ToString();
      }
      if (!batch->has_value()) {
        return text;
      }
      for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
        text += std::to_string((*batch)->column(0).Get<int64_t>(row)) + " ";
      }
    }
  }

  static floe::test::PostgresServer* postgres_;
  static Status* postgres_error_;
  server::test::FakeSqlService service_;
  ServerMetrics metrics_;
  std::string folder_;
  std::string metastore_;
};

floe::test::PostgresServer* AsyncQueriesTest::postgres_ = nullptr;
Status* AsyncQueriesTest::postgres_error_ = nullptr;

TEST_P(AsyncQueriesTest, KeepsFinishedQueriesAndTheirResultsAcrossARestart) {
  std::string done;
  std::string failed;
  std::string running;
  std::string queued;
  {
    AsyncQueries queries(Options(), metrics_);
    ASSERT_TRUE(queries.Open().ok());
    done = Submit(queries, "ROWS 250");
    WaitFor(queries, done, "succeeded");
    failed = Submit(queries, "NOT SQL");
    WaitFor(queries, failed, "failed");
    running = Submit(queries, "SLEEP");
    WaitFor(queries, running, "running");
    queued = Submit(queries, "ROWS 3");
    EXPECT_NE(queries.DescribeJson(queued, "ann", "/q")->find("\"queued\""), std::string::npos);
    EXPECT_EQ(Page(queries, done, 98, 3), "98 99 100 ");
  }
  AsyncQueries queries(Options(), metrics_);
  ASSERT_TRUE(queries.Open().ok());
  std::string described = queries.DescribeJson(done, "ann", "/q").value();
  EXPECT_NE(described.find(R"("state":"succeeded")"), std::string::npos) << described;
  EXPECT_NE(described.find(R"("row_count":250)"), std::string::npos) << described;
  EXPECT_NE(described.find(R"("command_tag":"SELECT 250")"), std::string::npos) << described;
  EXPECT_EQ(Page(queries, done, 98, 3), "98 99 100 ");
  EXPECT_EQ(Page(queries, done, 248, 100), "248 249 ");
  described = queries.DescribeJson(failed, "ann", "/q").value();
  EXPECT_NE(described.find(R"("sqlstate":"42601")"), std::string::npos) << described;
  described = queries.DescribeJson(running, "ann", "/q").value();
  EXPECT_NE(described.find(R"("state":"failed")"), std::string::npos) << described;
  EXPECT_NE(described.find(R"("sqlstate":"57P01")"), std::string::npos) << described;
  EXPECT_NE(described.find("shut down before query " + running + " finished"), std::string::npos);
  described = queries.DescribeJson(queued, "ann", "/q").value();
  EXPECT_NE(described.find(R"("sqlstate":"57P01")"), std::string::npos) << described;
  EXPECT_NE(described.find("started"), std::string::npos) << described;
  // Only the submitter sees them, after a restart too.
  EXPECT_EQ(queries.DescribeJson(done, "bob", "/q").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(queries.OpenResult(done, "bob").status().code(), StatusCode::kNotFound);
  // The budget counts the results the earlier run left.
  EXPECT_GT(queries.used_bytes(), 250 * 8);
  EXPECT_EQ(queries.Cancel(done, "ann").value(), CancelOutcome::kFreed);
  EXPECT_EQ(queries.used_bytes(), 0);
  EXPECT_EQ(queries.DescribeJson(done, "ann", "/q").status().code(), StatusCode::kNotFound);
}

TEST_P(AsyncQueriesTest, MarksQueriesOfACrashedRunFailed) {
  std::string server_id;
  {
    AsyncQueries queries(Options(), metrics_);
    ASSERT_TRUE(queries.Open().ok());
    server_id = queries.server_id();
  }
  // What a run killed mid-query leaves: a running record and a partial file.
  std::unique_ptr<AsyncQueryStore> store = AsyncQueryStore::Open(metastore_).value();
  std::string id(32, 'a');
  ASSERT_TRUE(store
                  ->Insert({.id = id,
                            .user = "ann",
                            .sql = "SELECT 1",
                            .state = "running",
                            .server_id = server_id,
                            .server_host = "h",
                            .submitted_at_ms = 1})
                  .ok());
  std::string partial = fmt::format("{}/results/{}/{}.result.part", folder_, server_id, id);
  { std::ofstream(partial) << "partial"; }
  AsyncQueries queries(Options(), metrics_);
  ASSERT_TRUE(queries.Open().ok());
  EXPECT_EQ(queries.server_id(), server_id);
  std::string described = queries.DescribeJson(id, "ann", "/q").value();
  EXPECT_NE(described.find(R"("state":"failed")"), std::string::npos) << described;
  EXPECT_NE(described.find(R"("sqlstate":"57P01")"), std::string::npos) << described;
  EXPECT_NE(described.find("the server restarted before the query finished"), std::string::npos);
  EXPECT_FALSE(fs::exists(partial));
}

TEST_P(AsyncQueriesTest, ServersSharingTheMetastoreKeepTheirOwnResults) {
  AsyncQueries first(Options("first"), metrics_);
  AsyncQueries second(Options("second"), metrics_);
  ASSERT_TRUE(first.Open().ok());
  ASSERT_TRUE(second.Open().ok());
  EXPECT_NE(first.server_id(), second.server_id());
  std::string id = Submit(first, "ROWS 10");
  WaitFor(first, id, "succeeded");
  EXPECT_NE(second.DescribeJson(id, "ann", "/q")->find(R"("state":"succeeded")"),
            std::string::npos);
  Status held = second.OpenResult(id, "ann").status();
  EXPECT_EQ(held.code(), StatusCode::kConflict);
  EXPECT_NE(held.message().find("held on the local disk of server"), std::string::npos)
      << held.ToString();
  EXPECT_NE(held.message().find(first.server_id()), std::string::npos) << held.ToString();
  std::string sleeping = Submit(first, "SLEEP");
  WaitFor(first, sleeping, "running");
  EXPECT_EQ(second.Cancel(sleeping, "ann").status().code(), StatusCode::kConflict);
  EXPECT_EQ(first.Cancel(sleeping, "ann").value(), CancelOutcome::kCancelling);
  WaitFor(first, sleeping, "cancelled");
  EXPECT_EQ(second.Cancel(id, "ann").value(), CancelOutcome::kFreed);
  EXPECT_EQ(first.DescribeJson(id, "ann", "/q").status().code(), StatusCode::kNotFound);
}

TEST_P(AsyncQueriesTest, TakesTheFolderOfAnEarlierRunOnlyWhenItIsFree) {
  AsyncQueries first(Options(), metrics_);
  ASSERT_TRUE(first.Open().ok());
  std::string second_id;
  {
    // The first one holds its folder: a second server on the same folder makes its own.
    AsyncQueries second(Options(), metrics_);
    ASSERT_TRUE(second.Open().ok());
    second_id = second.server_id();
    EXPECT_NE(second_id, first.server_id());
  }
  // The second one's folder is free again: the next server takes it, not the first one's.
  AsyncQueries third(Options(), metrics_);
  ASSERT_TRUE(third.Open().ok());
  EXPECT_EQ(third.server_id(), second_id);
}

TEST_P(AsyncQueriesTest, ForgetsExpiredQueriesAndDeletesTheirFiles) {
  AsyncQueryOptions options = Options();
  options.result_ttl = std::chrono::seconds(1);
  std::string id;
  std::string path;
  {
    AsyncQueries queries(options, metrics_);
    ASSERT_TRUE(queries.Open().ok());
    id = Submit(queries, "ROWS 5");
    WaitFor(queries, id, "succeeded");
    path = fmt::format("{}/results/{}/{}.result", folder_, queries.server_id(), id);
    EXPECT_TRUE(fs::exists(path));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_TRUE(fs::exists(path));
  AsyncQueries queries(options, metrics_);
  ASSERT_TRUE(queries.Open().ok());
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(queries.DescribeJson(id, "ann", "/q").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(queries.used_bytes(), 0);
}

TEST_P(AsyncQueriesTest, ReportsDamagedAndMissingResults) {
  AsyncQueries queries(Options(), metrics_);
  ASSERT_TRUE(queries.Open().ok());
  std::string damaged = Submit(queries, "ROWS 300");
  std::string missing = Submit(queries, "ROWS 300");
  WaitFor(queries, damaged, "succeeded");
  WaitFor(queries, missing, "succeeded");
  std::string folder = fmt::format("{}/results/{}/", folder_, queries.server_id());
  fs::resize_file(folder + damaged + ".result", 40);
  fs::remove(folder + missing + ".result");
  Status status = queries.OpenResult(damaged, "ann").status();
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
  status = queries.OpenResult(missing, "ann").status();
  EXPECT_EQ(status.code(), StatusCode::kIOError) << status.ToString();
  EXPECT_NE(status.message().find("is lost"), std::string::npos) << status.ToString();
}

INSTANTIATE_TEST_SUITE_P(Backends, AsyncQueriesTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace floe::server::http
