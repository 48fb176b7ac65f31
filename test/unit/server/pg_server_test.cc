#include "server/pgwire/pg_server.h"

#include <cstring>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "catalog/user_store.h"
#include "common/logging.h"
#include "fake_sql_service.h"
#include "raw_client.h"
#include "server/metrics.h"
#include "server/pgwire/messages.h"

namespace floe::server::pgwire {
namespace {

using test::FakeSqlService;
using test::RawClient;

struct PgConnDeleter {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, PgConnDeleter>;
using ResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

std::string SqlState(const PGresult* result) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state == nullptr ? "" : state;
}

std::string StartupBytes(std::string_view user, std::string_view database = "floe") {
  MessageWriter body;
  body.Int32(kProtocolVersion3);
  body.CString("user");
  body.CString(user);
  body.CString("database");
  body.CString(database);
  body.Byte(0);
  MessageWriter packet;
  packet.Int32(static_cast<int32_t>(body.size() + 4));
  return packet.buffer() + body.buffer();
}

std::string Message(char type, std::string_view body) {
  MessageWriter writer;
  writer.Begin(type);
  writer.Bytes(body);
  writer.End();
  return writer.buffer();
}

// An Execute of the unnamed portal returning at most `max_rows` rows (0: all).
std::string ExecuteMessage(int32_t max_rows) {
  MessageWriter body;
  body.CString("");
  body.Int32(max_rows);
  return Message('E', body.buffer());
}

// Returns the message types in a stream of backend messages.
std::string TypesOf(std::string_view bytes) {
  std::string types;
  while (bytes.size() >= 5) {
    uint32_t length;
    std::memcpy(&length, bytes.data() + 1, 4);
    length = ntohl(length);
    types.push_back(bytes[0]);
    if (bytes.size() < length + 1) {
      break;
    }
    bytes.remove_prefix(length + 1);
  }
  return types;
}

class PgServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Logger::Configure(LogLevel::kWarn, LogFormat::kText); }

  void Start(bool trust, catalog::UserStore* users = nullptr,
             std::function<void(PgServerOptions&)> adjust = {}) {
    PgServerOptions options;
    options.tcp.port = 0;
    options.trust_loopback = trust;
    options.server_version = "15.0 (Floe test)";
    if (adjust) {
      adjust(options);
    }
    Result<std::unique_ptr<PgServer>> started =
        PgServer::Start(std::move(options), service_, users, metrics_);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    server_ = std::move(started).value();
  }

  Connection Connect(std::string_view extra = "user=alice dbname=floe") {
    std::string conninfo = fmt::format("host=127.0.0.1 port={} sslmode=prefer connect_timeout=5 {}",
                                       server_->port(), extra);
    return Connection(PQconnectdb(conninfo.c_str()));
  }

  ResultPtr Exec(PGconn* connection, const char* sql) { return ResultPtr(PQexec(connection, sql)); }

  void ExpectServing() {
    Connection connection = Connect();
    ASSERT_EQ(PQstatus(connection.get()), CONNECTION_OK) << PQerrorMessage(connection.get());
    ResultPtr result = Exec(connection.get(), "SELECT 1");
    ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK);
    EXPECT_STREQ(PQgetvalue(result.get(), 0, 0), "1");
  }

  FakeSqlService service_;
  ServerMetrics metrics_;
  std::unique_ptr<PgServer> server_;
};

TEST_F(PgServerTest, AnswersASimpleQuery) {
  Start(true);
  Connection connection = Connect();
  ASSERT_EQ(PQstatus(connection.get()), CONNECTION_OK) << PQerrorMessage(connection.get());
  EXPECT_STREQ(PQparameterStatus(connection.get(), "server_encoding"), "UTF8");
  EXPECT_STREQ(PQparameterStatus(connection.get(), "integer_datetimes"), "on");
  EXPECT_STREQ(PQparameterStatus(connection.get(), "session_authorization"), "alice");
  EXPECT_EQ(PQserverVersion(connection.get()), 150000);
  ResultPtr result = Exec(connection.get(), "SELECT 1");
  ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK) << PQerrorMessage(connection.get());
  EXPECT_EQ(PQntuples(result.get()), 1);
  EXPECT_EQ(PQftype(result.get(), 0), 23u);
  EXPECT_STREQ(PQfname(result.get(), 0), "?column?");
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 0), "1");
  EXPECT_STREQ(PQcmdStatus(result.get()), "SELECT 1");
  EXPECT_EQ(PQtransactionStatus(connection.get()), PQTRANS_IDLE);
}

TEST_F(PgServerTest, SendsEveryScalarTypeAsText) {
  Start(true);
  Connection connection = Connect();
  ResultPtr result = Exec(connection.get(), "TYPES");
  ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK);
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 0), "t");
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 1), "-2");
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 2), "9000000000");
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 3), "1.5");
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 4), "-12.34");
  EXPECT_EQ(PQftype(result.get(), 4), 1700u);
  EXPECT_EQ(PQfmod(result.get(), 4), (10 << 16 | 2) + 4);
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 5), "héllo, \"world\"");
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 6), "2024-01-01");
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 7), "2024-01-01 00:00:00.5");
  EXPECT_TRUE(PQgetisnull(result.get(), 0, 8));
}

TEST_F(PgServerTest, RunsEveryStatementOfASimpleQuery) {
  Start(true);
  Connection connection = Connect();
  ASSERT_TRUE(PQsendQuery(connection.get(), "SELECT 1; ROWS 3; BEGIN"));
  std::vector<std::string> tags;
  while (PGresult* raw = PQgetResult(connection.get())) {
    ResultPtr result(raw);
    tags.push_back(PQcmdStatus(result.get()));
  }
  EXPECT_EQ(tags, (std::vector<std::string>{"SELECT 1", "SELECT 3", "BEGIN"}));
  EXPECT_EQ(PQtransactionStatus(connection.get()), PQTRANS_INTRANS);
  ResultPtr failed = Exec(connection.get(), "BOGUS");
  EXPECT_EQ(PQtransactionStatus(connection.get()), PQTRANS_INERROR);
  ResultPtr committed = Exec(connection.get(), "COMMIT");
  EXPECT_EQ(PQtransactionStatus(connection.get()), PQTRANS_IDLE);
}

TEST_F(PgServerTest, ReportsErrorsWithSqlStateAndPosition) {
  Start(true);
  Connection connection = Connect();
  ResultPtr result = Exec(connection.get(), "BOGUS");
  ASSERT_EQ(PQresultStatus(result.get()), PGRES_FATAL_ERROR);
  EXPECT_EQ(SqlState(result.get()), "42601");
  EXPECT_STREQ(PQresultErrorField(result.get(), PG_DIAG_STATEMENT_POSITION), "1");
  EXPECT_STREQ(PQresultErrorField(result.get(), PG_DIAG_SEVERITY), "ERROR");
  // The connection goes on.
  ResultPtr next = Exec(connection.get(), "SELECT 1");
  EXPECT_EQ(PQresultStatus(next.get()), PGRES_TUPLES_OK);
  ResultPtr empty = Exec(connection.get(), " ; ");
  EXPECT_EQ(PQresultStatus(empty.get()), PGRES_EMPTY_QUERY);
}

TEST_F(PgServerTest, RunsExtendedQueriesWithTextAndBinaryParameters) {
  Start(true);
  Connection connection = Connect();
  const char* values[] = {"hello"};
  ResultPtr text(PQexecParams(connection.get(), "ECHO", 1, nullptr, values, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(text.get()), PGRES_TUPLES_OK) << PQerrorMessage(connection.get());
  EXPECT_STREQ(PQgetvalue(text.get(), 0, 0), "hello");

  uint32_t big_endian = htonl(42);
  const char* binary_values[] = {reinterpret_cast<const char*>(&big_endian)};
  int lengths[] = {4};
  int formats[] = {1};
  Oid types[] = {23};
  ResultPtr binary(
      PQexecParams(connection.get(), "ECHO", 1, types, binary_values, lengths, formats, 0));
  ASSERT_EQ(PQresultStatus(binary.get()), PGRES_TUPLES_OK) << PQerrorMessage(connection.get());
  EXPECT_STREQ(PQgetvalue(binary.get(), 0, 0), "42");
  EXPECT_EQ(PQftype(binary.get(), 0), 23u);

  // Text parameter cast to the declared type, then a binary result.
  const char* number[] = {"-7"};
  ResultPtr binary_result(
      PQexecParams(connection.get(), "ECHO", 1, types, number, nullptr, nullptr, 1));
  ASSERT_EQ(PQresultStatus(binary_result.get()), PGRES_TUPLES_OK);
  ASSERT_EQ(PQgetlength(binary_result.get(), 0, 0), 4);
  int32_t value;
  std::memcpy(&value, PQgetvalue(binary_result.get(), 0, 0), 4);
  EXPECT_EQ(static_cast<int32_t>(ntohl(static_cast<uint32_t>(value))), -7);

  const char* not_a_number[] = {"seven"};
  ResultPtr bad(
      PQexecParams(connection.get(), "ECHO", 1, types, not_a_number, nullptr, nullptr, 0));
  EXPECT_EQ(PQresultStatus(bad.get()), PGRES_FATAL_ERROR);
  EXPECT_EQ(SqlState(bad.get()), "22P02");
  ExpectServing();
}

TEST_F(PgServerTest, PreparesDescribesAndReusesStatements) {
  Start(true);
  Connection connection = Connect();
  ResultPtr prepared(PQprepare(connection.get(), "echo", "ECHO", 0, nullptr));
  ASSERT_EQ(PQresultStatus(prepared.get()), PGRES_COMMAND_OK) << PQerrorMessage(connection.get());
  ResultPtr described(PQdescribePrepared(connection.get(), "echo"));
  ASSERT_EQ(PQresultStatus(described.get()), PGRES_COMMAND_OK);
  EXPECT_EQ(PQnparams(described.get()), 1);
  EXPECT_EQ(PQparamtype(described.get(), 0), 1043u);
  EXPECT_EQ(PQnfields(described.get()), 1);
  for (const char* word : {"one", "two"}) {
    const char* values[] = {word};
    ResultPtr result(PQexecPrepared(connection.get(), "echo", 1, values, nullptr, nullptr, 0));
    ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK);
    EXPECT_STREQ(PQgetvalue(result.get(), 0, 0), word);
  }
  ResultPtr duplicate(PQprepare(connection.get(), "echo", "ECHO", 0, nullptr));
  EXPECT_EQ(SqlState(duplicate.get()), "42P05");
  ResultPtr missing(PQexecPrepared(connection.get(), "nope", 0, nullptr, nullptr, nullptr, 0));
  EXPECT_EQ(SqlState(missing.get()), "26000");
  ResultPtr syntax(PQprepare(connection.get(), "bad", "BOGUS", 0, nullptr));
  EXPECT_EQ(SqlState(syntax.get()), "42601");
}

TEST_F(PgServerTest, SuspendsPortalsAtTheRowLimitAndSkipsToSyncAfterErrors) {
  Start(true);
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(StartupBytes("alice")));
  ASSERT_NE(client.ReadUntil(std::string("Z\0\0\0\5I", 6)).find('K'), std::string::npos);
  std::string bind = std::string("\0\0\0\0\0\0\0\0", 8);
  std::string messages = Message('P', std::string("\0ROWS 3\0\0\0", 10)) + Message('B', bind) +
                         ExecuteMessage(2) + ExecuteMessage(0) + Message('S', "");
  ASSERT_TRUE(client.Send(messages));
  std::string reply = client.ReadUntil(std::string("Z\0\0\0\5I", 6));
  EXPECT_EQ(TypesOf(reply), "12DDsDCZ");
  // An error skips everything up to Sync.
  messages = Message('P', std::string("\0BOGUS\0\0\0", 9)) + Message('B', bind) +
             ExecuteMessage(0) + Message('S', "");
  ASSERT_TRUE(client.Send(messages));
  reply = client.ReadUntil(std::string("Z\0\0\0\5I", 6));
  EXPECT_EQ(TypesOf(reply), "EZ");
}

// Describe of a portal uses what Parse found, and an Execute after PortalSuspended continues
// the same run: a portal's statement runs once. Its binding is expired only when the client is
// answered, at Sync.
TEST_F(PgServerTest, RunsAPortalOnceAcrossDescribeAndSuspension) {
  Start(true);
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(StartupBytes("alice")));
  client.ReadUntil(std::string("Z\0\0\0\5I", 6));
  int expired_before = service_.expired_bindings;
  std::string messages = Message('P', std::string("\0ROWS 3\0\0\0", 10)) +
                         Message('B', std::string(8, '\0')) + Message('D', std::string("P\0", 2)) +
                         ExecuteMessage(2) + ExecuteMessage(0) + Message('S', "");
  ASSERT_TRUE(client.Send(messages));
  std::string reply = client.ReadUntil(std::string("Z\0\0\0\5I", 6));
  EXPECT_EQ(TypesOf(reply), "12TDDsDCZ");
  EXPECT_EQ(service_.prepared_executions, 1);
  EXPECT_EQ(service_.expired_bindings, expired_before + 1);
}

// Rows whose columns are not those Parse described (DDL in between) are refused, as
// PostgreSQL refuses them, instead of reaching a client that decodes them by the description.
TEST_F(PgServerTest, RefusesAResultTypeOtherThanDescribed) {
  Start(true);
  Connection connection = Connect();
  ASSERT_EQ(PQstatus(connection.get()), CONNECTION_OK) << PQerrorMessage(connection.get());
  ResultPtr prepared(PQprepare(connection.get(), "retyped", "RETYPED", 0, nullptr));
  ASSERT_EQ(PQresultStatus(prepared.get()), PGRES_COMMAND_OK);
  ResultPtr result(PQexecPrepared(connection.get(), "retyped", 0, nullptr, nullptr, nullptr, 0));
  EXPECT_EQ(SqlState(result.get()), "0A000");
  EXPECT_STREQ(PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY),
               "cached plan must not change result type");
  ExpectServing();
}

TEST_F(PgServerTest, CancelsARunningStatement) {
  Start(true);
  Connection connection = Connect();
  PGcancel* cancel = PQgetCancel(connection.get());
  std::thread canceller([cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    char error[256];
    PQcancel(cancel, error, sizeof(error));
  });
  auto started = std::chrono::steady_clock::now();
  ResultPtr result = Exec(connection.get(), "SLEEP");
  canceller.join();
  PQfreeCancel(cancel);
  EXPECT_EQ(SqlState(result.get()), "57014");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  ResultPtr next = Exec(connection.get(), "SELECT 1");
  EXPECT_EQ(PQresultStatus(next.get()), PGRES_TUPLES_OK);
}

TEST_F(PgServerTest, AppliesStatementTimeout) {
  Start(true);
  Connection connection = Connect("user=alice dbname=floe options='-c statement_timeout=100'");
  ASSERT_EQ(PQstatus(connection.get()), CONNECTION_OK) << PQerrorMessage(connection.get());
  ResultPtr result = Exec(connection.get(), "SLEEP");
  EXPECT_EQ(SqlState(result.get()), "57014");
}

TEST_F(PgServerTest, RefusesOtherDatabases) {
  Start(true);
  Connection connection = Connect("user=alice dbname=postgres");
  EXPECT_EQ(PQstatus(connection.get()), CONNECTION_BAD);
  EXPECT_NE(
      std::string(PQerrorMessage(connection.get())).find("database \"postgres\" does not exist"),
      std::string::npos);
}

TEST_F(PgServerTest, RefusesPasswordlessLoginWithoutTrust) {
  Start(false);
  Connection connection = Connect();
  EXPECT_EQ(PQstatus(connection.get()), CONNECTION_BAD);
}

TEST_F(PgServerTest, SurvivesGarbageOversizeAndHalfMessages) {
  Start(true, nullptr, [](PgServerOptions& options) { options.max_message_size = 1 << 20; });
  {
    RawClient client(server_->port());
    client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string reply = client.ReadAll();
    EXPECT_TRUE(reply.empty() || reply[0] == 'E');
  }
  {
    RawClient client(server_->port());
    client.Send(std::string("\0\0\0\x08\0\2\0\0", 8));  // Protocol 2.0.
    std::string reply = client.ReadAll();
    EXPECT_NE(reply.find("unsupported frontend protocol"), std::string::npos);
  }
  {
    RawClient client(server_->port());
    ASSERT_TRUE(client.Send(StartupBytes("alice")));
    client.ReadUntil(std::string("Z\0\0\0\5I", 6));
    client.Send(std::string("Q\x7f\xff\xff\xff", 5));
    std::string reply = client.ReadAll();
    EXPECT_NE(reply.find("54000"), std::string::npos);
    EXPECT_TRUE(client.is_closed_by_peer());
  }
  {
    RawClient client(server_->port());
    ASSERT_TRUE(client.Send(StartupBytes("alice")));
    client.ReadUntil(std::string("Z\0\0\0\5I", 6));
    client.Send(std::string("Q\0\0\0\x64SELECT", 11));  // Stops mid-message.
  }
  {
    RawClient client(server_->port());
    ASSERT_TRUE(client.Send(StartupBytes("alice")));
    client.ReadUntil(std::string("Z\0\0\0\5I", 6));
    client.Send(std::string("\x01\0\0\0\4", 5));  // Unknown message type.
    EXPECT_NE(client.ReadAll().find("08P01"), std::string::npos);
  }
  ExpectServing();
}

TEST_F(PgServerTest, ClosesIdleConnectionsAtShutdown) {
  Start(true);
  Connection connection = Connect();
  ASSERT_EQ(PQstatus(connection.get()), CONNECTION_OK);
  server_->Shutdown(std::chrono::seconds(5));
  ResultPtr result = Exec(connection.get(), "SELECT 1");
  EXPECT_NE(PQresultStatus(result.get()), PGRES_TUPLES_OK);
  EXPECT_EQ(server_->active_connections(), 0);
}

TEST_F(PgServerTest, CancelsRunningStatementsAfterTheGracePeriod) {
  Start(true);
  Connection connection = Connect();
  std::thread client([&] { ResultPtr result = Exec(connection.get(), "SLEEP"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto started = std::chrono::steady_clock::now();
  server_->Shutdown(std::chrono::milliseconds(300));
  client.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

class PgServerScramTest : public PgServerTest {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<catalog::UserStore>> users = catalog::UserStore::Open("sqlite::memory:");
    ASSERT_TRUE(users.ok()) << users.status().ToString();
    users_ = std::move(users).value();
    ASSERT_TRUE(users_->CreateUser("alice", "s3cret pass").ok());
    Start(false, users_.get());
  }
  std::unique_ptr<catalog::UserStore> users_;
};

TEST_F(PgServerScramTest, LogsInWithScram) {
  Connection connection = Connect("user=alice dbname=floe password='s3cret pass'");
  ASSERT_EQ(PQstatus(connection.get()), CONNECTION_OK) << PQerrorMessage(connection.get());
  EXPECT_STREQ(PQparameterStatus(connection.get(), "is_superuser"), "off");
  ResultPtr result = Exec(connection.get(), "SELECT 1");
  EXPECT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK);
}

TEST_F(PgServerScramTest, RejectsWrongPasswordsAndUnknownUsersAlike) {
  Connection wrong = Connect("user=alice dbname=floe password=wrong");
  EXPECT_EQ(PQstatus(wrong.get()), CONNECTION_BAD);
  std::string wrong_message = PQerrorMessage(wrong.get());
  EXPECT_NE(wrong_message.find("password authentication failed for user \"alice\""),
            std::string::npos)
      << wrong_message;
  Connection unknown = Connect("user=mallory dbname=floe password=wrong");
  EXPECT_EQ(PQstatus(unknown.get()), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(unknown.get()))
                .find("password authentication failed for user \"mallory\""),
            std::string::npos);
  Connection none = Connect("user=alice dbname=floe password=''");
  EXPECT_EQ(PQstatus(none.get()), CONNECTION_BAD);
}

}  // namespace
}  // namespace floe::server::pgwire
