#include <string>

#include <gtest/gtest.h>

#include "catalog/metastore.h"
#include "postgres_environment.h"

namespace floe::catalog {
namespace {

// Behaviour only a networked database has: the server goes away and comes back.
class PostgresMetastoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<test::PostgresServer*> server = SharedPostgresServer();
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = *server;
    Result<std::string> database = CreateTestDatabase();
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    // Trust authentication ignores the password; it is here to prove no message shows it.
    uri_ = *database;
    uri_.replace(uri_.find("floe@"), 5, "floe:hunter2-secret@");
  }

  test::PostgresServer* server_ = nullptr;
  std::string uri_;
};

TEST_F(PostgresMetastoreTest, ReconnectsAfterTheServerRestarts) {
  Result<std::unique_ptr<Metastore>> opened = OpenMetastore(uri_, {.max_connections = 3});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Metastore& metastore = **opened;
  ASSERT_TRUE(metastore.CreateNamespace({"sales"}, {}).ok());

  ASSERT_TRUE(server_->Stop().ok());
  Status down = metastore.CheckHealth();
  EXPECT_EQ(down.code(), StatusCode::kUnavailable) << down.ToString();
  EXPECT_EQ(down.ToString().find("hunter2-secret"), std::string::npos) << down.ToString();
  EXPECT_EQ(metastore.NamespaceExists({"sales"}).status().code(), StatusCode::kUnavailable);

  ASSERT_TRUE(server_->Restart().ok());
  EXPECT_TRUE(metastore.CheckHealth().ok());
  EXPECT_TRUE(metastore.NamespaceExists({"sales"}).ValueOr(false));
  EXPECT_TRUE(metastore.CreateNamespace({"hr"}, {}).ok());
}

TEST_F(PostgresMetastoreTest, StaleConnectionsAreReplacedTransparently) {
  Result<std::unique_ptr<Metastore>> opened = OpenMetastore(uri_, {.max_connections = 2});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ASSERT_TRUE((*opened)->CreateNamespace({"sales"}, {}).ok());
  // A restart between two calls breaks every pooled connection without the handle noticing.
  ASSERT_TRUE(server_->Restart().ok());
  Status status = (*opened)->CreateNamespace({"hr"}, {});
  EXPECT_TRUE(status.ok()) << status.ToString();
}

}  // namespace
}  // namespace floe::catalog
