#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/result.h"
#include "io/file_system.h"

namespace floe::io {

/// Finds the file system that serves a location, by the location's scheme.
///
/// A new registry serves plain paths and "file:" URIs from one durable LocalFileSystem and
/// "memory://" from one MemoryFileSystem shared by every caller of this registry. Other schemes
/// are added with Register (ConfigureObjectStorage adds S3 from the settings); until then
/// "s3://" (and "s3a://", "s3n://") is NotSupported. One registry usually lives as long as the
/// process or engine that owns it. Thread-safe.
class FileSystemRegistry {
 public:
  FileSystemRegistry();
  FileSystemRegistry(const FileSystemRegistry&) = delete;
  FileSystemRegistry& operator=(const FileSystemRegistry&) = delete;
  ~FileSystemRegistry();

  /// Serves locations with `scheme` (lower case, without "://"; "" for plain paths) from
  /// `file_system`, replacing any earlier registration.
  void Register(std::string scheme, std::shared_ptr<FileSystem> file_system);

  /// Returns the file system for `location`; the location is then passed to it unchanged.
  /// NotSupported for a scheme nobody registered; InvalidArgument for an empty location.
  Result<std::shared_ptr<FileSystem>> Resolve(std::string_view location) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<FileSystem>, std::less<>> by_scheme_;  // Guarded.
};

}  // namespace floe::io
