#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"

namespace floe::table {

/// Reads a table that was moved: every path under the location the table recorded (its
/// metadata "location", as written in manifests and manifest lists) is served from the folder
/// the table lies in now, as engines do for moved tables; other paths pass through unchanged.
///
/// The recorded prefix matches with or without a "file:" scheme ("file:/a", "file:///a" and "/a"
/// are the same folder). Thread-safe as the wrapped file system is.
class RelocatedFileSystem final : public io::FileSystem {
 public:
  RelocatedFileSystem(std::shared_ptr<io::FileSystem> base, std::string recorded_location,
                      std::string actual_location);

  /// Returns the path `path` is read from.
  std::string MapPath(std::string_view path) const;

  Result<std::unique_ptr<io::RandomAccessFile>> OpenInputFile(std::string_view path) override;
  Result<std::unique_ptr<io::RandomAccessFile>> OpenInputFileOfSize(std::string_view path,
                                                                    int64_t size) override;
  Result<std::unique_ptr<io::OutputStream>> OpenOutputStream(std::string_view path) override;
  Status CreateExclusive(std::string_view path, std::string_view bytes) override;
  Result<std::string> ReadAll(std::string_view path) override;
  Result<std::string> ReadAllOfSize(std::string_view path, int64_t size) override;
  Result<io::FileInfo> Stat(std::string_view path) override;
  Result<std::vector<io::FileInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view path) override;

 private:
  std::shared_ptr<io::FileSystem> base_;
  std::string recorded_;  // Without scheme or trailing '/'.
  std::string actual_;    // Without trailing '/'.
};

}  // namespace floe::table
