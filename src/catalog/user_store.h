#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/connection_pool.h"
#include "catalog/migration.h"
#include "common/result.h"

namespace floe::catalog {

/// A SCRAM-SHA-256 verifier (RFC 5802, RFC 7677): what a server keeps to check a SCRAM login
/// without knowing the password. StoredKey = H(HMAC(SaltedPassword, "Client Key")),
/// ServerKey = HMAC(SaltedPassword, "Server Key"), SaltedPassword = PBKDF2-SHA-256(password,
/// salt, iterations).
struct ScramVerifier {
  static constexpr int kDefaultIterations = 4096;

  std::string salt{};  // Raw bytes.
  int iterations = kDefaultIterations;
  std::array<uint8_t, 32> stored_key{};
  std::array<uint8_t, 32> server_key{};

  /// Returns PostgreSQL's text form: "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>",
  /// each binary part in base64.
  std::string Encode() const;
  /// Parses Encode()'s text; InvalidArgument when malformed.
  static Result<ScramVerifier> Parse(std::string_view text);
  /// Computes the verifier of `password` with `salt`. The password's bytes are used as they
  /// are (SASLprep leaves ASCII passwords unchanged).
  static ScramVerifier Compute(std::string_view password, std::string_view salt, int iterations);
  /// Computes a verifier with a fresh random 16-byte salt.
  static ScramVerifier Generate(std::string_view password, int iterations = kDefaultIterations);
};

/// One user of the platform as stored in the metastore. Never holds a password.
struct UserRecord {
  std::string name{};
  std::string created_at{};  // UTC, ISO 8601.
  bool is_superuser = false;
  bool can_login = true;
  /// Empty for a user created before SCRAM verifiers were stored: such a user can log in over
  /// HTTP (argon2id) but not with SCRAM until its password is set again.
  std::string scram_verifier{};
};

struct UserOptions {
  bool is_superuser = false;
  bool can_login = true;
};

/// Users with passwords, kept in the metastore's `users` table: an argon2id hash (libsodium's
/// crypto_pwhash_str, interactive limits) to check passwords sent in clear over TLS or HTTP
/// Basic, and a SCRAM-SHA-256 verifier for PostgreSQL logins. Thread-safe.
///
/// Errors: InvalidArgument for an empty name or password, AlreadyExists, NotFound naming the
/// user, Unauthenticated for a wrong password or an unknown user (the same message for both),
/// Unavailable when the metastore cannot be reached.
class UserStore {
 public:
  /// Opens the metastore at `metastore_uri` (see OpenMetastore) and brings its schema to the
  /// catalog's and this store's latest migrations.
  static Result<std::unique_ptr<UserStore>> Open(std::string_view metastore_uri);
  /// Uses `pool`, whose database already holds every migration of Migrations().
  explicit UserStore(std::unique_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}
  UserStore(const UserStore&) = delete;
  UserStore& operator=(const UserStore&) = delete;
  ~UserStore() = default;

  /// Returns the catalog's migrations followed by this store's component, "users".
  static MigrationRegistry Migrations();

  Status CreateUser(std::string_view name, std::string_view password, UserOptions options = {});
  /// Replaces the user's password hash and SCRAM verifier.
  Status SetPassword(std::string_view name, std::string_view password);
  Status SetSuperuser(std::string_view name, bool is_superuser);
  Status SetCanLogin(std::string_view name, bool can_login);
  Status DropUser(std::string_view name);

  /// Returns the user, or nullopt when there is none of that name.
  Result<std::optional<UserRecord>> FindUser(std::string_view name);
  Result<std::vector<UserRecord>> ListUsers();
  Result<int64_t> CountUsers();

  /// Returns the user when `password` is theirs and they may log in; Unauthenticated otherwise.
  Result<UserRecord> CheckPassword(std::string_view name, std::string_view password);

  /// Creates `name` as a superuser with `password` when no user of that name exists; leaves an
  /// existing user alone. Returns true when it created the user.
  Result<bool> BootstrapAdmin(std::string_view name, std::string_view password);

 private:
  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace floe::catalog
