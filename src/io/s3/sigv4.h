#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace floe::io {

/// The long-term or temporary credentials that sign S3 requests.
struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  /// Set for temporary credentials; sent as x-amz-security-token.
  std::string session_token;
};

/// One HTTP request as AWS Signature Version 4 sees it.
struct SigningRequest {
  std::string method;  // "GET", "PUT"...
  /// The path as it goes on the wire, already URI-encoded ("/bucket/my%20key"); S3 signs it
  /// as is, without the second encoding other services apply.
  std::string canonical_uri;
  /// Query parameters, decoded; the signer encodes and sorts them.
  std::vector<std::pair<std::string, std::string>> query;
  /// Headers to sign, names in any case; must include "host". The signer lowercases names,
  /// trims values and collapses inner runs of spaces.
  std::vector<std::pair<std::string, std::string>> headers;
  /// The hex SHA-256 of the body, or "UNSIGNED-PAYLOAD".
  std::string payload_hash;
};

/// Returns the lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);
/// Returns the raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string HmacSha256(std::string_view key, std::string_view message);
/// Returns the base64 MD5 of `bytes`, as the Content-MD5 header wants it.
std::string Md5Base64(std::string_view bytes);
/// Percent-encodes every byte except A-Z a-z 0-9 - . _ ~ (and '/' when `keep_slash`), with
/// upper-case hex, as SigV4 requires for URIs and query strings.
std::string UriEncode(std::string_view text, bool keep_slash);
/// Returns "YYYYMMDDTHHMMSSZ" for `time` in UTC.
std::string AmzTimestamp(std::chrono::system_clock::time_point time);

/// Signs requests for one region and service with AWS Signature Version 4, header form.
///
/// Follows "Authenticating Requests: Using the Authorization Header (AWS Signature Version 4)"
/// of the Amazon S3 API reference. Stateless and thread-safe.
class SigV4Signer {
 public:
  SigV4Signer(AwsCredentials credentials, std::string region, std::string service = "s3");

  /// Returns the canonical request: method, URI, query, headers, signed header names, hash.
  static std::string CanonicalRequest(const SigningRequest& request);
  /// Returns the semicolon-separated, sorted, lower-case names of the signed headers.
  static std::string SignedHeaders(const SigningRequest& request);
  /// Returns the string to sign for `canonical_request` made at `timestamp` (AmzTimestamp).
  std::string StringToSign(std::string_view timestamp, std::string_view canonical_request) const;
  /// Returns the hex signature of `string_to_sign` for the day of `timestamp`.
  std::string Signature(std::string_view timestamp, std::string_view string_to_sign) const;
  /// Returns the value of the Authorization header for `request` made at `timestamp`. The
  /// request must already carry the x-amz-date (and x-amz-content-sha256, x-amz-security-token)
  /// headers it will be sent with.
  std::string Authorization(const SigningRequest& request, std::string_view timestamp) const;

  /// Adds x-amz-date, x-amz-content-sha256, x-amz-security-token (temporary credentials) and
  /// Authorization to `request.headers`, for sending at `time`.
  void Sign(SigningRequest& request, std::chrono::system_clock::time_point time) const;

  const AwsCredentials& credentials() const { return credentials_; }

 private:
  std::string Scope(std::string_view timestamp) const;

  const AwsCredentials credentials_;
  const std::string region_;
  const std::string service_;
};

}  // namespace floe::io
