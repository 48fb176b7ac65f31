#include "server/http/http_server.h"

#include <gtest/gtest.h>

#include "catalog/user_store.h"
#include "common/logging.h"
#include "fake_sql_service.h"
#include "raw_client.h"
#include "server/base64.h"
#include "server/http/sql_api.h"
#include "server/metrics.h"

namespace floe::server::http {
namespace {

using test::FakeSqlService;
using test::RawClient;

class HttpServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Logger::Configure(LogLevel::kWarn, LogFormat::kText); }

  void Start(bool trust, catalog::UserStore* users = nullptr,
             std::function<void(HttpServerOptions&)> adjust = {}) {
    api_ =
        std::make_unique<SqlApi>(SqlApiOptions{.trust_loopback = trust}, service_, users, metrics_);
    HttpRouter router;
    api_->AddRoutes(router);
    HttpServerOptions options;
    options.tcp.port = 0;
    if (adjust) {
      adjust(options);
    }
    Result<std::unique_ptr<HttpServer>> started =
        HttpServer::Start(std::move(options), std::move(router), metrics_);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    server_ = std::move(started).value();
  }

  // Sends one request with Connection: close and returns the whole response.
  std::string Request(std::string_view method, std::string_view target, std::string_view body = "",
                      std::string_view headers = "") {
    RawClient client(server_->port());
    std::string request = fmt::format(
        "{} {} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{}Content-Length: {}\r\n\r\n{}",
        method, target, headers, body.size(), body);
    client.Send(request);
    return client.ReadAll();
  }

  std::string Sql(std::string_view json, std::string_view headers = "",
                  std::string_view target = "/api/v1/sql") {
    return Request("POST", target, json, headers);
  }

  FakeSqlService service_;
  ServerMetrics metrics_;
  std::unique_ptr<SqlApi> api_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AnswersHealthChecks) {
  service_.ready = Status::OK();
  Start(true);
  std::string live = Request("GET", "/health");
  EXPECT_TRUE(live.starts_with("HTTP/1.1 200 OK\r\n")) << live;
  EXPECT_NE(live.find("{\"status\":\"ok\"}"), std::string::npos);
  EXPECT_TRUE(Request("GET", "/health/ready").starts_with("HTTP/1.1 200"));
  service_.ready = Status::Unavailable("metastore: connection refused");
  std::string unready = Request("GET", "/health/ready");
  EXPECT_TRUE(unready.starts_with("HTTP/1.1 503")) << unready;
  EXPECT_NE(unready.find("connection refused"), std::string::npos);
}

TEST_F(HttpServerTest, RunsSqlAndStreamsJson) {
  Start(true);
  std::string response = Sql(R"({"sql": "TYPES"})");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
  EXPECT_NE(response.find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_NE(response.find(R"("columns":[{"name":"b","type":"boolean"})"), std::string::npos)
      << response;
  EXPECT_NE(response.find(R"([true,-2,9000000000,1.5,"-12.34","héllo, \"world\"","2024-01-01")"),
            std::string::npos)
      << response;
  EXPECT_NE(response.find(R"(null])"), std::string::npos);
  EXPECT_NE(response.find(R"("command_tag":"SELECT 1","row_count":1})"), std::string::npos);
  EXPECT_TRUE(response.ends_with("0\r\n\r\n"));
}

TEST_F(HttpServerTest, BindsParameters) {
  Start(true);
  std::string response = Sql(R"({"sql": "ECHO", "parameters": ["it's"]})");
  EXPECT_NE(response.find(R"("rows":[["it's"]])"), std::string::npos) << response;
  response = Sql(R"({"sql": "ECHO", "parameters": [{"no": 1}]})");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 400")) << response;
}

TEST_F(HttpServerTest, StreamsCsv) {
  Start(true);
  std::string response = Sql(R"({"sql": "ROWS 3"})", "", "/api/v1/sql?format=csv");
  EXPECT_NE(response.find("Content-Type: text/csv"), std::string::npos) << response;
  EXPECT_NE(response.find("n\r\n0\r\n1\r\n2\r\n"), std::string::npos) << response;
  response = Sql(R"({"sql": "TYPES"})", "Accept: text/csv\r\n");
  EXPECT_NE(response.find("\"héllo, \"\"world\"\"\""), std::string::npos) << response;
  EXPECT_TRUE(
      Sql(R"({"sql": "ROWS 1"})", "", "/api/v1/sql?format=xml").starts_with("HTTP/1.1 406"));
}

TEST_F(HttpServerTest, ReportsErrorsAsJsonWithSqlState) {
  Start(true);
  std::string response = Sql(R"({"sql": "BOGUS"})");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 400")) << response;
  EXPECT_NE(response.find(R"("sqlstate":"42601")"), std::string::npos) << response;
  EXPECT_NE(response.find(R"("position":1)"), std::string::npos);
  EXPECT_TRUE(Sql("not json").starts_with("HTTP/1.1 400"));
  EXPECT_TRUE(Sql(R"({"query": "SELECT 1"})").starts_with("HTTP/1.1 400"));
  EXPECT_TRUE(Request("GET", "/nothing").starts_with("HTTP/1.1 404"));
  EXPECT_TRUE(Request("GET", "/api/v1/sql").starts_with("HTTP/1.1 405"));
}

TEST_F(HttpServerTest, KeepsConnectionsAliveAndPipelines) {
  Start(true);
  RawClient client(server_->port());
  std::string get = "GET /health HTTP/1.1\r\nHost: h\r\n\r\n";
  client.Send(get + get);
  std::string responses = client.ReadUntil("}\n", std::chrono::seconds(5));
  responses += client.ReadUntil("}\n", std::chrono::milliseconds(500));
  size_t first = responses.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(responses.find("HTTP/1.1 200", first + 1), std::string::npos) << responses;
  EXPECT_FALSE(client.is_closed_by_peer());
}

TEST_F(HttpServerTest, AcceptsChunkedRequestBodiesAndExpectContinue) {
  Start(true);
  RawClient client(server_->port());
  client.Send(
      "POST /api/v1/sql HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
      "Expect: 100-continue\r\nConnection: close\r\n\r\n");
  EXPECT_NE(client.ReadUntil("\r\n\r\n").find("100 Continue"), std::string::npos);
  client.Send("9\r\n{\"sql\": \"\r\nA\r\nSELECT 1\"}\r\n0\r\n\r\n");
  std::string response = client.ReadAll();
  EXPECT_NE(response.find(R"("rows":[[1]])"), std::string::npos) << response;
}

TEST_F(HttpServerTest, EnforcesLimitsAndSurvivesHostileClients) {
  Start(true, nullptr, [](HttpServerOptions& options) {
    options.limits.max_body_bytes = 1024;
    options.limits.max_head_bytes = 2048;
    options.request_timeout = std::chrono::milliseconds(300);
  });
  EXPECT_TRUE(Sql(std::string(2000, 'x')).starts_with("HTTP/1.1 413"));
  EXPECT_TRUE(Request("GET", "/health", "", "X-Big: " + std::string(4000, 'a') + "\r\n")
                  .starts_with("HTTP/1.1 431"));
  {
    RawClient garbage(server_->port());
    garbage.Send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + "\r\n\r\n");
    EXPECT_TRUE(garbage.ReadAll().starts_with("HTTP/1.1 400"));
  }
  {
    // A client that sends half a request and stalls is cut off with 408.
    RawClient slow(server_->port());
    slow.Send("GET /health HTTP/1.1\r\nHo");
    std::string response = slow.ReadAll(std::chrono::seconds(3));
    EXPECT_TRUE(response.starts_with("HTTP/1.1 408")) << response;
  }
  {
    RawClient gone(server_->port());
    gone.Send("POST /api/v1/sql HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n{\"sql\"");
  }
  EXPECT_TRUE(Request("GET", "/health").starts_with("HTTP/1.1 200"));
}

TEST_F(HttpServerTest, ServesPrometheusMetrics) {
  Start(true);
  Sql(R"({"sql": "ROWS 5"})");
  Sql(R"({"sql": "BOGUS"})");
  std::string metrics = Request("GET", "/metrics");
  EXPECT_NE(metrics.find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(metrics.find("floe_statements_total{protocol=\"http\",outcome=\"ok\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("floe_statements_total{protocol=\"http\",outcome=\"error\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.find("floe_rows_returned_total{protocol=\"http\"} 5"), std::string::npos);
  EXPECT_NE(metrics.find("floe_statement_duration_seconds_bucket{protocol=\"http\",le=\"+Inf\"} 2"),
            std::string::npos);
}

TEST_F(HttpServerTest, AuthenticatesWithBasic) {
  Result<std::unique_ptr<catalog::UserStore>> users = catalog::UserStore::Open("sqlite::memory:");
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  ASSERT_TRUE((*users)->CreateUser("bob", "hunter2").ok());
  Start(false, users->get());
  std::string anonymous = Sql(R"({"sql": "SELECT 1"})");
  EXPECT_TRUE(anonymous.starts_with("HTTP/1.1 401")) << anonymous;
  EXPECT_NE(anonymous.find("WWW-Authenticate: Basic"), std::string::npos);
  std::string good = "Authorization: Basic " + EncodeBase64("bob:hunter2") + "\r\n";
  EXPECT_TRUE(Sql(R"({"sql": "SELECT 1"})", good).starts_with("HTTP/1.1 200"));
  EXPECT_TRUE(Sql(R"({"sql": "SELECT 1"})", good).starts_with("HTTP/1.1 200"));  // Cached.
  std::string bad = "Authorization: Basic " + EncodeBase64("bob:hunter3") + "\r\n";
  std::string rejected = Sql(R"({"sql": "SELECT 1"})", bad);
  EXPECT_TRUE(rejected.starts_with("HTTP/1.1 401")) << rejected;
  EXPECT_NE(rejected.find("28000"), std::string::npos);
  EXPECT_TRUE(
      Sql(R"({"sql": "SELECT 1"})", "Authorization: Basic !!!\r\n").starts_with("HTTP/1.1 401"));
}

}  // namespace
}  // namespace floe::server::http
