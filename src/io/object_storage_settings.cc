#include "io/object_storage_settings.h"

#include <memory>

#include "io/cache/caching_file_system.h"
#include "io/s3/s3_file_system.h"
#include "io/s3/s3_options.h"

namespace floe::io {
namespace {

void OverrideIfSet(std::string& target, const std::string& value) {
  if (!value.empty()) {
    target = value;
  }
}

S3Options OptionsFrom(const Settings& settings) {
  S3Options options = S3Options::FromEnvironment();
  OverrideIfSet(options.endpoint, settings.s3_endpoint);
  OverrideIfSet(options.region, settings.s3_region);
  OverrideIfSet(options.access_key_id, settings.s3_access_key_id);
  OverrideIfSet(options.secret_access_key, settings.s3_secret_access_key);
  OverrideIfSet(options.session_token, settings.s3_session_token);
  if (settings.s3_addressing == "path") {
    options.addressing = S3Addressing::kPathStyle;
  } else if (settings.s3_addressing == "virtual") {
    options.addressing = S3Addressing::kVirtualHosted;
  }
  return options;
}

}  // namespace

Status ConfigureObjectStorage(FileSystemRegistry& registry, const Settings& settings) {
  S3Options options = OptionsFrom(settings);
  FLOE_RETURN_NOT_OK(options.Validate());
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<FileSystem> s3, S3FileSystem::Make(std::move(options)));
  if (!settings.cache_directory.empty()) {
    CacheOptions cache;
    cache.directory = settings.cache_directory;
    cache.capacity_bytes = settings.cache_size;
    cache.is_persistent = settings.cache_persist == "on";
    FLOE_ASSIGN_OR_RETURN(s3, CachingFileSystem::Make(std::move(s3), cache));
  }
  RegisterS3FileSystem(registry, std::move(s3));
  return Status::OK();
}

}  // namespace floe::io
