#include "io/file_system_registry.h"

#include <utility>

#include "io/local/local_file_system.h"
#include "io/memory/memory_file_system.h"
#include "io/uri.h"

namespace floe::io {
namespace {

bool IsS3Scheme(std::string_view scheme) {
  return scheme == "s3" || scheme == "s3a" || scheme == "s3n";
}

}  // namespace

FileSystemRegistry::FileSystemRegistry() {
  auto local = std::make_shared<LocalFileSystem>();
  by_scheme_.emplace("", local);
  by_scheme_.emplace("file", local);
  by_scheme_.emplace("memory", std::make_shared<MemoryFileSystem>());
}

FileSystemRegistry::~FileSystemRegistry() = default;

void FileSystemRegistry::Register(std::string scheme, std::shared_ptr<FileSystem> file_system) {
  std::lock_guard lock(mutex_);
  by_scheme_.insert_or_assign(std::move(scheme), std::move(file_system));
}

Result<std::shared_ptr<FileSystem>> FileSystemRegistry::Resolve(std::string_view location) const {
  if (location.empty()) {
    return Status::InvalidArgument("empty location has no file system");
  }
  std::string scheme = SchemeOf(location);
  {
    std::lock_guard lock(mutex_);
    auto found = by_scheme_.find(scheme);
    if (found != by_scheme_.end()) {
      return found->second;
    }
  }
  if (IsS3Scheme(scheme)) {
    return Status::NotSupported("no S3 object storage is configured to serve {}", location);
  }
  return Status::NotSupported("no file system serves scheme '{}' of {}", scheme, location);
}

}  // namespace floe::io
