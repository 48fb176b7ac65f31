#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "catalog/user_store.h"
#include "common/result.h"

namespace floe::server::pgwire {

/// The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677), without channel
/// binding, as PostgreSQL runs it inside AuthenticationSASL messages:
///
///   client-first  -> ClientFirst()  -> server-first (AuthenticationSASLContinue)
///   client-final  -> ClientFinal()  -> server-final (AuthenticationSASLFinal)
///
/// Given no verifier (unknown user), the exchange runs to its end with a made-up salt and
/// fails there, so that a client cannot tell unknown users from wrong passwords.
class ScramExchange {
 public:
  /// `server_nonce` is random in production (empty: generate one); fixed in tests.
  ScramExchange(std::optional<catalog::ScramVerifier> verifier, std::string_view user,
                std::string server_nonce = {});

  /// Returns the server-first message, or InvalidArgument (08P01) when `message` is malformed.
  Result<std::string> ClientFirst(std::string_view message);
  /// Returns the server-final message when the proof is right; Unauthenticated (28P01)
  /// otherwise.
  Result<std::string> ClientFinal(std::string_view message);

 private:
  catalog::ScramVerifier verifier_;
  bool is_real_;
  std::string user_;
  std::string server_nonce_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;
};

/// Returns the status of a failed password check: 28P01 invalid_password.
Status PasswordFailed(std::string_view user);

}  // namespace floe::server::pgwire
