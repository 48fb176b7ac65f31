#include "table/relocated_file_system.h"

#include <utility>

namespace floe::table {

namespace {

// Drops a "file:" scheme ("file:///a", "file:/a") and trailing slashes.
std::string_view StripLocalScheme(std::string_view path) {
  if (path.starts_with("file://")) {
    path.remove_prefix(7);
  } else if (path.starts_with("file:")) {
    path.remove_prefix(5);
  }
  return path;
}

std::string TrimTrailingSlashes(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') {
    path.remove_suffix(1);
  }
  return std::string(path);
}

}  // namespace

RelocatedFileSystem::RelocatedFileSystem(std::shared_ptr<io::FileSystem> base,
                                         std::string recorded_location, std::string actual_location)
    : base_(std::move(base)),
      recorded_(TrimTrailingSlashes(StripLocalScheme(recorded_location))),
      actual_(TrimTrailingSlashes(actual_location)) {}

std::string RelocatedFileSystem::MapPath(std::string_view path) const {
  std::string_view stripped = StripLocalScheme(path);
  if (recorded_.empty() || !stripped.starts_with(recorded_)) {
    return std::string(path);
  }
  std::string_view rest = stripped.substr(recorded_.size());
  if (!rest.empty() && rest.front() != '/') {
    return std::string(path);  // A sibling folder sharing the prefix ("t" and "t2").
  }
  return actual_ + std::string(rest);
}

Result<std::unique_ptr<io::RandomAccessFile>> RelocatedFileSystem::OpenInputFile(
    std::string_view path) {
  return base_->OpenInputFile(MapPath(path));
}

Result<std::unique_ptr<io::RandomAccessFile>> RelocatedFileSystem::OpenInputFileOfSize(
    std::string_view path, int64_t size) {
  return base_->OpenInputFileOfSize(MapPath(path), size);
}

Result<std::unique_ptr<io::OutputStream>> RelocatedFileSystem::OpenOutputStream(
    std::string_view path) {
  return base_->OpenOutputStream(MapPath(path));
}

Status RelocatedFileSystem::CreateExclusive(std::string_view path, std::string_view bytes) {
  return base_->CreateExclusive(MapPath(path), bytes);
}

Result<std::string> RelocatedFileSystem::ReadAll(std::string_view path) {
  return base_->ReadAll(MapPath(path));
}

Result<std::string> RelocatedFileSystem::ReadAllOfSize(std::string_view path, int64_t size) {
  return base_->ReadAllOfSize(MapPath(path), size);
}

Result<io::FileInfo> RelocatedFileSystem::Stat(std::string_view path) {
  return base_->Stat(MapPath(path));
}

Result<std::vector<io::FileInfo>> RelocatedFileSystem::List(std::string_view prefix) {
  return base_->List(MapPath(prefix));
}

Status RelocatedFileSystem::Delete(std::string_view path) {
  return base_->Delete(MapPath(path));
}

}  // namespace floe::table
