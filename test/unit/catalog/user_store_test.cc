#include "catalog/user_store.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "catalog/metastore.h"
#include "postgres_environment.h"

namespace floe::catalog {
namespace {

// Every test runs on a SQLite file and on a real PostgreSQL database.
class UserStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      folder_ = std::filesystem::temp_directory_path() /
                ("floe-user-store-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(folder_);
      uri_ = "sqlite:" + (folder_ / "floe.db").string();
    } else {
      Result<std::string> database = CreateTestDatabase();
      ASSERT_TRUE(database.ok()) << database.status().ToString();
      uri_ = *database;
    }
    Result<std::unique_ptr<UserStore>> opened = UserStore::Open(uri_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }
  void TearDown() override {
    store_.reset();
    if (!folder_.empty()) {
      std::filesystem::remove_all(folder_);
    }
  }

  std::filesystem::path folder_;
  std::string uri_;
  std::unique_ptr<UserStore> store_;
};

TEST_P(UserStoreTest, CreatesUsersAndChecksPasswords) {
  ASSERT_TRUE(store_->CreateUser("alice", "correct horse").ok());
  Result<UserRecord> checked = store_->CheckPassword("alice", "correct horse");
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  EXPECT_EQ(checked->name, "alice");
  EXPECT_FALSE(checked->is_superuser);
  EXPECT_TRUE(checked->created_at.ends_with("Z"));
  EXPECT_EQ(store_->CheckPassword("alice", "wrong").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->CheckPassword("bob", "correct horse").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->CheckPassword("alice", "").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->CreateUser("alice", "again").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateUser("", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateUser("carol", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*store_->CountUsers(), 1);
}

TEST_P(UserStoreTest, StoresHashesAndVerifiersNeverPasswords) {
  ASSERT_TRUE(store_->CreateUser("alice", "correct horse").ok());
  Result<std::optional<UserRecord>> found = store_->FindUser("alice");
  ASSERT_TRUE(found.ok() && found->has_value());
  const std::string& verifier = (*found)->scram_verifier;
  EXPECT_TRUE(verifier.starts_with("SCRAM-SHA-256$4096:")) << verifier;
  EXPECT_EQ(verifier.find("correct horse"), std::string::npos);
  Result<ScramVerifier> parsed = ScramVerifier::Parse(verifier);
  ASSERT_TRUE(parsed.ok());
  ScramVerifier recomputed = ScramVerifier::Compute("correct horse", parsed->salt, 4096);
  EXPECT_EQ(recomputed.stored_key, parsed->stored_key);
  EXPECT_EQ(recomputed.server_key, parsed->server_key);
  EXPECT_FALSE(store_->FindUser("nobody")->has_value());
}

TEST_P(UserStoreTest, ChangesPasswordsAndFlags) {
  ASSERT_TRUE(store_->CreateUser("alice", "first").ok());
  std::string before = (*store_->FindUser("alice"))->scram_verifier;
  ASSERT_TRUE(store_->SetPassword("alice", "second").ok());
  EXPECT_FALSE(store_->CheckPassword("alice", "first").ok());
  EXPECT_TRUE(store_->CheckPassword("alice", "second").ok());
  EXPECT_NE((*store_->FindUser("alice"))->scram_verifier, before);
  ASSERT_TRUE(store_->SetSuperuser("alice", true).ok());
  EXPECT_TRUE((*store_->FindUser("alice"))->is_superuser);
  ASSERT_TRUE(store_->SetCanLogin("alice", false).ok());
  EXPECT_EQ(store_->CheckPassword("alice", "second").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(store_->SetPassword("nobody", "x").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SetSuperuser("nobody", true).code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->DropUser("alice").ok());
  EXPECT_EQ(store_->DropUser("alice").code(), StatusCode::kNotFound);
  EXPECT_EQ(*store_->CountUsers(), 0);
}

TEST_P(UserStoreTest, BootstrapsTheAdministratorOnce) {
  EXPECT_TRUE(*store_->BootstrapAdmin("admin", "pw1"));
  EXPECT_FALSE(*store_->BootstrapAdmin("admin", "pw2"));
  EXPECT_TRUE(store_->CheckPassword("admin", "pw1").ok());
  EXPECT_FALSE(store_->CheckPassword("admin", "pw2").ok());
  EXPECT_TRUE((*store_->FindUser("admin"))->is_superuser);
  ASSERT_TRUE(store_->CreateUser("zed", "z").ok());
  Result<std::vector<UserRecord>> users = store_->ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "admin");
  EXPECT_EQ((*users)[1].name, "zed");
}

TEST_P(UserStoreTest, SharesTheMetastoreWithTheCatalog) {
  ASSERT_TRUE(store_->CreateUser("alice", "pw").ok());
  // Reopening applies no migration twice; the catalog opens the same database.
  Result<std::unique_ptr<UserStore>> reopened = UserStore::Open(uri_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_TRUE((*reopened)->CheckPassword("alice", "pw").ok());
  Result<std::unique_ptr<Metastore>> metastore = OpenMetastore(uri_);
  ASSERT_TRUE(metastore.ok()) << metastore.status().ToString();
  Result<std::vector<AppliedMigration>> applied = (*metastore)->AppliedMigrations();
  ASSERT_TRUE(applied.ok());
  bool has_users = false;
  for (const AppliedMigration& migration : *applied) {
    has_users = has_users || (migration.component == "users" && migration.version == 1);
  }
  EXPECT_TRUE(has_users);
}

INSTANTIATE_TEST_SUITE_P(Backends, UserStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace floe::catalog
