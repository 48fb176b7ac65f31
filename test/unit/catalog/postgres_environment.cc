#include "postgres_environment.h"

#include <memory>

#include <gtest/gtest.h>

#include "common/logging.h"

namespace floe::catalog {
namespace {

// Starting PostgreSQL takes seconds, so one server serves every test of the binary; each test
// gets a database of its own.
class PostgresEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    // Every open logs its migrations; tests care about warnings and errors only.
    Logger::Configure(LogLevel::kWarn, LogFormat::kText);
    Result<std::unique_ptr<test::PostgresServer>> started = test::PostgresServer::Start();
    if (started.ok()) {
      server_ = std::move(started).value();
    } else {
      status_ = started.status();
    }
  }
  void TearDown() override { server_.reset(); }

  static PostgresEnvironment* instance;
  std::unique_ptr<test::PostgresServer> server_;
  Status status_ = Status::Unavailable("the PostgreSQL environment was not set up");
  int num_databases_ = 0;
};

PostgresEnvironment* PostgresEnvironment::instance = static_cast<PostgresEnvironment*>(
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment()));

}  // namespace

Result<test::PostgresServer*> SharedPostgresServer() {
  PostgresEnvironment* environment = PostgresEnvironment::instance;
  if (environment->server_ == nullptr) {
    return environment->status_;
  }
  return environment->server_.get();
}

Result<std::string> CreateTestDatabase() {
  FLOE_ASSIGN_OR_RETURN(test::PostgresServer * server, SharedPostgresServer());
  int number = ++PostgresEnvironment::instance->num_databases_;
  return server->CreateDatabase("floe_test_" + std::to_string(number));
}

}  // namespace floe::catalog
