#include "server/http/iceberg_rest_catalog.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "catalog/metastore.h"
#include "catalog/user_store.h"
#include "io/file_system.h"
#include "server/base64.h"
#include "server/http/iceberg_rest_commit.h"
#include "server/http/iceberg_rest_views.h"
#include "server/metrics.h"
#include "server/sql_service.h"
#include "table/id_generator.h"
#include "table/new_table.h"
#include "table/table_change.h"
#include "table/view_metadata.h"

namespace floe::server::http {
namespace {

using Json = nlohmann::json;
using catalog::Namespace;
using catalog::TableIdentifier;

// Namespace levels in paths and in the `parent` parameter are joined by the unit separator
// (the spec's default "namespace-separator", sent as %1F).
constexpr char kNamespaceSeparator = '\x1f';

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The spec's ErrorModel type for a Floe error; NotFound is told apart by what is missing.
std::pair<int, const char*> ErrorTypeOf(const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound:
      if (status.message().starts_with("namespace")) {
        return {404, "NoSuchNamespaceException"};
      }
      if (status.message().starts_with("view")) {
        return {404, "NoSuchViewException"};
      }
      return {404, "NoSuchTableException"};
    case StatusCode::kAlreadyExists:
      return {409, "AlreadyExistsException"};
    case StatusCode::kConflict:
      return {409, "CommitFailedException"};
    case StatusCode::kInvalidArgument:
    case StatusCode::kSyntaxError:
    case StatusCode::kOutOfRange:
      return {400, "BadRequestException"};
    case StatusCode::kUnauthenticated:
      return {401, "NotAuthorizedException"};
    case StatusCode::kPermissionDenied:
      return {403, "ForbiddenException"};
    case StatusCode::kNotSupported:
      return {406, "UnsupportedOperationException"};
    case StatusCode::kUnavailable:
      return {503, "ServiceUnavailableException"};
    default:
      return {500, "ServiceFailureException"};
  }
}

void SendJson(HttpResponse& response, int status, const Json& body) {
  (void)response.Send(status, "application/json", Dump(body) + "\n");
}

void SendErrorModel(HttpResponse& response, int code, std::string_view type,
                    std::string_view message) {
  Json body = {{"error", {{"message", message}, {"type", type}, {"code", code}}}};
  HttpHeaders headers;
  if (code == 401) {
    headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  (void)response.Send(code, "application/json", Dump(body) + "\n", headers);
}

void SendFailure(HttpResponse& response, const Status& status) {
  auto [code, type] = ErrorTypeOf(status);
  SendErrorModel(response, code, type, status.message());
}

void SendOAuthError(HttpResponse& response, int status, std::string_view error,
                    std::string_view description) {
  SendJson(response, status, {{"error", error}, {"error_description", description}});
}

constexpr const char* kTokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";
constexpr const char* kAccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

void SendNoContent(HttpResponse& response) {
  (void)response.Send(204, "application/json", "");
}

Json NamespaceJson(const Namespace& namespace_name) {
  return Json(namespace_name);
}

Result<Namespace> NamespaceFromPath(std::string_view segment) {
  Namespace levels;
  size_t start = 0;
  while (true) {
    size_t end = segment.find(kNamespaceSeparator, start);
    levels.emplace_back(segment.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  FLOE_RETURN_NOT_OK(catalog::ValidateNamespace(levels));
  return levels;
}

Result<Namespace> NamespaceFromJson(const Json& node) {
  if (!node.is_array()) {
    return Status::InvalidArgument("\"namespace\" must be an array of strings");
  }
  Namespace levels;
  for (const Json& level : node) {
    if (!level.is_string()) {
      return Status::InvalidArgument("\"namespace\" must be an array of strings");
    }
    levels.push_back(level.get<std::string>());
  }
  FLOE_RETURN_NOT_OK(catalog::ValidateNamespace(levels));
  return levels;
}

Result<TableIdentifier> IdentifierFromJson(const Json& node, std::string_view what) {
  if (!node.is_object() || !node.contains("namespace") || !node.contains("name") ||
      !node["name"].is_string()) {
    return Status::InvalidArgument("{} must be an object with \"namespace\" and \"name\"", what);
  }
  FLOE_ASSIGN_OR_RETURN(Namespace namespace_name, NamespaceFromJson(node["namespace"]));
  TableIdentifier identifier{std::move(namespace_name), node["name"].get<std::string>()};
  FLOE_RETURN_NOT_OK(catalog::ValidateIdentifier(identifier));
  return identifier;
}

Result<catalog::Properties> PropertiesFromJson(const Json& node, std::string_view what) {
  catalog::Properties properties;
  if (node.is_null()) {
    return properties;
  }
  if (!node.is_object()) {
    return Status::InvalidArgument("\"{}\" must be an object of strings", what);
  }
  for (const auto& [key, value] : node.items()) {
    if (!value.is_string()) {
      return Status::InvalidArgument("\"{}\": the value of {} must be a string", what, key);
    }
    properties[key] = value.get<std::string>();
  }
  return properties;
}

Result<Json> ParseBody(const HttpRequest& request) {
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Status::InvalidArgument("malformed request: the body must be a JSON object");
  }
  return body;
}

Json Member(const Json& object, const char* key) {
  auto found = object.find(key);
  return found == object.end() ? Json() : *found;
}

Result<catalog::PageRequest> PageOf(const HttpRequest& request) {
  catalog::PageRequest page;
  page.page_token = request.QueryParameter("pageToken").value_or("");
  std::optional<std::string> size = request.QueryParameter("pageSize");
  if (size.has_value()) {
    char* end = nullptr;
    long value = std::strtol(size->c_str(), &end, 10);
    if (size->empty() || *end != '\0' || value < 1 || value > 100000) {
      return Status::InvalidArgument("pageSize must be a positive integer: {}", *size);
    }
    page.page_size = static_cast<int>(value);
  }
  return page;
}

void AddPageToken(Json& body, const std::string& token) {
  body["next-page-token"] = token.empty() ? Json() : Json(token);
}

// Tables may only live inside the warehouse: a client must not make the server write or purge
// files elsewhere.
Status CheckLocation(std::string_view location, std::string_view warehouse) {
  return catalog::CheckLocationInWarehouse(location, warehouse);
}

Json LoadTableResult(const table::Table& table) {
  return {{"metadata-location", table.metadata_location},
          {"metadata", Json::parse(table::TableMetadataToJson(*table.metadata))},
          {"config", Json::object()}};
}

Result<table::NewTableOptions> NewTableOptionsFromJson(const Json& body) {
  table::NewTableOptions options;
  Json schema = Member(body, "schema");
  if (!schema.is_object()) {
    return Status::InvalidArgument("\"schema\" must be an object");
  }
  Result<table::Schema> parsed_schema = table::SchemaFromJson(Dump(schema));
  if (!parsed_schema.ok()) {
    return Status::InvalidArgument("schema: {}", parsed_schema.status().message());
  }
  options.schema = std::move(*parsed_schema);
  if (Json spec = Member(body, "partition-spec"); spec.is_object()) {
    if (!spec.contains("spec-id")) {
      spec["spec-id"] = 0;
    }
    Result<table::PartitionSpec> parsed = table::PartitionSpecFromJson(Dump(spec));
    if (!parsed.ok()) {
      return Status::InvalidArgument("partition-spec: {}", parsed.status().message());
    }
    options.spec = std::move(*parsed);
  }
  if (Json order = Member(body, "write-order"); order.is_object()) {
    if (!order.contains("order-id")) {
      order["order-id"] = order.contains("fields") && !order["fields"].empty() ? 1 : 0;
    }
    Result<table::SortOrder> parsed = table::SortOrderFromJson(Dump(order));
    if (!parsed.ok()) {
      return Status::InvalidArgument("write-order: {}", parsed.status().message());
    }
    options.sort_order = std::move(*parsed);
  }
  FLOE_ASSIGN_OR_RETURN(options.properties,
                        PropertiesFromJson(Member(body, "properties"), "properties"));
  // "format-version" is a reserved property: it chooses the version and is not stored.
  if (auto version = options.properties.find("format-version");
      version != options.properties.end()) {
    if (version->second != "1" && version->second != "2" && version->second != "3") {
      return Status::InvalidArgument("unsupported format-version {}", version->second);
    }
    options.format_version = version->second[0] - '0';
    options.properties.erase(version);
  }
  if (Json location = Member(body, "location"); location.is_string()) {
    options.location = location.get<std::string>();
    while (options.location.ends_with('/')) {
      options.location.pop_back();
    }
  }
  return options;
}

// Parses "a=1&b=2" (application/x-www-form-urlencoded).
std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    size_t end = body.find('&');
    std::string_view pair = body.substr(0, end);
    size_t equals = pair.find('=');
    std::optional<std::string> key = PercentDecode(pair.substr(0, equals), true);
    std::optional<std::string> value = equals == std::string_view::npos
                                           ? std::string()
                                           : PercentDecode(pair.substr(equals + 1), true);
    if (key.has_value() && value.has_value()) {
      fields[*key] = *value;
    }
    if (end == std::string_view::npos) {
      break;
    }
    body.remove_prefix(end + 1);
  }
  return fields;
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : bytes) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 15];
  }
  return hex;
}

int64_t UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The request's path split at '/' and decoded one segment at a time, so that an encoded '/'
// inside a name stays part of it.
Result<std::vector<std::string>> PathSegments(const HttpRequest& request) {
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  if (size_t scheme = path.find("://");
      !path.starts_with('/') && scheme != std::string_view::npos) {
    // An absolute-form target (RFC 9112 section 3.2.2): the path follows the authority.
    size_t slash = path.find('/', scheme + 3);
    path = slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
  }
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    std::string_view raw = path.substr(start, end == std::string_view::npos ? end : end - start);
    std::optional<std::string> decoded = PercentDecode(raw, false);
    if (!decoded.has_value()) {
      return Status::InvalidArgument("malformed percent-encoding in the path");
    }
    segments.push_back(std::move(*decoded));
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  if (!segments.empty() && segments.back().empty()) {
    segments.pop_back();
  }
  return segments;
}

bool IsRouteRoot(std::string_view segment) {
  return segment == "config" || segment == "oauth" || segment == "namespaces" ||
         segment == "tables" || segment == "views" || segment == "transactions";
}

}  // namespace

IcebergRestCatalog::IcebergRestCatalog(IcebergRestOptions options, catalog::Metastore& metastore,
                                       std::shared_ptr<io::FileSystem> file_system,
                                       std::string warehouse, catalog::UserStore* users,
                                       ServerMetrics& metrics)
    : options_(std::move(options)),
      metastore_(metastore),
      tables_(metastore, file_system, warehouse),
      file_system_(std::move(file_system)),
      warehouse_(std::move(warehouse)),
      users_(users),
      metrics_(metrics) {
  RAND_bytes(token_key_.data(), static_cast<int>(token_key_.size()));
}

void IcebergRestCatalog::AddRoutes(HttpRouter& router) {
  router.AddPrefix("/v1/",
                   [this](const HttpRequest& request, HttpResponse& response,
                          const RequestContext& context) { Handle(request, response, context); });
}

std::string IcebergRestCatalog::Sign(std::string_view payload) const {
  unsigned char digest[32];
  unsigned int size = 0;
  HMAC(EVP_sha256(), token_key_.data(), static_cast<int>(token_key_.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest, &size);
  return ToHex(std::string_view(reinterpret_cast<const char*>(digest), size));
}

std::string IcebergRestCatalog::IssueToken(const std::string& user) const {
  std::string payload =
      EncodeBase64(fmt::format("{}\n{}", UnixSeconds() + options_.token_lifetime.count(), user));
  return payload + "." + Sign(payload);
}

Result<std::string> IcebergRestCatalog::VerifyToken(std::string_view token) const {
  size_t dot = token.rfind('.');
  if (dot == std::string_view::npos) {
    return Status::Unauthenticated("malformed bearer token");
  }
  std::string_view payload = token.substr(0, dot);
  std::string expected = Sign(payload);
  std::string_view signature = token.substr(dot + 1);
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return Status::Unauthenticated("invalid bearer token");
  }
  std::optional<std::string> decoded = DecodeBase64(payload);
  size_t newline = decoded.has_value() ? decoded->find('\n') : std::string::npos;
  if (newline == std::string::npos) {
    return Status::Unauthenticated("malformed bearer token");
  }
  int64_t expiry = std::strtoll(decoded->substr(0, newline).c_str(), nullptr, 10);
  if (expiry <= UnixSeconds()) {
    return Status::Unauthenticated("the bearer token has expired");
  }
  return decoded->substr(newline + 1);
}

Result<std::string> IcebergRestCatalog::Authenticate(const HttpRequest& request,
                                                     const RequestContext& context) {
  const std::string* authorization = request.Header("authorization");
  if (authorization == nullptr) {
    if (options_.trust_loopback && context.is_loopback) {
      return options_.trust_user;
    }
    return Status::Unauthenticated(
        "authentication required: get a token from POST /v1/oauth/tokens and send it as "
        "Authorization: Bearer");
  }
  std::string_view value = *authorization;
  if (value.size() < 7 || (value.substr(0, 7) != "Bearer " && value.substr(0, 7) != "bearer ")) {
    return Status::Unauthenticated("unsupported authorization scheme: use Bearer");
  }
  Result<std::string> user = VerifyToken(value.substr(7));
  if (!user.ok()) {
    metrics_.RecordAuthenticationFailure(Protocol::kHttp);
  }
  return user;
}

// The token endpoint (spec: getToken) answers OAuth2's own shapes rather than the ErrorModel:
// {"access_token", "token_type", "expires_in", "issued_token_type"} or {"error",
// "error_description"}.
void IcebergRestCatalog::HandleToken(const HttpRequest& request, HttpResponse& response) {
  if (request.method != "POST") {
    SendErrorModel(response, 405, "BadRequestException", "use POST for /v1/oauth/tokens");
    return;
  }
  std::map<std::string, std::string> form = ParseForm(request.body);
  const std::string& grant_type = form["grant_type"];
  if (grant_type == "client_credentials") {
    GrantClientCredentials(request, form, response);
  } else if (grant_type == kTokenExchangeGrant) {
    ExchangeToken(form, response);
  } else {
    SendOAuthError(response, 400, "unsupported_grant_type",
                   "grant_type must be client_credentials or " + std::string(kTokenExchangeGrant));
  }
}

// OAuth2 client credentials (RFC 6749 section 4.4): the client id is the user name and the
// secret the password, in the form body or as HTTP Basic.
void IcebergRestCatalog::GrantClientCredentials(const HttpRequest& request,
                                                std::map<std::string, std::string>& form,
                                                HttpResponse& response) {
  std::string user = form["client_id"];
  std::string secret = form["client_secret"];
  OPENSSL_cleanse(form["client_secret"].data(), form["client_secret"].size());
  if (const std::string* basic = request.Header("authorization");
      basic != nullptr && basic->starts_with("Basic ")) {
    std::optional<std::string> decoded = DecodeBase64(std::string_view(*basic).substr(6));
    size_t colon = decoded.has_value() ? decoded->find(':') : std::string::npos;
    if (colon != std::string::npos) {
      user = PercentDecode(decoded->substr(0, colon), true).value_or("");
      secret = PercentDecode(decoded->substr(colon + 1), true).value_or("");
    }
  }
  if (user.empty() || users_ == nullptr) {
    SendOAuthError(response, 401, "invalid_client", "unknown client or wrong secret");
    return;
  }
  Result<catalog::UserRecord> checked = users_->CheckPassword(user, secret);
  OPENSSL_cleanse(secret.data(), secret.size());
  if (!checked.ok()) {
    metrics_.RecordAuthenticationFailure(Protocol::kHttp);
    SendOAuthError(response, 401, "invalid_client", "unknown client or wrong secret");
    return;
  }
  SendTokenResponse(response, user);
}

// OAuth2 token exchange (RFC 8693), as Iceberg clients use it to refresh a token before it
// expires: a valid Floe access token (the subject) gets a fresh one for the same user. An
// actor token, when sent, must be a valid Floe token too. Section 2.2.2 of the RFC answers
// invalid or unacceptable tokens with invalid_request. The user must still exist and may log
// in: refreshing is how a dropped user's session would otherwise outlive the user.
void IcebergRestCatalog::ExchangeToken(const std::map<std::string, std::string>& form,
                                       HttpResponse& response) {
  auto field = [&form](const char* key) -> std::string {
    auto found = form.find(key);
    return found == form.end() ? std::string() : found->second;
  };
  auto refuse = [&](std::string_view description) {
    metrics_.RecordAuthenticationFailure(Protocol::kHttp);
    SendOAuthError(response, 400, "invalid_request", description);
  };
  std::string subject_token = field("subject_token");
  if (subject_token.empty()) {
    SendOAuthError(response, 400, "invalid_request", "subject_token is required");
    return;
  }
  for (const char* key : {"subject_token_type", "requested_token_type", "actor_token_type"}) {
    std::string type = field(key);
    bool is_required = std::string_view(key) == "subject_token_type";
    if ((is_required || !type.empty()) && type != kAccessTokenType) {
      SendOAuthError(response, 400, "invalid_request",
                     fmt::format("{} must be {}", key, kAccessTokenType));
      return;
    }
  }
  Result<std::string> user = VerifyToken(subject_token);
  if (!user.ok()) {
    refuse(fmt::format("subject_token: {}", user.status().message()));
    return;
  }
  if (std::string actor_token = field("actor_token"); !actor_token.empty()) {
    Result<std::string> actor = VerifyToken(actor_token);
    if (!actor.ok()) {
      refuse(fmt::format("actor_token: {}", actor.status().message()));
      return;
    }
  }
  if (users_ != nullptr) {
    Result<std::optional<catalog::UserRecord>> record = users_->FindUser(*user);
    if (!record.ok()) {
      SendOAuthError(response, 503, "temporarily_unavailable",
                     fmt::format("cannot check user {}: {}", *user, record.status().message()));
      return;
    }
    if (!record->has_value() || !(*record)->can_login) {
      refuse(fmt::format("user {} no longer exists or may not log in", *user));
      return;
    }
  }
  SendTokenResponse(response, *user);
}

void IcebergRestCatalog::SendTokenResponse(HttpResponse& response, const std::string& user) const {
  SendJson(response, 200,
           {{"access_token", IssueToken(user)},
            {"token_type", "bearer"},
            {"expires_in", options_.token_lifetime.count()},
            {"issued_token_type", kAccessTokenType}});
}

namespace {

// What one request's handlers work with.
struct Call {
  const HttpRequest& request;
  HttpResponse& response;
  catalog::Metastore& metastore;
  catalog::TableCatalog& tables;
  const std::shared_ptr<io::FileSystem>& file_system;
  const std::string& warehouse;
  const std::string& user;
  SqlService* sql_service;
  const std::string& database;
};

void SendConfig(Call& call) {
  static const char* const kEndpoints[] = {
      "GET /v1/{prefix}/namespaces",
      "POST /v1/{prefix}/namespaces",
      "GET /v1/{prefix}/namespaces/{namespace}",
      "HEAD /v1/{prefix}/namespaces/{namespace}",
      "DELETE /v1/{prefix}/namespaces/{namespace}",
      "POST /v1/{prefix}/namespaces/{namespace}/properties",
      "GET /v1/{prefix}/namespaces/{namespace}/tables",
      "POST /v1/{prefix}/namespaces/{namespace}/tables",
      "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
      "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}",
      "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}",
      "DELETE /v1/{prefix}/namespaces/{namespace}/tables/{table}",
      "POST /v1/{prefix}/namespaces/{namespace}/register",
      "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/metrics",
      "POST /v1/{prefix}/tables/rename",
      "POST /v1/{prefix}/transactions/commit",
      "GET /v1/{prefix}/namespaces/{namespace}/views",
      "POST /v1/{prefix}/namespaces/{namespace}/views",
      "GET /v1/{prefix}/namespaces/{namespace}/views/{view}",
      "HEAD /v1/{prefix}/namespaces/{namespace}/views/{view}",
      "POST /v1/{prefix}/namespaces/{namespace}/views/{view}",
      "DELETE /v1/{prefix}/namespaces/{namespace}/views/{view}",
      "POST /v1/{prefix}/views/rename",
  };
  SendJson(call.response, 200,
           {{"defaults", Json::object()},
            {"overrides", Json::object()},
            {"endpoints",
             Json(std::vector<std::string>(std::begin(kEndpoints), std::end(kEndpoints)))}});
}

Status ListNamespaces(Call& call) {
  Namespace parent;
  if (std::optional<std::string> given = call.request.QueryParameter("parent");
      given.has_value() && !given->empty()) {
    FLOE_ASSIGN_OR_RETURN(parent, NamespaceFromPath(*given));
    FLOE_ASSIGN_OR_RETURN(bool exists, call.metastore.NamespaceExists(parent));
    if (!exists) {
      return Status::NotFound("namespace {} does not exist", catalog::NamespaceToString(parent));
    }
  }
  FLOE_ASSIGN_OR_RETURN(catalog::PageRequest page, PageOf(call.request));
  FLOE_ASSIGN_OR_RETURN(catalog::Page<Namespace> listed,
                        call.metastore.ListNamespaces(parent, page));
  Json namespaces = Json::array();
  for (const Namespace& namespace_name : listed.items) {
    namespaces.push_back(NamespaceJson(namespace_name));
  }
  Json body = {{"namespaces", namespaces}};
  AddPageToken(body, listed.next_page_token);
  SendJson(call.response, 200, body);
  return Status::OK();
}

Status CreateNamespace(Call& call) {
  FLOE_ASSIGN_OR_RETURN(Json body, ParseBody(call.request));
  FLOE_ASSIGN_OR_RETURN(Namespace namespace_name, NamespaceFromJson(Member(body, "namespace")));
  FLOE_ASSIGN_OR_RETURN(catalog::Properties properties,
                        PropertiesFromJson(Member(body, "properties"), "properties"));
  FLOE_RETURN_NOT_OK(call.metastore.CreateNamespace(namespace_name, properties));
  SendJson(call.response, 200,
           {{"namespace", NamespaceJson(namespace_name)}, {"properties", Json(properties)}});
  return Status::OK();
}

Status LoadNamespace(Call& call, const Namespace& namespace_name) {
  FLOE_ASSIGN_OR_RETURN(catalog::Properties properties,
                        call.metastore.LoadNamespace(namespace_name));
  SendJson(call.response, 200,
           {{"namespace", NamespaceJson(namespace_name)}, {"properties", Json(properties)}});
  return Status::OK();
}

Status RequireNamespace(Call& call, const Namespace& namespace_name) {
  FLOE_ASSIGN_OR_RETURN(bool exists, call.metastore.NamespaceExists(namespace_name));
  if (!exists) {
    return Status::NotFound("namespace {} does not exist",
                            catalog::NamespaceToString(namespace_name));
  }
  return Status::OK();
}

Status DropNamespace(Call& call, const Namespace& namespace_name) {
  FLOE_RETURN_NOT_OK(RequireNamespace(call, namespace_name));
  catalog::PageRequest one{.page_token = "", .page_size = 1};
  FLOE_ASSIGN_OR_RETURN(auto children, call.metastore.ListNamespaces(namespace_name, one));
  FLOE_ASSIGN_OR_RETURN(auto tables, call.metastore.ListTables(namespace_name, one));
  FLOE_ASSIGN_OR_RETURN(auto views, call.metastore.ListViews(namespace_name, one));
  if (!children.items.empty() || !tables.items.empty() || !views.items.empty()) {
    SendErrorModel(
        call.response, 409, "NamespaceNotEmptyException",
        fmt::format("namespace {} is not empty", catalog::NamespaceToString(namespace_name)));
    return Status::OK();
  }
  FLOE_RETURN_NOT_OK(call.metastore.DropNamespace(namespace_name));
  SendNoContent(call.response);
  return Status::OK();
}

Status UpdateNamespaceProperties(Call& call, const Namespace& namespace_name) {
  FLOE_ASSIGN_OR_RETURN(Json body, ParseBody(call.request));
  FLOE_ASSIGN_OR_RETURN(catalog::Properties updates,
                        PropertiesFromJson(Member(body, "updates"), "updates"));
  std::vector<std::string> removals;
  Json removal_list = Member(body, "removals");
  if (!removal_list.is_null() && !removal_list.is_array()) {
    return Status::InvalidArgument("\"removals\" must be an array of strings");
  }
  for (const Json& key : removal_list.is_array() ? removal_list : Json::array()) {
    if (!key.is_string()) {
      return Status::InvalidArgument("\"removals\" must be an array of strings");
    }
    removals.push_back(key.get<std::string>());
    if (updates.contains(removals.back())) {
      SendErrorModel(call.response, 422, "UnprocessableEntityException",
                     fmt::format("property {} is both set and removed", removals.back()));
      return Status::OK();
    }
  }
  FLOE_ASSIGN_OR_RETURN(catalog::PropertiesUpdate result, call.metastore.UpdateNamespaceProperties(
                                                              namespace_name, removals, updates));
  SendJson(call.response, 200,
           {{"updated", result.updated}, {"removed", result.removed}, {"missing", result.missing}});
  return Status::OK();
}

Status ListTables(Call& call, const Namespace& namespace_name) {
  FLOE_RETURN_NOT_OK(RequireNamespace(call, namespace_name));
  FLOE_ASSIGN_OR_RETURN(catalog::PageRequest page, PageOf(call.request));
  FLOE_ASSIGN_OR_RETURN(catalog::Page<TableIdentifier> listed,
                        call.metastore.ListTables(namespace_name, page));
  Json identifiers = Json::array();
  for (const TableIdentifier& identifier : listed.items) {
    identifiers.push_back(
        {{"namespace", NamespaceJson(identifier.namespace_name)}, {"name", identifier.name}});
  }
  Json body = {{"identifiers", identifiers}};
  AddPageToken(body, listed.next_page_token);
  SendJson(call.response, 200, body);
  return Status::OK();
}

Status RequireNameFree(Call& call, const TableIdentifier& identifier);

// A staged create (the first half of a create transaction, such as CREATE TABLE AS SELECT)
// answers the metadata the table would have and keeps nothing: no file, no metastore entry.
// The client commits it with an assert-create commit that carries the whole metadata again as
// updates, which creates the table then (CommitTable, CommitTransaction).
Status StageCreateTable(Call& call, const TableIdentifier& identifier,
                        table::NewTableOptions options) {
  FLOE_RETURN_NOT_OK(RequireNameFree(call, identifier));
  if (options.location.empty()) {
    options.location = call.tables.DefaultLocation(identifier);
  }
  FLOE_ASSIGN_OR_RETURN(table::TableMetadata metadata, table::MakeNewTableMetadata(options));
  SendJson(call.response, 200,
           {{"metadata-location", nullptr},
            {"metadata", Json::parse(table::TableMetadataToJson(metadata))},
            {"config", Json::object()}});
  return Status::OK();
}

Status CreateTable(Call& call, const Namespace& namespace_name) {
  FLOE_ASSIGN_OR_RETURN(Json body, ParseBody(call.request));
  Json name = Member(body, "name");
  if (!name.is_string()) {
    return Status::InvalidArgument("\"name\" must be a string");
  }
  Json stage = Member(body, "stage-create");
  if (!stage.is_null() && !stage.is_boolean()) {
    return Status::InvalidArgument("\"stage-create\" must be a boolean");
  }
  TableIdentifier identifier{namespace_name, name.get<std::string>()};
  FLOE_RETURN_NOT_OK(catalog::ValidateIdentifier(identifier));
  FLOE_RETURN_NOT_OK(RequireNamespace(call, namespace_name));
  FLOE_ASSIGN_OR_RETURN(table::NewTableOptions options, NewTableOptionsFromJson(body));
  if (!options.location.empty()) {
    FLOE_RETURN_NOT_OK(CheckLocation(options.location, call.warehouse));
  }
  if (stage.is_boolean() && stage.get<bool>()) {
    return StageCreateTable(call, identifier, std::move(options));
  }
  FLOE_ASSIGN_OR_RETURN(table::Table created,
                        call.tables.CreateTable(identifier, std::move(options)));
  SendJson(call.response, 200, LoadTableResult(created));
  return Status::OK();
}

Status RegisterTable(Call& call, const Namespace& namespace_name) {
  FLOE_ASSIGN_OR_RETURN(Json body, ParseBody(call.request));
  Json name = Member(body, "name");
  Json location = Member(body, "metadata-location");
  if (!name.is_string() || !location.is_string()) {
    return Status::InvalidArgument("\"name\" and \"metadata-location\" must be strings");
  }
  if (Json overwrite = Member(body, "overwrite"); overwrite.is_boolean() && overwrite.get<bool>()) {
    return Status::NotSupported("registering over an existing table (overwrite) is not supported");
  }
  TableIdentifier identifier{namespace_name, name.get<std::string>()};
  FLOE_RETURN_NOT_OK(catalog::ValidateIdentifier(identifier));
  FLOE_RETURN_NOT_OK(RequireNamespace(call, namespace_name));
  FLOE_ASSIGN_OR_RETURN(table::Table registered,
                        call.tables.RegisterTable(identifier, location.get<std::string>()));
  SendJson(call.response, 200, LoadTableResult(registered));
  return Status::OK();
}

Status DropTable(Call& call, const TableIdentifier& identifier) {
  bool purge = call.request.QueryParameter("purgeRequested").value_or("false") == "true";
  FLOE_ASSIGN_OR_RETURN(catalog::TableEntry dropped, call.metastore.DropTable(identifier));
  if (purge) {
    Result<table::Table> table = table::LoadTable(call.file_system, dropped.metadata_location);
    // Only files under the warehouse are purged: a registered table may point elsewhere.
    if (table.ok() && CheckLocation(table->metadata->location, call.warehouse).ok()) {
      Result<std::vector<io::FileInfo>> files =
          call.file_system->List(table->metadata->location + "/");
      if (files.ok()) {
        std::vector<std::string> paths;
        for (const io::FileInfo& file : *files) {
          paths.push_back(file.path);
        }
        (void)call.file_system->DeleteFiles(paths);
      }
    }
  }
  SendNoContent(call.response);
  return Status::OK();
}

Status RenameTable(Call& call) {
  FLOE_ASSIGN_OR_RETURN(Json body, ParseBody(call.request));
  FLOE_ASSIGN_OR_RETURN(TableIdentifier source,
                        IdentifierFromJson(Member(body, "source"), "source"));
  FLOE_ASSIGN_OR_RETURN(TableIdentifier destination,
                        IdentifierFromJson(Member(body, "destination"), "destination"));
  FLOE_RETURN_NOT_OK(RequireNamespace(call, destination.namespace_name));
  FLOE_RETURN_NOT_OK(call.metastore.RenameTable(source, destination));
  SendNoContent(call.response);
  return Status::OK();
}

// The first metadata file of a table that an assert-create commit makes, not yet in the
// metastore.
struct NewTableFile {
  table::TableMetadata metadata;
  std::string location;
};

// The table must not exist (spec: AssertCreate), which is checked here to fail early and again
// by the metastore when the table is added, so that of two racing creates one fails.
Result<NewTableFile> WriteNewTable(Call& call, const TableIdentifier& identifier,
                                   const Json& requirements, const Json& updates) {
  FLOE_ASSIGN_OR_RETURN(bool exists, call.metastore.TableExists(identifier));
  if (exists) {
    return Status::Conflict("requirement failed: table {} already exists",
                            catalog::IdentifierToString(identifier));
  }
  FLOE_ASSIGN_OR_RETURN(
      table::TableMetadata metadata,
      NewTableFromUpdates(requirements, updates, call.tables.DefaultLocation(identifier)));
  FLOE_RETURN_NOT_OK(CheckLocation(metadata.location, call.warehouse));
  FLOE_ASSIGN_OR_RETURN(std::string location,
                        table::WriteMetadataFile(*call.file_system, metadata, ""));
  return NewTableFile{std::move(metadata), std::move(location)};
}

// Adds the table written by WriteNewTable to the metastore; a table or view created by then
// fails the assert-create requirement, and the file is deleted.
Status RegisterNewTable(Call& call, const TableIdentifier& identifier,
                        const std::string& location) {
  Status created = call.metastore.CreateTable(identifier, location);
  if (created.ok()) {
    return created;
  }
  (void)call.file_system->Delete(location);
  if (created.code() == StatusCode::kAlreadyExists) {
    return Status::Conflict("requirement failed: {}", created.message());
  }
  return created;
}

Status CommitTable(Call& call, const TableIdentifier& identifier) {
  FLOE_ASSIGN_OR_RETURN(Json body, ParseBody(call.request));
  if (Json named = Member(body, "identifier"); !named.is_null()) {
    FLOE_ASSIGN_OR_RETURN(TableIdentifier given, IdentifierFromJson(named, "identifier"));
    if (!(given == identifier)) {
      return Status::InvalidArgument("the identifier {} does not match the path's table {}",
                                     catalog::IdentifierToString(given),
                                     catalog::IdentifierToString(identifier));
    }
  }
  Json requirements = Member(body, "requirements");
  Json updates = Member(body, "updates");
  if (!requirements.is_array() || !updates.is_array()) {
    return Status::InvalidArgument("\"requirements\" and \"updates\" must be arrays");
  }
  if (HasAssertCreate(requirements)) {
    FLOE_ASSIGN_OR_RETURN(NewTableFile created,
                          WriteNewTable(call, identifier, requirements, updates));
    FLOE_RETURN_NOT_OK(RegisterNewTable(call, identifier, created.location));
    SendJson(call.response, 200,
             {{"metadata-location", created.location},
              {"metadata", Json::parse(table::TableMetadataToJson(created.metadata))}});
    return Status::OK();
  }
  const std::string& warehouse = call.warehouse;
  // Requirements are checked against the version each attempt applies to, so a commit that
  // loses a race to an unrelated change still succeeds, and one that conflicts fails.
  table::MetadataChange change([&](table::TableMetadata& metadata) -> Status {
    FLOE_RETURN_NOT_OK(CheckTableRequirements(requirements, metadata));
    FLOE_RETURN_NOT_OK(ApplyTableUpdates(updates, metadata));
    return CheckLocation(metadata.location, warehouse);
  });
  FLOE_ASSIGN_OR_RETURN(table::Table committed, call.tables.Commit(identifier, change));
  SendJson(call.response, 200,
           {{"metadata-location", committed.metadata_location},
            {"metadata", Json::parse(table::TableMetadataToJson(*committed.metadata))}});
  return Status::OK();
}

// One table's part of a transaction, its new metadata written but not yet swapped in. A
// table that the transaction creates (assert-create) has no base and is added to the
// metastore instead of swapped.
struct StagedCommit {
  TableIdentifier identifier;
  std::string base_location;
  std::string new_location;
  bool is_create = false;
};

Result<StagedCommit> StageCommit(Call& call, const Json& change) {
  if (!change.is_object()) {
    return Status::InvalidArgument("each of \"table-changes\" must be an object");
  }
  FLOE_ASSIGN_OR_RETURN(TableIdentifier identifier,
                        IdentifierFromJson(Member(change, "identifier"), "identifier"));
  Json requirements = Member(change, "requirements");
  Json updates = Member(change, "updates");
  if (!requirements.is_array() || !updates.is_array()) {
    return Status::InvalidArgument("\"requirements\" and \"updates\" must be arrays");
  }
  if (HasAssertCreate(requirements)) {
    FLOE_RETURN_NOT_OK(RequireNamespace(call, identifier.namespace_name));
    FLOE_ASSIGN_OR_RETURN(NewTableFile created,
                          WriteNewTable(call, identifier, requirements, updates));
    return StagedCommit{std::move(identifier), "", std::move(created.location), true};
  }
  FLOE_ASSIGN_OR_RETURN(table::Table base, call.tables.LoadTable(identifier));
  table::TableMetadata metadata = *base.metadata;
  FLOE_RETURN_NOT_OK(CheckTableRequirements(requirements, metadata));
  FLOE_RETURN_NOT_OK(ApplyTableUpdates(updates, metadata));
  FLOE_RETURN_NOT_OK(CheckLocation(metadata.location, call.warehouse));
  FLOE_ASSIGN_OR_RETURN(std::string location,
                        table::WriteMetadataFile(*call.file_system, metadata,
                                                 base.metadata_location, base.metadata.get()));
  return StagedCommit{std::move(identifier), base.metadata_location, std::move(location)};
}

// A table created in the transaction is added to the metastore; one that exists by then is a
// lost race, as a moved pointer is.
Status SwapIn(Call& call, const StagedCommit& commit) {
  if (!commit.is_create) {
    return call.metastore.CommitTable(commit.identifier, commit.base_location, commit.new_location);
  }
  Status created = call.metastore.CreateTable(commit.identifier, commit.new_location);
  if (created.code() == StatusCode::kAlreadyExists) {
    return Status::Conflict("requirement failed: {}", created.message());
  }
  return created;
}

Status SwapOut(Call& call, const StagedCommit& commit) {
  if (!commit.is_create) {
    return call.metastore.CommitTable(commit.identifier, commit.new_location, commit.base_location);
  }
  return call.metastore.DropTable(commit.identifier).status();
}

void DeleteStaged(Call& call, const std::vector<StagedCommit>& staged, size_t from) {
  std::vector<std::string> paths;
  for (size_t index = from; index < staged.size(); ++index) {
    paths.push_back(staged[index].new_location);
  }
  (void)call.file_system->DeleteFiles(paths);
}

// The metastore swaps one table's pointer at a time, so a transaction writes every table's new
// metadata first (checking every requirement), then swaps the pointers in order and, when a
// swap fails, swaps the ones done back. Readers may see the first tables changed for that
// moment; when swapping back fails too, the outcome is unknown and said so.
Status CommitTransaction(Call& call) {
  FLOE_ASSIGN_OR_RETURN(Json body, ParseBody(call.request));
  Json changes = Member(body, "table-changes");
  if (!changes.is_array() || changes.empty()) {
    return Status::InvalidArgument("\"table-changes\" must be a non-empty array");
  }
  std::vector<StagedCommit> staged;
  for (const Json& change : changes) {
    Result<StagedCommit> one = StageCommit(call, change);
    if (one.ok()) {
      bool is_repeated = std::any_of(staged.begin(), staged.end(), [&](const StagedCommit& other) {
        return other.identifier == one->identifier;
      });
      staged.push_back(std::move(*one));
      if (!is_repeated) {
        continue;
      }
      one = Status::InvalidArgument("table {} appears twice in one transaction",
                                    catalog::IdentifierToString(staged.back().identifier));
    }
    DeleteStaged(call, staged, 0);
    return one.status();
  }
  for (size_t index = 0; index < staged.size(); ++index) {
    const StagedCommit& commit = staged[index];
    Status swapped = SwapIn(call, commit);
    if (swapped.ok()) {
      continue;
    }
    if (swapped.code() != StatusCode::kConflict) {
      // The swap may have happened: keep every file and let the client reload.
      SendErrorModel(
          call.response, 500, "CommitStateUnknownException",
          fmt::format("transaction stopped at table {}: {}",
                      catalog::IdentifierToString(commit.identifier), swapped.message()));
      return Status::OK();
    }
    for (size_t done = index; done-- > 0;) {
      Status undone = SwapOut(call, staged[done]);
      const StagedCommit& undo = staged[done];
      if (!undone.ok()) {
        SendErrorModel(
            call.response, 500, "CommitStateUnknownException",
            fmt::format("transaction failed on {} ({}) and table {} could not be "
                        "restored: {}",
                        catalog::IdentifierToString(commit.identifier), swapped.message(),
                        catalog::IdentifierToString(undo.identifier), undone.message()));
        return Status::OK();
      }
    }
    DeleteStaged(call, staged, 0);
    return swapped;
  }
  SendNoContent(call.response);
  return Status::OK();
}

Status ReportMetrics(Call& call, const TableIdentifier& identifier) {
  FLOE_ASSIGN_OR_RETURN(bool exists, call.metastore.TableExists(identifier));
  if (!exists) {
    return Status::NotFound("table {} does not exist", catalog::IdentifierToString(identifier));
  }
  SendNoContent(call.response);
  return Status::OK();
}

Status SendExists(Call& call, Result<bool> exists) {
  FLOE_RETURN_NOT_OK(exists.status());
  if (*exists) {
    SendNoContent(call.response);
  } else {
    (void)call.response.Send(404, "application/json", "");
  }
  return Status::OK();
}

Status MethodNotAllowed(std::string_view method) {
  return Status::NotSupported("method {} is not allowed here", method);
}

Status RouteTable(Call& call, const std::vector<std::string>& path,
                  const Namespace& namespace_name) {
  const std::string& method = call.request.method;
  TableIdentifier identifier{namespace_name, path[3]};
  FLOE_RETURN_NOT_OK(catalog::ValidateIdentifier(identifier));
  if (path.size() == 4 && method == "GET") {
    Result<table::Table> table = call.tables.LoadTable(identifier);
    if (!table.ok()) {
      // The spec tells a missing namespace from a missing table. Asking only when the table
      // is missing saves loads, the most frequent request, a metastore round trip.
      if (table.status().code() == StatusCode::kNotFound) {
        FLOE_RETURN_NOT_OK(RequireNamespace(call, namespace_name));
      }
      return table.status();
    }
    SendJson(call.response, 200, LoadTableResult(*table));
    return Status::OK();
  }
  // The spec tells a missing namespace from a missing table.
  FLOE_RETURN_NOT_OK(RequireNamespace(call, namespace_name));
  if (path.size() == 5 && path[4] == "metrics" && method == "POST") {
    return ReportMetrics(call, identifier);
  }
  if (path.size() != 4) {
    return Status::NotFound("no such endpoint: {}", call.request.path);
  }
  if (method == "HEAD") {
    return SendExists(call, call.metastore.TableExists(identifier));
  }
  if (method == "POST") {
    return CommitTable(call, identifier);
  }
  if (method == "DELETE") {
    return DropTable(call, identifier);
  }
  return MethodNotAllowed(method);
}

// --- Views (docs/protocols/iceberg-rest.md: Views) --------------------------------------------

Json LoadViewResult(std::string_view metadata_location, const table::ViewMetadata& metadata) {
  return {{"metadata-location", metadata_location},
          {"metadata", Json::parse(table::ViewMetadataToJson(metadata))},
          {"config", Json::object()}};
}

std::string QuoteIdentifier(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

// A view made by SQL CREATE VIEW stores only its query: the schema its metadata needs is the
// result the SQL engine describes for the querying user.
Result<table::Schema> DescribeSqlView(Call& call, const TableIdentifier& identifier) {
  if (call.sql_service == nullptr) {
    return Status::NotSupported(
        "view {} is defined by SQL only, and this catalog has no SQL engine to describe it",
        catalog::IdentifierToString(identifier));
  }
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<SqlSession> session,
                        call.sql_service->Connect(call.user, call.database));
  std::string sql = "SELECT * FROM ";
  for (const std::string& level : identifier.namespace_name) {
    sql += QuoteIdentifier(level) + ".";
  }
  sql += QuoteIdentifier(identifier.name);
  Result<PreparedInfo> described = session->Prepare("", sql, {});
  if (!described.ok()) {
    return Status::Internal("view {} cannot be described: {}",
                            catalog::IdentifierToString(identifier), described.status().message());
  }
  session->Deallocate("");
  std::vector<table::NestedField> fields;
  int32_t field_id = 1;
  for (const ColumnInfo& column : described->columns) {
    Result<table::Type> type = table::FromLogicalType(column.type);
    if (!type.ok()) {
      return Status::NotSupported("view {}: column {}: {}", catalog::IdentifierToString(identifier),
                                  column.name, type.status().message());
    }
    fields.push_back({.id = field_id++, .name = column.name, .type = *type});
  }
  return table::Schema::Make(0, std::move(fields));
}

// The uuid of a view made by SQL is derived from its name and query, so that every load of an
// unchanged view answers the same one (assert-view-uuid relies on it).
std::string StableViewUuid(const TableIdentifier& identifier, std::string_view sql) {
  std::string input = catalog::IdentifierToString(identifier) + "\n" + std::string(sql);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha256(), nullptr);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x80);  // Version 8: custom.
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC 9562 variant.
  std::string hex = ToHex(std::string_view(reinterpret_cast<const char*>(digest), 16));
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20));
}

Result<table::ViewMetadata> SqlViewMetadata(Call& call, const catalog::ViewEntry& entry) {
  FLOE_ASSIGN_OR_RETURN(table::Schema schema, DescribeSqlView(call, entry.identifier));
  table::ViewVersion version;
  version.version_id = 1;
  version.schema_id = schema.schema_id();
  version.summary["engine-name"] = "floe";
  version.representations.push_back({entry.definition.sql, "floe"});
  version.default_namespace = entry.identifier.namespace_name;
  table::ViewMetadata metadata;
  metadata.view_uuid = StableViewUuid(entry.identifier, entry.definition.sql);
  metadata.location = call.tables.DefaultLocation(entry.identifier);
  metadata.current_version_id = 1;
  metadata.versions.push_back(std::move(version));
  metadata.version_log.push_back({0, 1});
  metadata.schemas.push_back(std::move(schema));
  return metadata;
}

// A view's current metadata and where it lives; the location is empty for a view made by SQL,
// whose metadata is made on the fly.
struct LoadedView {
  std::string metadata_location;
  table::ViewMetadata metadata;
};

Result<LoadedView> LoadViewMetadata(Call& call, const TableIdentifier& identifier) {
  FLOE_ASSIGN_OR_RETURN(catalog::ViewEntry entry, call.metastore.LoadView(identifier));
  const std::string& location = entry.definition.metadata_location;
  if (location.empty()) {
    FLOE_ASSIGN_OR_RETURN(table::ViewMetadata metadata, SqlViewMetadata(call, entry));
    return LoadedView{"", std::move(metadata)};
  }
  FLOE_ASSIGN_OR_RETURN(table::ViewMetadata metadata,
                        table::ReadViewMetadataFile(*call.file_system, location));
  return LoadedView{location, std::move(metadata)};
}

Status ListViews(Call& call, const Namespace& namespace_name) {
  FLOE_RETURN_NOT_OK(RequireNamespace(call, namespace_name));
  FLOE_ASSIGN_OR_RETURN(catalog::PageRequest page, PageOf(call.request));
  FLOE_ASSIGN_OR_RETURN(catalog::Page<TableIdentifier> listed,
                        call.metastore.ListViews(namespace_name, page));
  Json identifiers = Json::array();
  for (const TableIdentifier& identifier : listed.items) {
    identifiers.push_back(
        {{"namespace", NamespaceJson(identifier.namespace_name)}, {"name", identifier.name}});
  }
  Json body = {{"identifiers", identifiers}};
  AddPageToken(body, listed.next_page_token);
  SendJson(call.response, 200, body);
  return Status::OK();
}

// Tables and views share one name space: creating either over the other is AlreadyExists.
Status RequireNameFree(Call& call, const TableIdentifier& identifier) {
  FLOE_ASSIGN_OR_RETURN(bool is_table, call.metastore.TableExists(identifier));
  if (is_table) {
    return Status::AlreadyExists("table {} already exists",
                                 catalog::IdentifierToString(identifier));
  }
  Result<catalog::ViewEntry> view = call.metastore.LoadView(identifier);
  if (view.ok()) {
    return Status::AlreadyExists("view {} already exists", catalog::IdentifierToString(identifier));
  }
  return view.status().code() == StatusCode::kNotFound ? Status::OK() : view.status();
}

Status CreateView(Call& call, const Namespace& namespace_name) {
  FLOE_ASSIGN_OR_RETURN(Json body, ParseBody(call.request));
  Json name = Member(body, "name");
  if (!name.is_string()) {
    return Status::InvalidArgument("\"name\" must be a string");
  }
  TableIdentifier identifier{namespace_name, name.get<std::string>()};
  FLOE_RETURN_NOT_OK(catalog::ValidateIdentifier(identifier));
  FLOE_RETURN_NOT_OK(RequireNamespace(call, namespace_name));
  std::string location = call.tables.DefaultLocation(identifier);
  if (Json given = Member(body, "location"); !given.is_null()) {
    if (!given.is_string()) {
      return Status::InvalidArgument("\"location\" must be a string");
    }
    location = given.get<std::string>();
    while (location.ends_with('/')) {
      location.pop_back();
    }
    FLOE_RETURN_NOT_OK(CheckLocation(location, call.warehouse));
  }
  FLOE_ASSIGN_OR_RETURN(table::ViewMetadata metadata,
                        NewViewMetadata(body, std::move(location), table::NowMillis()));
  FLOE_RETURN_NOT_OK(RequireNameFree(call, identifier));
  FLOE_ASSIGN_OR_RETURN(std::string written,
                        table::WriteViewMetadataFile(*call.file_system, metadata, ""));
  Status created = call.metastore.CreateView(identifier, {.metadata_location = written});
  if (!created.ok()) {
    (void)call.file_system->Delete(written);
    return created;
  }
  SendJson(call.response, 200, LoadViewResult(written, metadata));
  return Status::OK();
}

// A replace applies the requirements and updates to the current metadata, writes the next
// metadata file and swaps the view's pointer; when another change won the swap meanwhile, it
// starts again from the new version, as table commits do.
Status ReplaceView(Call& call, const TableIdentifier& identifier) {
  constexpr int kAttempts = 4;
  FLOE_ASSIGN_OR_RETURN(Json body, ParseBody(call.request));
  if (Json named = Member(body, "identifier"); !named.is_null()) {
    FLOE_ASSIGN_OR_RETURN(TableIdentifier given, IdentifierFromJson(named, "identifier"));
    if (!(given == identifier)) {
      return Status::InvalidArgument("the identifier {} does not match the path's view {}",
                                     catalog::IdentifierToString(given),
                                     catalog::IdentifierToString(identifier));
    }
  }
  Json requirements = Member(body, "requirements");
  Json updates = Member(body, "updates");
  if (requirements.is_null()) {
    requirements = Json::array();
  }
  if (!requirements.is_array() || !updates.is_array()) {
    return Status::InvalidArgument("\"requirements\" and \"updates\" must be arrays");
  }
  for (int attempt = 1;; ++attempt) {
    FLOE_ASSIGN_OR_RETURN(LoadedView base, LoadViewMetadata(call, identifier));
    table::ViewMetadata metadata = base.metadata;
    FLOE_RETURN_NOT_OK(CheckViewRequirements(requirements, metadata));
    FLOE_RETURN_NOT_OK(ApplyViewUpdates(updates, metadata, table::NowMillis()));
    FLOE_RETURN_NOT_OK(CheckLocation(metadata.location, call.warehouse));
    FLOE_ASSIGN_OR_RETURN(
        std::string written,
        table::WriteViewMetadataFile(*call.file_system, metadata, base.metadata_location));
    Status swapped = call.metastore.CommitView(identifier, base.metadata_location, written);
    if (swapped.ok()) {
      SendJson(call.response, 200, LoadViewResult(written, metadata));
      return Status::OK();
    }
    (void)call.file_system->Delete(written);
    if (swapped.code() != StatusCode::kConflict || attempt == kAttempts) {
      return swapped;
    }
  }
}

Status RenameView(Call& call) {
  FLOE_ASSIGN_OR_RETURN(Json body, ParseBody(call.request));
  FLOE_ASSIGN_OR_RETURN(TableIdentifier source,
                        IdentifierFromJson(Member(body, "source"), "source"));
  FLOE_ASSIGN_OR_RETURN(TableIdentifier destination,
                        IdentifierFromJson(Member(body, "destination"), "destination"));
  FLOE_RETURN_NOT_OK(RequireNamespace(call, source.namespace_name));
  FLOE_RETURN_NOT_OK(RequireNamespace(call, destination.namespace_name));
  FLOE_RETURN_NOT_OK(call.metastore.LoadView(source).status());
  FLOE_RETURN_NOT_OK(RequireNameFree(call, destination));
  FLOE_RETURN_NOT_OK(call.metastore.RenameView(source, destination));
  SendNoContent(call.response);
  return Status::OK();
}

Status RouteView(Call& call, const std::vector<std::string>& path,
                 const Namespace& namespace_name) {
  const std::string& method = call.request.method;
  TableIdentifier identifier{namespace_name, path[3]};
  FLOE_RETURN_NOT_OK(catalog::ValidateIdentifier(identifier));
  // The spec tells a missing namespace from a missing view.
  FLOE_RETURN_NOT_OK(RequireNamespace(call, namespace_name));
  if (path.size() != 4) {
    return Status::NotFound("no such endpoint: {}", call.request.path);
  }
  if (method == "GET") {
    FLOE_ASSIGN_OR_RETURN(LoadedView view, LoadViewMetadata(call, identifier));
    SendJson(call.response, 200, LoadViewResult(view.metadata_location, view.metadata));
    return Status::OK();
  }
  if (method == "HEAD") {
    Result<catalog::ViewEntry> view = call.metastore.LoadView(identifier);
    if (!view.ok() && view.status().code() != StatusCode::kNotFound) {
      return view.status();
    }
    return SendExists(call, view.ok());
  }
  if (method == "POST") {
    return ReplaceView(call, identifier);
  }
  if (method == "DELETE") {
    FLOE_RETURN_NOT_OK(call.metastore.DropView(identifier));
    SendNoContent(call.response);
    return Status::OK();
  }
  return MethodNotAllowed(method);
}

Status RouteNamespace(Call& call, const std::vector<std::string>& path) {
  const std::string& method = call.request.method;
  if (path.size() == 1) {
    if (method == "GET" || method == "HEAD") {
      return ListNamespaces(call);
    }
    return method == "POST" ? CreateNamespace(call) : MethodNotAllowed(method);
  }
  FLOE_ASSIGN_OR_RETURN(Namespace namespace_name, NamespaceFromPath(path[1]));
  if (path.size() == 2) {
    if (method == "GET") {
      return LoadNamespace(call, namespace_name);
    }
    if (method == "HEAD") {
      return SendExists(call, call.metastore.NamespaceExists(namespace_name));
    }
    return method == "DELETE" ? DropNamespace(call, namespace_name) : MethodNotAllowed(method);
  }
  if (path.size() == 3 && path[2] == "properties") {
    return method == "POST" ? UpdateNamespaceProperties(call, namespace_name)
                            : MethodNotAllowed(method);
  }
  if (path.size() == 3 && path[2] == "register") {
    return method == "POST" ? RegisterTable(call, namespace_name) : MethodNotAllowed(method);
  }
  if (path.size() == 3 && path[2] == "tables") {
    if (method == "GET" || method == "HEAD") {
      return ListTables(call, namespace_name);
    }
    return method == "POST" ? CreateTable(call, namespace_name) : MethodNotAllowed(method);
  }
  if (path.size() >= 4 && path[2] == "tables") {
    return RouteTable(call, path, namespace_name);
  }
  if (path.size() == 3 && path[2] == "views") {
    if (method == "GET" || method == "HEAD") {
      return ListViews(call, namespace_name);
    }
    return method == "POST" ? CreateView(call, namespace_name) : MethodNotAllowed(method);
  }
  if (path.size() >= 4 && path[2] == "views") {
    return RouteView(call, path, namespace_name);
  }
  return Status::NotFound("no such endpoint: {}", call.request.path);
}

}  // namespace

void IcebergRestCatalog::Handle(const HttpRequest& request, HttpResponse& response,
                                const RequestContext& context) {
  Result<std::vector<std::string>> segments = PathSegments(request);
  if (!segments.ok()) {
    SendFailure(response, segments.status());
    return;
  }
  // segments[0] is "v1"; an optional prefix segment comes next.
  std::vector<std::string> path(segments->begin() + 1, segments->end());
  if (path.size() >= 2 && !IsRouteRoot(path[0])) {
    path.erase(path.begin());
  }
  if (path.size() == 2 && path[0] == "oauth" && path[1] == "tokens") {
    HandleToken(request, response);
    return;
  }
  Result<std::string> user = Authenticate(request, context);
  if (!user.ok()) {
    SendFailure(response, user.status());
    return;
  }
  Call call{request,    response, metastore_,           tables_,          file_system_,
            warehouse_, *user,    options_.sql_service, options_.database};
  Status status;
  if (path.size() == 1 && path[0] == "config") {
    if (request.method == "GET" || request.method == "HEAD") {
      SendConfig(call);
    } else {
      status = MethodNotAllowed(request.method);
    }
  } else if (!path.empty() && path[0] == "namespaces") {
    status = RouteNamespace(call, path);
  } else if (path.size() == 2 && path[0] == "tables" && path[1] == "rename") {
    status = request.method == "POST" ? RenameTable(call) : MethodNotAllowed(request.method);
  } else if (path.size() == 2 && path[0] == "views" && path[1] == "rename") {
    status = request.method == "POST" ? RenameView(call) : MethodNotAllowed(request.method);
  } else if (path.size() == 2 && path[0] == "transactions" && path[1] == "commit") {
    status = request.method == "POST" ? CommitTransaction(call) : MethodNotAllowed(request.method);
  } else {
    SendErrorModel(response, 404, "NoSuchEndpointException",
                   fmt::format("no such endpoint: {} {}", request.method, request.path));
    return;
  }
  if (!status.ok()) {
    if (request.method == "HEAD") {
      (void)response.Send(ErrorTypeOf(status).first, "application/json", "");
      return;
    }
    if (status.code() == StatusCode::kNotSupported && status.message().starts_with("method ")) {
      SendErrorModel(response, 405, "BadRequestException", status.message());
      return;
    }
    if (status.message().starts_with("no such endpoint")) {
      SendErrorModel(response, 404, "NoSuchEndpointException", status.message());
      return;
    }
    SendFailure(response, status);
  }
}

}  // namespace floe::server::http
