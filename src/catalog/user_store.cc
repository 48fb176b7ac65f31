#include "catalog/user_store.h"

#include <chrono>
#include <ctime>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <sodium.h>

#include "catalog/metastore.h"
#include "common/check.h"

namespace floe::catalog {
namespace {

constexpr std::string_view kScramPrefix = "SCRAM-SHA-256$";
constexpr int kMaxIterations = 10'000'000;

// The catalog's first migrations created `users` with an argon2id hash; SCRAM logins need a
// verifier beside it, and accounts that exist but may not log in need a flag.
Migration UsersMigration() {
  constexpr std::string_view kSql = R"sql(
ALTER TABLE users ADD COLUMN scram_verifier TEXT;
ALTER TABLE users ADD COLUMN can_login INTEGER NOT NULL DEFAULT 1 CHECK (can_login IN (0, 1));
ALTER TABLE users ADD COLUMN updated_at TEXT;
)sql";
  return {.version = 1, .description = "SCRAM verifiers and login flags", .sql = std::string(kSql)};
}

std::string Base64(const uint8_t* bytes, size_t size) {
  std::string text(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  text.resize(text.size() - 1);  // The terminating NUL.
  return text;
}

std::optional<std::string> FromBase64(std::string_view text) {
  std::string bytes(text.size(), '\0');
  size_t size = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &size, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  bytes.resize(size);
  return bytes;
}

std::array<uint8_t, 32> Hmac(const uint8_t* key, size_t key_size, std::string_view message) {
  std::array<uint8_t, 32> out{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key, static_cast<int>(key_size),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &size);
  return out;
}

std::string NowIso8601() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

Status CheckName(std::string_view name) {
  if (name.empty() || name.size() > 63) {
    return Status::InvalidArgument("a user name must have 1 to 63 characters: '{}'", name);
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("a user name must not hold control characters");
    }
  }
  return Status::OK();
}

Status CheckPasswordText(std::string_view password) {
  if (password.empty()) {
    return Status::InvalidArgument("a password must not be empty");
  }
  if (password.size() > 1024) {
    return Status::InvalidArgument("a password must have at most 1024 bytes");
  }
  return Status::OK();
}

Result<std::string> HashPassword(std::string_view password) {
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::ResourceExhausted("out of memory hashing a password");
  }
  return std::string(hash);
}

Status InitSodium() {
  if (sodium_init() < 0) {
    return Status::Internal("libsodium failed to initialise");
  }
  return Status::OK();
}

UserRecord RecordOf(const SqlRow& row) {
  UserRecord record;
  record.name = row[0].value_or("");
  record.created_at = row[1].value_or("");
  record.is_superuser = row[2].value_or("0") == "1";
  record.can_login = row[3].value_or("1") == "1";
  record.scram_verifier = row[4].value_or("");
  return record;
}

constexpr std::string_view kSelectUser =
    "SELECT name, created_at, is_superuser, can_login, scram_verifier FROM users";

Status NotFoundUser(std::string_view name) {
  return Status::NotFound("user {} does not exist", name);
}

}  // namespace

std::string ScramVerifier::Encode() const {
  return fmt::format("{}{}:{}${}:{}", kScramPrefix, iterations,
                     Base64(reinterpret_cast<const uint8_t*>(salt.data()), salt.size()),
                     Base64(stored_key.data(), stored_key.size()),
                     Base64(server_key.data(), server_key.size()));
}

Result<ScramVerifier> ScramVerifier::Parse(std::string_view text) {
  auto malformed = [] { return Status::InvalidArgument("malformed SCRAM-SHA-256 verifier"); };
  if (!text.starts_with(kScramPrefix)) {
    return malformed();
  }
  text.remove_prefix(kScramPrefix.size());
  size_t colon = text.find(':');
  size_t dollar = text.find('$');
  if (colon == std::string_view::npos || dollar == std::string_view::npos || dollar < colon) {
    return malformed();
  }
  size_t second_colon = text.find(':', dollar);
  if (second_colon == std::string_view::npos) {
    return malformed();
  }
  ScramVerifier verifier;
  std::string_view iterations = text.substr(0, colon);
  verifier.iterations = 0;
  for (char c : iterations) {
    if (c < '0' || c > '9' || verifier.iterations > kMaxIterations) {
      return malformed();
    }
    verifier.iterations = verifier.iterations * 10 + (c - '0');
  }
  std::optional<std::string> salt = FromBase64(text.substr(colon + 1, dollar - colon - 1));
  std::optional<std::string> stored =
      FromBase64(text.substr(dollar + 1, second_colon - dollar - 1));
  std::optional<std::string> server = FromBase64(text.substr(second_colon + 1));
  if (verifier.iterations < 1 || !salt || !stored || !server || stored->size() != 32 ||
      server->size() != 32 || salt->empty()) {
    return malformed();
  }
  verifier.salt = std::move(*salt);
  std::copy(stored->begin(), stored->end(), verifier.stored_key.begin());
  std::copy(server->begin(), server->end(), verifier.server_key.begin());
  return verifier;
}

ScramVerifier ScramVerifier::Compute(std::string_view password, std::string_view salt,
                                     int iterations) {
  std::array<uint8_t, 32> salted{};
  FLOE_CHECK(PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                               reinterpret_cast<const unsigned char*>(salt.data()),
                               static_cast<int>(salt.size()), iterations, EVP_sha256(),
                               static_cast<int>(salted.size()), salted.data()) == 1);
  std::array<uint8_t, 32> client_key = Hmac(salted.data(), salted.size(), "Client Key");
  ScramVerifier verifier;
  verifier.salt = std::string(salt);
  verifier.iterations = iterations;
  SHA256(client_key.data(), client_key.size(), verifier.stored_key.data());
  verifier.server_key = Hmac(salted.data(), salted.size(), "Server Key");
  return verifier;
}

ScramVerifier ScramVerifier::Generate(std::string_view password, int iterations) {
  FLOE_CHECK(sodium_init() >= 0);
  std::string salt(16, '\0');
  randombytes_buf(salt.data(), salt.size());
  return Compute(password, salt, iterations);
}

MigrationRegistry UserStore::Migrations() {
  MigrationRegistry registry = DefaultMigrations();
  Status status = registry.Add({.component = "users", .migrations = {UsersMigration()}});
  FLOE_CHECK(status.ok());
  return registry;
}

Result<std::unique_ptr<UserStore>> UserStore::Open(std::string_view metastore_uri) {
  FLOE_RETURN_NOT_OK(InitSodium());
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<ConnectionPool> pool,
                        OpenMigratedPool(metastore_uri, {.migrations = Migrations()}));
  return std::make_unique<UserStore>(std::move(pool));
}

Status UserStore::CreateUser(std::string_view name, std::string_view password,
                             UserOptions options) {
  FLOE_RETURN_NOT_OK(CheckName(name));
  FLOE_RETURN_NOT_OK(CheckPasswordText(password));
  FLOE_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  std::string verifier = ScramVerifier::Generate(password).Encode();
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  std::string now = NowIso8601();
  SqlValue parameters[] = {std::string(name),
                           hash,
                           now,
                           options.is_superuser ? "1" : "0",
                           verifier,
                           options.can_login ? "1" : "0"};
  Result<int64_t> inserted = connection->Execute(
      "INSERT INTO users (name, password_hash, created_at, is_superuser, scram_verifier, "
      "can_login, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $3)",
      parameters);
  if (!inserted.ok() && inserted.status().code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("user {} already exists", name);
  }
  return inserted.status();
}

Status UserStore::SetPassword(std::string_view name, std::string_view password) {
  FLOE_RETURN_NOT_OK(CheckPasswordText(password));
  FLOE_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  std::string verifier = ScramVerifier::Generate(password).Encode();
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  SqlValue parameters[] = {std::string(name), hash, verifier, NowIso8601()};
  FLOE_ASSIGN_OR_RETURN(
      int64_t updated,
      connection->Execute("UPDATE users SET password_hash = $2, scram_verifier = $3, "
                          "updated_at = $4 WHERE name = $1",
                          parameters));
  return updated == 0 ? NotFoundUser(name) : Status::OK();
}

Status UserStore::SetSuperuser(std::string_view name, bool is_superuser) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  SqlValue parameters[] = {std::string(name), is_superuser ? "1" : "0", NowIso8601()};
  FLOE_ASSIGN_OR_RETURN(
      int64_t updated,
      connection->Execute("UPDATE users SET is_superuser = $2, updated_at = $3 WHERE name = $1",
                          parameters));
  return updated == 0 ? NotFoundUser(name) : Status::OK();
}

Status UserStore::SetCanLogin(std::string_view name, bool can_login) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  SqlValue parameters[] = {std::string(name), can_login ? "1" : "0", NowIso8601()};
  FLOE_ASSIGN_OR_RETURN(
      int64_t updated,
      connection->Execute("UPDATE users SET can_login = $2, updated_at = $3 WHERE name = $1",
                          parameters));
  return updated == 0 ? NotFoundUser(name) : Status::OK();
}

Status UserStore::DropUser(std::string_view name) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  SqlValue parameters[] = {std::string(name)};
  FLOE_ASSIGN_OR_RETURN(int64_t deleted,
                        connection->Execute("DELETE FROM users WHERE name = $1", parameters));
  return deleted == 0 ? NotFoundUser(name) : Status::OK();
}

Result<std::optional<UserRecord>> UserStore::FindUser(std::string_view name) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  SqlValue parameters[] = {std::string(name)};
  FLOE_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      connection->Query(fmt::format("{} WHERE name = $1", kSelectUser), parameters));
  if (rows.empty()) {
    return std::optional<UserRecord>();
  }
  return std::optional<UserRecord>(RecordOf(rows[0]));
}

Result<std::vector<UserRecord>> UserStore::ListUsers() {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  FLOE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        connection->Query(fmt::format("{} ORDER BY name", kSelectUser), {}));
  std::vector<UserRecord> users;
  users.reserve(rows.size());
  for (const SqlRow& row : rows) {
    users.push_back(RecordOf(row));
  }
  return users;
}

Result<int64_t> UserStore::CountUsers() {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  FLOE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        connection->Query("SELECT COUNT(*) FROM users", {}));
  if (rows.empty() || rows[0].empty() || !rows[0][0].has_value()) {
    return Status::Internal("COUNT(*) on users returned no value");
  }
  return static_cast<int64_t>(std::stoll(*rows[0][0]));
}

Result<UserRecord> UserStore::CheckPassword(std::string_view name, std::string_view password) {
  auto rejected = [name] {
    return Status::Unauthenticated("password authentication failed for user \"{}\"", name);
  };
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  SqlValue parameters[] = {std::string(name)};
  FLOE_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      connection->Query(
          fmt::format("SELECT name, created_at, is_superuser, can_login, scram_verifier, "
                      "password_hash FROM users WHERE name = $1"),
          parameters));
  if (rows.empty() || !rows[0][5].has_value()) {
    return rejected();
  }
  UserRecord record = RecordOf(rows[0]);
  const std::string& hash = *rows[0][5];
  if (password.empty() ||
      crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) != 0 ||
      !record.can_login) {
    return rejected();
  }
  return record;
}

Result<bool> UserStore::BootstrapAdmin(std::string_view name, std::string_view password) {
  FLOE_ASSIGN_OR_RETURN(std::optional<UserRecord> existing, FindUser(name));
  if (existing.has_value()) {
    return false;
  }
  Status created = CreateUser(name, password, {.is_superuser = true, .can_login = true});
  if (created.code() == StatusCode::kAlreadyExists) {
    return false;  // Another process bootstrapped it at the same time.
  }
  FLOE_RETURN_NOT_OK(created);
  return true;
}

}  // namespace floe::catalog
