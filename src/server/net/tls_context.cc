#include "server/net/tls_context.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace floe::server::net {
namespace {

std::string LastOpenSslError() {
  unsigned long code = ERR_get_error();
  if (code == 0) {
    return "unknown error";
  }
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  ERR_clear_error();
  return text;
}

// RFC 5929 section 4.1: the certificate's hash with the hash function of its signature,
// except that MD5 and SHA-1 are replaced by SHA-256. libpq computes the same on its side.
std::string CertificateHash(X509* certificate) {
  int digest_nid = NID_undef;
  if (certificate == nullptr ||
      OBJ_find_sigid_algs(X509_get_signature_nid(certificate), &digest_nid, nullptr) != 1) {
    return {};
  }
  const EVP_MD* digest = digest_nid == NID_md5 || digest_nid == NID_sha1
                             ? EVP_sha256()
                             : EVP_get_digestbynid(digest_nid);
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (digest == nullptr || X509_digest(certificate, digest, hash, &size) != 1) {
    ERR_clear_error();
    return {};
  }
  return std::string(reinterpret_cast<const char*>(hash), size);
}

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::Load(const std::string& certificate_file,
                                                     const std::string& key_file) {
  if (certificate_file.empty() || key_file.empty()) {
    return Status::InvalidArgument("TLS needs both tls_cert and tls_key");
  }
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) {
    return Status::Internal("cannot create a TLS context: {}", LastOpenSslError());
  }
  auto owned = std::make_shared<TlsContext>(context);
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  if (SSL_CTX_use_certificate_chain_file(context, certificate_file.c_str()) != 1) {
    return Status::InvalidArgument("cannot load TLS certificate {}: {}", certificate_file,
                                   LastOpenSslError());
  }
  if (SSL_CTX_use_PrivateKey_file(context, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Status::InvalidArgument("cannot load TLS key {}: {}", key_file, LastOpenSslError());
  }
  if (SSL_CTX_check_private_key(context) != 1) {
    return Status::InvalidArgument("TLS key {} does not match certificate {}", key_file,
                                   certificate_file);
  }
  owned->certificate_hash_ = CertificateHash(SSL_CTX_get0_certificate(context));
  return owned;
}

TlsContext::~TlsContext() {
  SSL_CTX_free(context_);
}

}  // namespace floe::server::net
