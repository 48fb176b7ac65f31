#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"

namespace floe::io {

/// Chooses how LocalFileSystem trades speed for durability.
struct LocalFileSystemOptions {
  /// Whether OutputStream::Close and CreateExclusive flush file data and the directory entry to
  /// stable storage (fsync) before they return, so a committed object survives power loss.
  /// Turn it off only for scratch data.
  bool is_durable = true;
};

/// Stores objects as files in the local POSIX file system.
///
/// Accepts absolute or relative paths (relative to the working directory) and "file:" URIs
/// ("file:///dir/f", "file://localhost/dir/f", "file:/dir/f"). Directories are created as
/// objects are written and are not objects themselves: Stat on a directory is NotFound and List
/// returns files only. Writers stage data in a hidden temporary file (".floe-tmp-*") in the
/// target directory and rename it into place; List skips those. When only the final directory
/// sync fails, Close reports the IOError although the file is already in place. Errors are NotFound
/// or IOError naming the path and the system's error text. Thread-safe.
class LocalFileSystem final : public FileSystem {
 public:
  explicit LocalFileSystem(LocalFileSystemOptions options = {});

  Result<std::unique_ptr<RandomAccessFile>> OpenInputFile(std::string_view path) override;
  Result<std::unique_ptr<OutputStream>> OpenOutputStream(std::string_view path) override;
  Status CreateExclusive(std::string_view path, std::string_view bytes) override;
  Result<FileInfo> Stat(std::string_view path) override;
  Result<std::vector<FileInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view path) override;

 private:
  const LocalFileSystemOptions options_;
};

}  // namespace floe::io
