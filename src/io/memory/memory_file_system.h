#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"

namespace floe::io {

/// Keeps objects in process memory, for tests and scratch data.
///
/// Paths are opaque keys; an optional "memory://" scheme is stripped, so "memory://a/b" and
/// "a/b" name the same object. Readers keep the version they opened even when it is replaced
/// or deleted, as on object storage. Streams and files stay usable after the file system is
/// destroyed. Thread-safe.
class MemoryFileSystem final : public FileSystem {
 public:
  MemoryFileSystem();
  ~MemoryFileSystem() override;

  Result<std::unique_ptr<RandomAccessFile>> OpenInputFile(std::string_view path) override;
  Result<std::unique_ptr<OutputStream>> OpenOutputStream(std::string_view path) override;
  Status CreateExclusive(std::string_view path, std::string_view bytes) override;
  Result<FileInfo> Stat(std::string_view path) override;
  Result<std::vector<FileInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view path) override;

  /// The objects, shared with the streams that will publish into them.
  class Store;

 private:
  std::shared_ptr<Store> store_;
};

}  // namespace floe::io
