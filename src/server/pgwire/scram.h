#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "catalog/user_store.h"
#include "common/result.h"

namespace floe::server::pgwire {

/// Channel binding for one SCRAM exchange (RFC 5802 section 6, RFC 5929 tls-server-end-point).
struct ScramChannelBinding {
  /// The hash of the server's TLS certificate (net::TlsContext::certificate_hash()) when the
  /// server offered SCRAM-SHA-256-PLUS; empty when it offered only SCRAM-SHA-256 (no TLS).
  std::string certificate_hash;
  /// True when the client selected SCRAM-SHA-256-PLUS.
  bool is_selected = false;
};

/// The server side of one SCRAM-SHA-256 or SCRAM-SHA-256-PLUS exchange (RFC 5802, RFC 7677),
/// as PostgreSQL runs it inside AuthenticationSASL messages:
///
///   client-first  -> ClientFirst()  -> server-first (AuthenticationSASLContinue)
///   client-final  -> ClientFinal()  -> server-final (AuthenticationSASLFinal)
///
/// Given no verifier (unknown user), the exchange runs to its end with a made-up salt and
/// fails there, so that a client cannot tell unknown users from wrong passwords.
///
/// The gs2 header's channel-binding flag is checked against what the server offered: "p"
/// needs SCRAM-SHA-256-PLUS, and its client-final `c=` must carry the certificate hash; "y"
/// (the client could bind but believes the server cannot) fails when the server offered
/// binding, since a man in the middle may have removed the -PLUS mechanism.
class ScramExchange {
 public:
  /// `server_nonce` is random in production (empty: generate one); fixed in tests.
  ScramExchange(std::optional<catalog::ScramVerifier> verifier, std::string_view user,
                std::string server_nonce = {}, ScramChannelBinding channel_binding = {});

  /// Returns the server-first message. Fails with 08P01 when `message` is malformed or its
  /// channel-binding flag contradicts the selected mechanism, with 28000 for a "y" flag when
  /// binding was offered, and with 0A000 for an authorization identity.
  Result<std::string> ClientFirst(std::string_view message);
  /// Returns the server-final message when the proof is right; 28P01 for a wrong proof, 28000
  /// when the channel binding data is not the server's certificate hash.
  Result<std::string> ClientFinal(std::string_view message);

 private:
  // Checks the gs2 header's cbind-flag ("n", "y" or "p=<type>") against the mechanism.
  Status CheckChannelBindingFlag(std::string_view flag) const;

  catalog::ScramVerifier verifier_;
  bool is_real_;
  std::string user_;
  std::string server_nonce_;
  ScramChannelBinding channel_binding_;
  std::string gs2_header_;  // "n,,", "y,," or "p=tls-server-end-point,,".
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;
};

/// Returns the status of a failed password check: 28P01 invalid_password.
Status PasswordFailed(std::string_view user);

}  // namespace floe::server::pgwire
