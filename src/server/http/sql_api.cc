#include "server/http/sql_api.h"

#include <cmath>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "catalog/user_store.h"
#include "common/logging.h"
#include "server/base64.h"
#include "server/metrics.h"
#include "server/sql_service.h"

namespace floe::server::http {
namespace {

using Clock = std::chrono::steady_clock;
using types::TypeId;
using types::Value;

constexpr size_t kMaxCachedCredentials = 1024;
constexpr int kMaxLoggedSql = 300;

std::string JsonString(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string JsonValue(const Value& value) {
  if (value.is_null()) {
    return "null";
  }
  switch (value.type().id()) {
    case TypeId::kBoolean:
      return value.boolean_value() ? "true" : "false";
    case TypeId::kSmallInt:
      return std::to_string(value.smallint_value());
    case TypeId::kInteger:
      return std::to_string(value.integer_value());
    case TypeId::kBigInt:
      return std::to_string(value.bigint_value());
    case TypeId::kReal:
    case TypeId::kDouble: {
      double number =
          value.type().id() == TypeId::kReal ? value.real_value() : value.double_value();
      if (!std::isfinite(number)) {
        return JsonString(value.ToString());
      }
      return value.ToString();
    }
    default:
      return JsonString(value.ToString());
  }
}

std::string CsvField(const std::string& text) {
  bool needs_quotes = text.empty() || text.find_first_of(",\"\r\n") != std::string::npos ||
                      text.front() == ' ' || text.back() == ' ';
  if (!needs_quotes) {
    return text;
  }
  std::string quoted = "\"";
  for (char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  quoted += '"';
  return quoted;
}

Result<std::vector<Value>> ParametersOf(const nlohmann::json& parameters) {
  std::vector<Value> values;
  if (parameters.is_null()) {
    return values;
  }
  if (!parameters.is_array()) {
    return Status::InvalidArgument("\"parameters\" must be an array");
  }
  for (const nlohmann::json& parameter : parameters) {
    if (parameter.is_null()) {
      values.push_back(Value::Null(types::LogicalType::Null()));
    } else if (parameter.is_boolean()) {
      values.push_back(Value::Boolean(parameter.get<bool>()));
    } else if (parameter.is_number_integer()) {
      if (parameter.is_number_unsigned() && parameter.get<uint64_t>() > INT64_MAX) {
        return Status::OutOfRange("parameter {} is out of range for bigint", parameter.dump());
      }
      values.push_back(Value::BigInt(parameter.get<int64_t>()));
    } else if (parameter.is_number_float()) {
      values.push_back(Value::Double(parameter.get<double>()));
    } else if (parameter.is_string()) {
      values.push_back(Value::Varchar(parameter.get<std::string>()));
    } else {
      return Status::InvalidArgument("parameters must be null, booleans, numbers or strings");
    }
  }
  return values;
}

std::string Abbreviate(std::string_view sql) {
  std::string text(sql.substr(0, kMaxLoggedSql));
  std::replace(text.begin(), text.end(), '\n', ' ');
  return sql.size() > static_cast<size_t>(kMaxLoggedSql) ? text + "..." : text;
}

// Streams one result as JSON or CSV. Returns the rows written; an error after the response
// started is reported inside the JSON body, or by an incomplete chunked body for CSV.
class ResultWriter {
 public:
  ResultWriter(HttpResponse& response, bool is_csv) : response_(response), is_csv_(is_csv) {}

  Status Write(StatementResult& result, int64_t* rows) {
    // Pull the first batch before answering, so that an early error gets its own status.
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, result.Next());
    FLOE_RETURN_NOT_OK(response_.Start(200,
                                       is_csv_ ? "text/csv; charset=utf-8" : "application/json",
                                       {{"Cache-Control", "no-store"}}));
    FLOE_RETURN_NOT_OK(WriteHeader(result));
    Status status;
    while (batch.has_value()) {
      status = WriteBatch(*batch, rows);
      if (!status.ok()) {
        break;
      }
      Result<std::optional<vector::Batch>> next = result.Next();
      if (!next.ok()) {
        status = next.status();
        break;
      }
      batch = std::move(next).value();
    }
    return WriteFooter(result, *rows, status);
  }

 private:
  Status WriteHeader(StatementResult& result) {
    std::string text;
    if (is_csv_) {
      for (size_t index = 0; index < result.columns().size(); ++index) {
        text += index == 0 ? "" : ",";
        text += CsvField(result.columns()[index].name);
      }
      if (!result.columns().empty()) {
        text += "\r\n";
      }
    } else {
      text = "{\"columns\":[";
      for (size_t index = 0; index < result.columns().size(); ++index) {
        const ColumnInfo& column = result.columns()[index];
        text += fmt::format("{}{{\"name\":{},\"type\":{}}}", index == 0 ? "" : ",",
                            JsonString(column.name), JsonString(column.type.ToString()));
      }
      text += "],\"rows\":[";
    }
    return response_.Write(text);
  }

  Status WriteBatch(const vector::Batch& batch, int64_t* rows) {
    std::string text;
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      if (!is_csv_) {
        text += *rows == 0 ? "[" : ",[";
      }
      for (int64_t column = 0; column < batch.num_columns(); ++column) {
        const vector::Vector& values = batch.column(column);
        std::string separator = column == 0 ? "" : ",";
        text += separator;
        if (values.IsNull(row)) {
          text += is_csv_ ? "" : "null";
          continue;
        }
        FLOE_ASSIGN_OR_RETURN(Value value, values.GetValue(row));
        text += is_csv_ ? CsvField(value.ToString()) : JsonValue(value);
      }
      text += is_csv_ ? "\r\n" : "]";
      ++*rows;
      if (text.size() >= 32 * 1024) {
        FLOE_RETURN_NOT_OK(response_.Write(text));
        text.clear();
      }
    }
    return response_.Write(text);
  }

  Status WriteFooter(StatementResult& result, int64_t rows, const Status& status) {
    if (is_csv_) {
      if (!status.ok()) {
        response_.Abort();
        return status;
      }
      FLOE_RETURN_NOT_OK(response_.Finish());
      return status;
    }
    std::string text = fmt::format("],\"command_tag\":{},\"row_count\":{}",
                                   JsonString(result.command_tag()), rows);
    if (!status.ok()) {
      text += fmt::format(",\"error\":{{\"code\":{},\"sqlstate\":{},\"message\":{}}}",
                          JsonString(StatusCodeName(status.code())), JsonString(status.sql_state()),
                          JsonString(status.message()));
    }
    text += "}\n";
    FLOE_RETURN_NOT_OK(response_.Write(text));
    FLOE_RETURN_NOT_OK(response_.Finish());
    return status;
  }

  HttpResponse& response_;
  bool is_csv_;
};

}  // namespace

SqlApi::SqlApi(SqlApiOptions options, SqlService& service, catalog::UserStore* users,
               ServerMetrics& metrics)
    : options_(std::move(options)), service_(service), users_(users), metrics_(metrics) {
  RAND_bytes(cache_key_.data(), static_cast<int>(cache_key_.size()));
}

void SqlApi::AddRoutes(HttpRouter& router) {
  router.Add("POST", "/api/v1/sql",
             [this](const HttpRequest& request, HttpResponse& response,
                    const RequestContext& context) { HandleSql(request, response, context); });
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
  std::optional<std::string> format = request.QueryParameter("format");
  bool is_csv = false;
  if (format.has_value()) {
    if (*format != "csv" && *format != "json") {
      SendError(response, 406,
                Status::InvalidArgument("unknown format {}: use json or csv", *format));
      return;
    }
    is_csv = *format == "csv";
  } else if (const std::string* accept = request.Header("accept"); accept != nullptr) {
    is_csv = accept->find("text/csv") != std::string::npos;
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    SendError(response, 400,
              Status::SyntaxError("the request body must be a JSON object with \"sql\""));
    return;
  }
  auto sql = body.find("sql");
  if (sql == body.end() || !sql->is_string()) {
    SendError(response, 400, Status::InvalidArgument("\"sql\" must be a string"));
    return;
  }
  auto parameters_field = body.find("parameters");
  Result<std::vector<Value>> parameters =
      ParametersOf(parameters_field == body.end() ? nlohmann::json() : *parameters_field);
  if (!parameters.ok()) {
    SendError(response, 400, parameters.status());
    return;
  }
  std::string text = sql->get<std::string>();
  Result<std::unique_ptr<SqlSession>> session = service_.Connect(*user, options_.database);
  if (!session.ok()) {
    SendError(response, session.status().http_status(), session.status());
    return;
  }
  metrics_.AddSession(Protocol::kHttp, 1);
  auto started = Clock::now();
  int64_t rows = 0;
  Status status;
  if (auto timeout = body.find("timeout_ms"); timeout != body.end() && timeout->is_number()) {
    status = (*session)->SetParameter("statement_timeout", std::to_string(timeout->get<int64_t>()));
  }
  SqlSession* running = session->get();
  if (context.control != nullptr) {
    context.control->SetCanceller([running] { running->Cancel(); });
  }
  if (status.ok()) {
    Result<std::unique_ptr<StatementResult>> result = (*session)->Execute(text, *parameters);
    status = result.ok() ? ResultWriter(response, is_csv).Write(**result, &rows) : result.status();
  }
  if (context.control != nullptr) {
    context.control->SetCanceller({});
  }
  if (!status.ok() && !response.is_started()) {
    SendError(response, status.http_status(), status);
  }
  metrics_.AddSession(Protocol::kHttp, -1);
  auto duration = Clock::now() - started;
  Outcome outcome = status.ok()                               ? Outcome::kOk
                    : status.code() == StatusCode::kCancelled ? Outcome::kCancelled
                                                              : Outcome::kError;
  metrics_.RecordStatement(Protocol::kHttp, outcome, duration, rows);
  double millis = std::chrono::duration<double, std::milli>(duration).count();
  if (status.ok()) {
    FLOE_LOG_INFO("statement", {"protocol", "http"}, {"user", *user}, {"peer", context.peer},
                  {"duration_ms", millis}, {"rows", rows}, {"sql", Abbreviate(text)});
  } else {
    FLOE_LOG_INFO("statement failed", {"protocol", "http"}, {"user", *user}, {"peer", context.peer},
                  {"duration_ms", millis}, {"sql_state", status.sql_state()},
                  {"error", status.message()}, {"sql", Abbreviate(text)});
  }
}

}  // namespace floe::server::http
