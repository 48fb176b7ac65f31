#include "io/file_system_registry.h"

#include <memory>

#include <gtest/gtest.h>

#include "io/local/local_file_system.h"
#include "io/memory/memory_file_system.h"

namespace floe::io {
namespace {

TEST(FileSystemRegistryTest, PlainPathsAndFileUrisShareOneLocalFileSystem) {
  FileSystemRegistry registry;
  auto absolute = registry.Resolve("/warehouse/t");
  auto relative = registry.Resolve("warehouse/t");
  auto uri = registry.Resolve("file:///warehouse/t");
  auto hadoop = registry.Resolve("file:/warehouse/t");
  ASSERT_TRUE(absolute.ok() && relative.ok() && uri.ok() && hadoop.ok());
  EXPECT_NE(dynamic_cast<LocalFileSystem*>(absolute->get()), nullptr);
  EXPECT_EQ(absolute->get(), relative->get());
  EXPECT_EQ(absolute->get(), uri->get());
  EXPECT_EQ(absolute->get(), hadoop->get());
}

TEST(FileSystemRegistryTest, MemoryLocationsShareOneStore) {
  FileSystemRegistry registry;
  auto writer = registry.Resolve("memory://scratch/a");
  auto reader = registry.Resolve("MEMORY://scratch/a");
  ASSERT_TRUE(writer.ok() && reader.ok());
  EXPECT_NE(dynamic_cast<MemoryFileSystem*>(writer->get()), nullptr);
  ASSERT_TRUE((*writer)->CreateExclusive("memory://scratch/a", "shared").ok());
  EXPECT_EQ((*reader)->ReadAll("memory://scratch/a").ValueOr("?"), "shared");
}

TEST(FileSystemRegistryTest, S3IsNotSupportedUntilRegistered) {
  FileSystemRegistry registry;
  for (const char* location : {"s3://bucket/key", "s3a://bucket/key", "S3N://bucket/key"}) {
    auto resolved = registry.Resolve(location);
    EXPECT_EQ(resolved.status().code(), StatusCode::kNotSupported) << location;
  }
  EXPECT_EQ(registry.Resolve("s3://bucket/key").status().message(),
            "no S3 object storage is configured to serve s3://bucket/key");

  auto stand_in = std::make_shared<MemoryFileSystem>();
  registry.Register("s3", stand_in);
  auto resolved = registry.Resolve("s3://bucket/key");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->get(), stand_in.get());
}

TEST(FileSystemRegistryTest, UnknownSchemeAndEmptyLocationAreErrors) {
  FileSystemRegistry registry;
  auto unknown = registry.Resolve("ftp://host/file");
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotSupported);
  EXPECT_EQ(unknown.status().message(), "no file system serves scheme 'ftp' of ftp://host/file");
  EXPECT_EQ(registry.Resolve("").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace floe::io
