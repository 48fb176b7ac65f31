#include "io/object_storage_settings.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "io/cache/caching_file_system.h"
#include "io/s3/s3_file_system.h"

namespace floe::io {
namespace {

TEST(ObjectStorageSettingsTest, RegistersS3ForEveryScheme) {
  FileSystemRegistry registry;
  ASSERT_EQ(registry.Resolve("s3://bucket/key").status().code(), StatusCode::kNotSupported);
  Settings settings;
  settings.s3_endpoint = "http://127.0.0.1:9";
  settings.s3_region = "eu-west-1";
  ASSERT_TRUE(ConfigureObjectStorage(registry, settings).ok());
  for (const char* location : {"s3://bucket/key", "s3a://bucket/key", "s3n://bucket/key"}) {
    Result<std::shared_ptr<FileSystem>> resolved = registry.Resolve(location);
    ASSERT_TRUE(resolved.ok()) << location << ": " << resolved.status().ToString();
    EXPECT_NE(dynamic_cast<S3FileSystem*>(resolved->get()), nullptr) << location;
  }
}

TEST(ObjectStorageSettingsTest, CacheDirectoryPutsTheReadCacheInFront) {
  std::filesystem::path directory =
      std::filesystem::temp_directory_path() / ("floe_cache_settings_" + std::to_string(::getpid()));
  FileSystemRegistry registry;
  Settings settings;
  settings.s3_endpoint = "http://127.0.0.1:9";
  settings.cache_directory = directory.string();
  settings.cache_size = 64 << 20;
  ASSERT_TRUE(ConfigureObjectStorage(registry, settings).ok());
  Result<std::shared_ptr<FileSystem>> resolved = registry.Resolve("s3://bucket/key");
  ASSERT_TRUE(resolved.ok());
  EXPECT_NE(dynamic_cast<CachingFileSystem*>(resolved->get()), nullptr);
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace floe::io
