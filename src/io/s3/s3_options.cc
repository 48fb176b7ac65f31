#include "io/s3/s3_options.h"

#include <cstdlib>
#include <string_view>

extern char** environ;  // NOLINT(readability-identifier-naming): POSIX.

namespace floe::io {
namespace {

constexpr int64_t kMinimumPartSize = int64_t{5} << 20;
// S3 allows parts of up to 5 GiB; a larger buffer would never be uploaded.
constexpr int64_t kMaximumPartSize = int64_t{5} << 30;

const std::string* Find(const std::vector<std::pair<std::string, std::string>>& variables,
                        std::string_view name) {
  for (const auto& [key, value] : variables) {
    if (key == name && !value.empty()) {
      return &value;
    }
  }
  return nullptr;
}

void SetFrom(const std::vector<std::pair<std::string, std::string>>& variables,
             std::initializer_list<std::string_view> names, std::string& target) {
  for (std::string_view name : names) {
    if (const std::string* value = Find(variables, name)) {
      target = *value;
      return;
    }
  }
}

}  // namespace

S3Options S3Options::FromVariables(
    const std::vector<std::pair<std::string, std::string>>& variables) {
  S3Options options;
  SetFrom(variables, {"AWS_ACCESS_KEY_ID"}, options.access_key_id);
  SetFrom(variables, {"AWS_SECRET_ACCESS_KEY"}, options.secret_access_key);
  SetFrom(variables, {"AWS_SESSION_TOKEN"}, options.session_token);
  SetFrom(variables, {"AWS_REGION", "AWS_DEFAULT_REGION"}, options.region);
  SetFrom(variables, {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}, options.endpoint);
  return options;
}

S3Options S3Options::FromEnvironment() {
  std::vector<std::pair<std::string, std::string>> variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t equals = text.find('=');
    if (equals != std::string_view::npos && text.starts_with("AWS_")) {
      variables.emplace_back(text.substr(0, equals), text.substr(equals + 1));
    }
  }
  return FromVariables(variables);
}

std::string S3Options::ResolvedEndpoint() const {
  if (!endpoint.empty()) {
    std::string_view trimmed = endpoint;
    while (trimmed.ends_with('/')) {
      trimmed.remove_suffix(1);
    }
    return std::string(trimmed);
  }
  return "https://s3." + region + ".amazonaws.com";
}

bool S3Options::IsPathStyle() const {
  switch (addressing) {
    case S3Addressing::kPathStyle:
      return true;
    case S3Addressing::kVirtualHosted:
      return false;
    case S3Addressing::kAuto:
      break;
  }
  return !endpoint.empty();
}

Status S3Options::Validate() const {
  std::string resolved = ResolvedEndpoint();
  if (!resolved.starts_with("http://") && !resolved.starts_with("https://")) {
    return Status::InvalidArgument("S3 endpoint must start with http:// or https://: {}", resolved);
  }
  if (region.empty()) {
    return Status::InvalidArgument("S3 region is empty");
  }
  if (access_key_id.empty() != secret_access_key.empty()) {
    return Status::InvalidArgument("S3 access key id and secret access key must be set together");
  }
  if (part_size < kMinimumPartSize || part_size > kMaximumPartSize) {
    return Status::InvalidArgument("S3 part size must be between 5 MiB and 5 GiB: {}", part_size);
  }
  if (max_keys_per_list_page < 1 || max_keys_per_list_page > 1000) {
    return Status::InvalidArgument("S3 keys per list page must be between 1 and 1000: {}",
                                   max_keys_per_list_page);
  }
  if (max_retries < 0 || connect_timeout.count() <= 0 || request_timeout.count() <= 0) {
    return Status::InvalidArgument("S3 retries and timeouts must not be negative");
  }
  return Status::OK();
}

}  // namespace floe::io
