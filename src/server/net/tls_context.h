#pragma once

#include <memory>
#include <string>

#include "common/result.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace floe::server::net {

/// A server's TLS configuration: its certificate chain and private key, TLS 1.2 or later.
/// Immutable after Load(); shared by every connection. Thread-safe.
class TlsContext {
 public:
  /// Loads PEM files. Returns InvalidArgument naming the file when either cannot be loaded or
  /// the key does not match the certificate.
  static Result<std::shared_ptr<TlsContext>> Load(const std::string& certificate_file,
                                                  const std::string& key_file);
  explicit TlsContext(SSL_CTX* context) : context_(context) {}
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  ~TlsContext();

  SSL_CTX* native() const { return context_; }

  /// The hash of the server's certificate that SCRAM channel binding of type
  /// tls-server-end-point binds to (RFC 5929 section 4.1); empty when the certificate's
  /// signature names no hash function (Ed25519, say), where no binding can be offered.
  const std::string& certificate_hash() const { return certificate_hash_; }

 private:
  SSL_CTX* context_;
  std::string certificate_hash_;
};

}  // namespace floe::server::net
