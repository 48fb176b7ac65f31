#include "server/http/http_server.h"

#include <thread>

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
    api_options_.trust_loopback = trust;
    api_ = std::make_unique<SqlApi>(api_options_, service_, users, metrics_);
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

  // Submits `sql` asynchronously and returns the query's id.
  std::string Submit(std::string_view sql) {
    std::string response = Sql(fmt::format(R"({{"sql": "{}", "async": true}})", sql));
    EXPECT_TRUE(response.starts_with("HTTP/1.1 202")) << response;
    size_t at = response.find("\"id\":\"");
    return at == std::string::npos ? "" : response.substr(at + 6, 32);
  }

  // Polls the query until it is in `state` (or 10 seconds pass) and returns its description.
  std::string WaitFor(const std::string& id, std::string_view state) {
    std::string response;
    for (int attempt = 0; attempt < 1000; ++attempt) {
      response = Request("GET", "/api/v1/queries/" + id);
      if (response.find(fmt::format("\"state\":\"{}\"", state)) != std::string::npos) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return response;
  }

  SqlApiOptions api_options_{};
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

TEST_F(HttpServerTest, RunsAsyncQueriesAndPagesTheirResults) {
  Start(true);
  std::string id = Submit("ROWS 250");
  ASSERT_EQ(id.size(), 32u);
  std::string status = WaitFor(id, "succeeded");
  EXPECT_NE(status.find(R"("row_count":250)"), std::string::npos) << status;
  EXPECT_NE(status.find(R"("results_url":"/api/v1/queries/)"), std::string::npos) << status;
  std::string page = Request("GET", "/api/v1/queries/" + id + "/results?offset=98&limit=3");
  EXPECT_NE(page.find(R"("rows":[[98],[99],[100]])"), std::string::npos) << page;
  EXPECT_NE(page.find(R"("total_rows":250)"), std::string::npos) << page;
  EXPECT_NE(page.find("/results?offset=101&limit=3"), std::string::npos) << page;
  page = Request("GET", "/api/v1/queries/" + id + "/results?offset=248&format=csv");
  EXPECT_NE(page.find("n\r\n248\r\n249\r\n"), std::string::npos) << page;
  page = Request("GET", "/api/v1/queries/" + id + "/results?offset=99999999999999999999999");
  EXPECT_NE(page.find(R"("rows":[],"command_tag":"SELECT 250","row_count":0,"offset":250)"),
            std::string::npos)
      << page;
  page = Request("GET", "/api/v1/queries/" + id + "/results", "",
                 "Accept: application/vnd.apache.arrow.stream\r\n");
  EXPECT_NE(page.find("Content-Type: application/vnd.apache.arrow.stream"), std::string::npos);
  for (std::string_view bad : {"offset=-1", "limit=abc", "limit=", "offset=1e3"}) {
    page = Request("GET", fmt::format("/api/v1/queries/{}/results?{}", id, bad));
    EXPECT_TRUE(page.starts_with("HTTP/1.1 400")) << bad << ": " << page;
  }
  EXPECT_TRUE(
      Request("GET", "/api/v1/queries/" + id + "/results?format=xml").starts_with("HTTP/1.1 406"));
  EXPECT_TRUE(Request("POST", "/api/v1/queries/" + id).starts_with("HTTP/1.1 405"));
  EXPECT_TRUE(Request("GET", "/api/v1/queries/" + id + "/other").starts_with("HTTP/1.1 404"));
  std::string deleted = Request("DELETE", "/api/v1/queries/" + id);
  EXPECT_NE(deleted.find(R"("state":"deleted")"), std::string::npos) << deleted;
  std::string gone = Request("GET", "/api/v1/queries/" + id);
  EXPECT_TRUE(gone.starts_with("HTTP/1.1 404")) << gone;
  EXPECT_NE(gone.find(R"("code":"NotFound")"), std::string::npos) << gone;
  EXPECT_TRUE(Request("GET", "/api/v1/queries/nope/results").starts_with("HTTP/1.1 404"));
}

TEST_F(HttpServerTest, CancelsAsyncQueries) {
  Start(true);
  std::string response = Sql(R"({"sql": "SLEEP"})", "Prefer: respond-async\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 202")) << response;
  EXPECT_NE(response.find("Preference-Applied: respond-async"), std::string::npos);
  EXPECT_NE(response.find("Location: /api/v1/queries/"), std::string::npos);
  std::string id = response.substr(response.find("\"id\":\"") + 6, 32);
  WaitFor(id, "running");
  std::string cancelled = Request("DELETE", "/api/v1/queries/" + id);
  EXPECT_TRUE(cancelled.starts_with("HTTP/1.1 202")) << cancelled;
  std::string status = WaitFor(id, "cancelled");
  EXPECT_NE(status.find(R"("sqlstate":"57014")"), std::string::npos) << status;
  EXPECT_TRUE(Request("GET", "/api/v1/queries/" + id + "/results").starts_with("HTTP/1.1 409"));
}

TEST_F(HttpServerTest, FailsAsyncResultsOverTheBudget) {
  api_options_.async.result_bytes = 4096;
  Start(true);
  std::string id = Submit("ROWS 5000");
  std::string status = WaitFor(id, "failed");
  EXPECT_NE(status.find(R"("sqlstate":"54000")"), std::string::npos) << status;
  EXPECT_NE(status.find("http.async_result_bytes"), std::string::npos) << status;
  // What the failed query held is given back: a small result still fits.
  std::string small = Submit("ROWS 10");
  EXPECT_NE(WaitFor(small, "succeeded").find(R"("row_count":10)"), std::string::npos);
}

TEST_F(HttpServerTest, RejectsMalformedSqlRequests) {
  Start(true);
  for (std::string_view body :
       {R"({"sql": "SELECT 1", "async": "yes"})", R"({"sql": "SELECT 1", "timeout_ms": -5})",
        R"({"sql": "SELECT 1", "timeout_ms": "10"})", R"({"sql": "SELECT 1", "format": 3})",
        R"({"sql": 1})", R"([1,2])", R"({"sql": "SELECT 1")"}) {
    std::string response = Sql(body);
    EXPECT_TRUE(response.starts_with("HTTP/1.1 400")) << body << ": " << response;
  }
  EXPECT_TRUE(Sql(R"({"sql": "SELECT 1", "format": "xml"})").starts_with("HTTP/1.1 406"));
  std::string arrow = Sql(R"({"sql": "ROWS 3", "format": "arrow"})");
  EXPECT_NE(arrow.find("Content-Type: application/vnd.apache.arrow.stream"), std::string::npos);
  EXPECT_TRUE(Request("GET", "/health").starts_with("HTTP/1.1 200"));
}

}  // namespace
}  // namespace floe::server::http
