#include "io/s3/sigv4.h"

#include <algorithm>
#include <ctime>

#include <fmt/core.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace floe::io {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string Digest(const EVP_MD* type, std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, type, nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (char character : bytes) {
    auto byte = static_cast<unsigned char>(character);
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xf]);
  }
  return hex;
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& character : lower) {
    if (character >= 'A' && character <= 'Z') {
      character = static_cast<char>(character - 'A' + 'a');
    }
  }
  return lower;
}

// The canonical header value: leading and trailing spaces removed, inner runs collapsed to one.
std::string TrimAndCollapse(std::string_view value) {
  std::string result;
  bool in_space = false;
  for (char character : value) {
    if (character == ' ' || character == '\t') {
      in_space = !result.empty();
      continue;
    }
    if (in_space) {
      result.push_back(' ');
      in_space = false;
    }
    result.push_back(character);
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> CanonicalHeaderList(
    const SigningRequest& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) {
    headers.emplace_back(ToLower(name), TrimAndCollapse(value));
  }
  std::sort(headers.begin(), headers.end());
  return headers;
}

std::string CanonicalQuery(const SigningRequest& request) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(request.query.size());
  for (const auto& [name, value] : request.query) {
    encoded.emplace_back(UriEncode(name, false), UriEncode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string query;
  for (const auto& [name, value] : encoded) {
    if (!query.empty()) {
      query.push_back('&');
    }
    query.append(name).append("=").append(value);
  }
  return query;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  return Hex(Digest(EVP_sha256(), bytes));
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

std::string Md5Base64(std::string_view bytes) {
  std::string digest = Digest(EVP_md5(), bytes);
  std::string encoded(4 * ((digest.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                               reinterpret_cast<const unsigned char*>(digest.data()),
                               static_cast<int>(digest.size()));
  encoded.resize(static_cast<size_t>(length));
  return encoded;
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (char character : text) {
    auto byte = static_cast<unsigned char>(character);
    bool is_unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                         (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                         byte == '_' || byte == '~' || (keep_slash && byte == '/');
    if (is_unreserved) {
      encoded.push_back(character);
    } else {
      encoded.push_back('%');
      encoded.push_back(kDigits[byte >> 4]);
      encoded.push_back(kDigits[byte & 0xf]);
    }
  }
  return encoded;
}

std::string AmzTimestamp(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  size_t length = std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
  return std::string(text, length);
}

SigV4Signer::SigV4Signer(AwsCredentials credentials, std::string region, std::string service)
    : credentials_(std::move(credentials)),
      region_(std::move(region)),
      service_(std::move(service)) {}

std::string SigV4Signer::SignedHeaders(const SigningRequest& request) {
  std::string names;
  for (const auto& [name, value] : CanonicalHeaderList(request)) {
    if (!names.empty()) {
      names.push_back(';');
    }
    names.append(name);
  }
  return names;
}

std::string SigV4Signer::CanonicalRequest(const SigningRequest& request) {
  std::string canonical =
      request.method + "\n" + request.canonical_uri + "\n" + CanonicalQuery(request) + "\n";
  for (const auto& [name, value] : CanonicalHeaderList(request)) {
    canonical.append(name).append(":").append(value).append("\n");
  }
  canonical.append("\n").append(SignedHeaders(request)).append("\n");
  canonical.append(request.payload_hash);
  return canonical;
}

std::string SigV4Signer::Scope(std::string_view timestamp) const {
  return fmt::format("{}/{}/{}/aws4_request", timestamp.substr(0, 8), region_, service_);
}

std::string SigV4Signer::StringToSign(std::string_view timestamp,
                                      std::string_view canonical_request) const {
  return fmt::format("{}\n{}\n{}\n{}", kAlgorithm, timestamp, Scope(timestamp),
                     Sha256Hex(canonical_request));
}

std::string SigV4Signer::Signature(std::string_view timestamp,
                                   std::string_view string_to_sign) const {
  std::string key = HmacSha256("AWS4" + credentials_.secret_access_key, timestamp.substr(0, 8));
  key = HmacSha256(key, region_);
  key = HmacSha256(key, service_);
  key = HmacSha256(key, "aws4_request");
  return Hex(HmacSha256(key, string_to_sign));
}

std::string SigV4Signer::Authorization(const SigningRequest& request,
                                       std::string_view timestamp) const {
  std::string string_to_sign = StringToSign(timestamp, CanonicalRequest(request));
  return fmt::format("{} Credential={}/{},SignedHeaders={},Signature={}", kAlgorithm,
                     credentials_.access_key_id, Scope(timestamp), SignedHeaders(request),
                     Signature(timestamp, string_to_sign));
}

void SigV4Signer::Sign(SigningRequest& request, std::chrono::system_clock::time_point time) const {
  std::string timestamp = AmzTimestamp(time);
  request.headers.emplace_back("x-amz-date", timestamp);
  request.headers.emplace_back("x-amz-content-sha256", request.payload_hash);
  if (!credentials_.session_token.empty()) {
    request.headers.emplace_back("x-amz-security-token", credentials_.session_token);
  }
  std::string authorization = Authorization(request, timestamp);
  request.headers.emplace_back("Authorization", std::move(authorization));
}

}  // namespace floe::io
