#include "server/http/sql_api.h"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "catalog/user_store.h"
#include "common/logging.h"
#include "server/base64.h"
#include "server/http/result_writer.h"
#include "server/http/sql_request.h"
#include "server/metrics.h"
#include "server/sql_service.h"

namespace floe::server::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxCachedCredentials = 1024;
constexpr int kMaxLoggedSql = 300;
constexpr std::string_view kQueriesPath = "/api/v1/queries";

std::string Abbreviate(std::string_view sql) {
  std::string text(sql.substr(0, kMaxLoggedSql));
  std::replace(text.begin(), text.end(), '\n', ' ');
  return sql.size() > static_cast<size_t>(kMaxLoggedSql) ? text + "..." : text;
}

}  // namespace

SqlApi::SqlApi(SqlApiOptions options, SqlService& service, catalog::UserStore* users,
               ServerMetrics& metrics)
    : options_(std::move(options)),
      service_(service),
      users_(users),
      metrics_(metrics),
      async_(options_.async, metrics) {
  RAND_bytes(cache_key_.data(), static_cast<int>(cache_key_.size()));
}

void SqlApi::AddRoutes(HttpRouter& router) {
  router.Add("POST", "/api/v1/sql",
             [this](const HttpRequest& request, HttpResponse& response,
                    const RequestContext& context) { HandleSql(request, response, context); });
  router.AddPrefix(
      std::string(kQueriesPath) + "/",
      [this](const HttpRequest& request, HttpResponse& response, const RequestContext& context) {
        HandleQueries(request, response, context);
      });
  router.Add("GET", "/health",
             [](const HttpRequest&, HttpResponse& response, const RequestContext&) {
               (void)response.Send(200, "application/json", "{\"status\":\"ok\"}\n");
             });
  router.Add("GET", "/health/ready",
             [this](const HttpRequest&, HttpResponse& response, const RequestContext&) {
               HandleReady(response);
             });
  router.Add(
      "GET", "/metrics", [this](const HttpRequest&, HttpResponse& response, const RequestContext&) {
        (void)response.Send(200, "text/plain; version=0.0.4; charset=utf-8", metrics_.Render());
      });
}

void SqlApi::HandleReady(HttpResponse& response) {
  Status ready = service_.CheckReady();
  if (ready.ok()) {
    (void)response.Send(200, "application/json", "{\"status\":\"ready\"}\n");
    return;
  }
  (void)response.Send(
      503, "application/json",
      fmt::format("{{\"status\":\"unavailable\",\"error\":{}}}\n", JsonString(ready.ToString())));
}

Result<std::string> SqlApi::Authenticate(const HttpRequest& request,
                                         const RequestContext& context) {
  const std::string* authorization = request.Header("authorization");
  if (authorization == nullptr) {
    if (options_.trust_loopback && context.is_loopback) {
      return options_.trust_user;
    }
    return Status::Unauthenticated("authentication required: use HTTP Basic");
  }
  std::string_view value = *authorization;
  if (value.size() < 6 || (value.substr(0, 6) != "Basic " && value.substr(0, 6) != "basic ")) {
    return Status::Unauthenticated("unsupported authorization scheme: use HTTP Basic");
  }
  std::optional<std::string> decoded = DecodeBase64(value.substr(6));
  size_t colon = decoded.has_value() ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos) {
    return Status::Unauthenticated("malformed HTTP Basic credentials");
  }
  std::string user = decoded->substr(0, colon);
  std::string password = decoded->substr(colon + 1);
  if (users_ == nullptr) {
    return Status::Unauthenticated("password authentication failed for user \"{}\"", user);
  }
  std::string credential = user + '\0' + password;
  unsigned char digest[32];
  unsigned int size = 0;
  HMAC(EVP_sha256(), cache_key_.data(), static_cast<int>(cache_key_.size()),
       reinterpret_cast<const unsigned char*>(credential.data()), credential.size(), digest, &size);
  OPENSSL_cleanse(credential.data(), credential.size());
  std::string key(reinterpret_cast<const char*>(digest), size);
  auto now = Clock::now();
  {
    std::lock_guard lock(mutex_);
    auto found = verified_.find(key);
    if (found != verified_.end() && found->second > now) {
      return user;
    }
  }
  Result<catalog::UserRecord> checked = users_->CheckPassword(user, password);
  OPENSSL_cleanse(password.data(), password.size());
  if (!checked.ok()) {
    metrics_.RecordAuthenticationFailure(Protocol::kHttp);
    return checked.status();
  }
  std::lock_guard lock(mutex_);
  if (verified_.size() >= kMaxCachedCredentials) {
    verified_.clear();
  }
  verified_[key] = now + options_.credential_cache_ttl;
  return user;
}

void SqlApi::HandleSql(const HttpRequest& request, HttpResponse& response,
                       const RequestContext& context) {
  Result<std::string> user = Authenticate(request, context);
  if (!user.ok()) {
    SendError(response, 401, user.status());
    return;
  }
  Result<SqlRequest> parsed = ParseSqlRequest(request);
  if (!parsed.ok()) {
    SendError(response, 400, parsed.status());
    return;
  }
  Result<ResultFormat> format =
      ChooseResultFormat(request, parsed->format.has_value() ? &*parsed->format : nullptr);
  if (!format.ok()) {
    SendError(response, 406, format.status());
    return;
  }
  Result<std::unique_ptr<SqlSession>> session = service_.Connect(*user, options_.database);
  if (!session.ok()) {
    SendError(response, session.status().http_status(), session.status());
    return;
  }
  if (parsed->timeout_ms.has_value()) {
    Status set = (*session)->SetParameter("statement_timeout", std::to_string(*parsed->timeout_ms));
    if (!set.ok()) {
      SendError(response, set.http_status(), set);
      return;
    }
  }
  if (parsed->is_async) {
    SubmitAsync(*user, std::move(*session), std::move(*parsed), response);
    return;
  }
  metrics_.AddSession(Protocol::kHttp, 1);
  auto started = Clock::now();
  int64_t rows = 0;
  SqlSession* running = session->get();
  if (context.control != nullptr) {
    context.control->SetCanceller([running] { running->Cancel(); });
  }
  Result<std::unique_ptr<StatementResult>> result =
      (*session)->Execute(parsed->sql, parsed->parameters);
  Status status = result.ok() ? StreamResult(**result, response, *format, &rows) : result.status();
  if (context.control != nullptr) {
    context.control->SetCanceller({});
  }
  if (!status.ok() && !response.is_started()) {
    SendError(response, status.http_status(), status);
  }
  metrics_.AddSession(Protocol::kHttp, -1);
  auto duration = Clock::now() - started;
  metrics_.RecordStatement(Protocol::kHttp, OutcomeOf(status), duration, rows);
  double millis = std::chrono::duration<double, std::milli>(duration).count();
  const std::string& text = parsed->sql;
  if (status.ok()) {
    FLOE_LOG_INFO("statement", {"protocol", "http"}, {"user", *user}, {"peer", context.peer},
                  {"duration_ms", millis}, {"rows", rows}, {"sql", Abbreviate(text)});
  } else {
    FLOE_LOG_INFO("statement failed", {"protocol", "http"}, {"user", *user}, {"peer", context.peer},
                  {"duration_ms", millis}, {"sql_state", status.sql_state()},
                  {"error", status.message()}, {"sql", Abbreviate(text)});
  }
}

void SqlApi::SubmitAsync(const std::string& user, std::unique_ptr<SqlSession> session,
                         SqlRequest request, HttpResponse& response) {
  Result<std::string> id = async_.Submit(user, std::move(session), std::move(request.sql),
                                         std::move(request.parameters));
  if (!id.ok()) {
    SendError(response, id.status().http_status(), id.status());
    return;
  }
  Result<std::string> described = async_.DescribeJson(*id, user, kQueriesPath);
  if (!described.ok()) {
    SendError(response, described.status().http_status(), described.status());
    return;
  }
  HttpHeaders headers = {{"Location", fmt::format("{}/{}", kQueriesPath, *id)},
                         {"Cache-Control", "no-store"}};
  if (request.prefers_async) {
    headers.emplace_back("Preference-Applied", "respond-async");
  }
  (void)response.Send(202, "application/json", *described, headers);
}

void SqlApi::HandleQueries(const HttpRequest& request, HttpResponse& response,
                           const RequestContext& context) {
  Result<std::string> user = Authenticate(request, context);
  if (!user.ok()) {
    SendError(response, 401, user.status());
    return;
  }
  std::string_view rest = std::string_view(request.path).substr(kQueriesPath.size() + 1);
  bool wants_results = false;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    wants_results = rest.substr(slash) == "/results";
    if (!wants_results) {
      SendError(response, 404,
                Status::NotFound("no such resource: {}", request.path.substr(0, 200)));
      return;
    }
    rest = rest.substr(0, slash);
  }
  std::string id(rest);
  bool is_get = request.method == "GET" || request.method == "HEAD";
  if (wants_results) {
    if (!is_get) {
      SendError(response, 405,
                Status::InvalidArgument("use GET on {}", request.path.substr(0, 200)));
      return;
    }
    SendResultPage(request, response, id, *user);
    return;
  }
  if (is_get) {
    Result<std::string> described = async_.DescribeJson(id, *user, kQueriesPath);
    if (!described.ok()) {
      SendError(response, described.status().http_status(), described.status());
      return;
    }
    (void)response.Send(200, "application/json", *described, {{"Cache-Control", "no-store"}});
    return;
  }
  if (request.method != "DELETE") {
    SendError(response, 405,
              Status::InvalidArgument("use GET or DELETE on {}", request.path.substr(0, 200)));
    return;
  }
  Result<CancelOutcome> outcome = async_.Cancel(id, *user);
  if (!outcome.ok()) {
    SendError(response, outcome.status().http_status(), outcome.status());
    return;
  }
  if (*outcome == CancelOutcome::kFreed) {
    (void)response.Send(200, "application/json",
                        fmt::format("{{\"id\":{},\"state\":\"deleted\"}}\n", JsonString(id)));
    return;
  }
  Result<std::string> described = async_.DescribeJson(id, *user, kQueriesPath);
  (void)response.Send(*outcome == CancelOutcome::kCancelling ? 202 : 200, "application/json",
                      described.ok() ? *described : "{}\n");
}

void SqlApi::SendResultPage(const HttpRequest& request, HttpResponse& response,
                            const std::string& id, const std::string& user) {
  Result<ResultFormat> format = ChooseResultFormat(request, nullptr);
  if (!format.ok()) {
    SendError(response, 406, format.status());
    return;
  }
  Result<int64_t> offset = ParsePagingParameter(request, "offset", 0);
  Result<int64_t> limit = ParsePagingParameter(request, "limit", INT64_MAX);
  if (!offset.ok() || !limit.ok()) {
    SendError(response, 400, offset.ok() ? limit.status() : offset.status());
    return;
  }
  Result<std::unique_ptr<AsyncResultReader>> opened = async_.OpenResult(id, user);
  if (!opened.ok()) {
    SendError(response, opened.status().http_status(), opened.status());
    return;
  }
  AsyncResultReader& result = **opened;
  int64_t total = result.num_rows();
  int64_t start = std::min(*offset, total);
  int64_t count = std::min(*limit, total - start);
  int64_t next = start + count;
  std::string next_url =
      next < total ? fmt::format("{}/{}/results?offset={}&limit={}", kQueriesPath, id, next, count)
                   : "";
  // The first rows are read before answering, so that a damaged file gets an error status.
  result.Seek(start, count);
  Result<std::optional<vector::Batch>> batch = result.Next();
  if (!batch.ok()) {
    SendError(response, batch.status().http_status(), batch.status());
    return;
  }
  HttpHeaders headers = {{"X-Floe-Total-Rows", std::to_string(total)}};
  if (!next_url.empty()) {
    headers.emplace_back("Link", fmt::format("<{}>; rel=\"next\"", next_url));
  }
  ResultEncoder encoder(response, *format);
  Status status = encoder.Start(result.columns(), headers);
  while (status.ok() && batch.ok() && batch->has_value()) {
    status = encoder.Write(**batch);
    batch = result.Next();
  }
  if (status.ok() && !batch.ok()) {
    status = batch.status();
  }
  std::string members = fmt::format(",\"offset\":{},\"total_rows\":{},\"next_url\":{}", start,
                                    total, next_url.empty() ? "null" : JsonString(next_url));
  (void)encoder.End(result.command_tag(), status, members);
}

}  // namespace floe::server::http
