#include "table/table.h"

#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "io/file_system.h"
#include "table/parsed_file_cache.h"
#include "table/relocated_file_system.h"

namespace floe::table {

Result<Table> LoadTable(std::shared_ptr<io::FileSystem> file_system,
                        std::string_view metadata_location) {
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const TableMetadata> metadata,
                        ParsedFileCache::Shared().Metadata(*file_system, metadata_location));
  return Table{std::move(metadata), std::string(metadata_location), std::move(file_system)};
}

namespace {

std::string FileName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool IsMetadataFileName(std::string_view name) {
  return name.ends_with(".metadata.json");
}

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  return std::string(text);
}

}  // namespace

Result<std::string> FindLatestMetadataFile(io::FileSystem& file_system, std::string_view folder) {
  std::string directory = std::string(folder);
  while (directory.size() > 1 && directory.back() == '/') {
    directory.pop_back();
  }
  directory += "/metadata/";
  FLOE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> files, file_system.List(directory));
  std::optional<int64_t> hinted;
  for (const io::FileInfo& file : files) {
    if (FileName(file.path) != "version-hint.text") {
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(std::string hint, file_system.ReadAll(file.path));
    hint = Trim(hint);
    if (IsMetadataFileName(hint)) {
      return directory + FileName(hint);
    }
    char* end = nullptr;
    int64_t version = std::strtoll(hint.c_str(), &end, 10);
    if (!hint.empty() && end == hint.c_str() + hint.size()) {
      hinted = version;
    }
  }
  std::string best;
  int64_t best_version = -1;
  for (const io::FileInfo& file : files) {
    std::string name = FileName(file.path);
    if (!IsMetadataFileName(name)) {
      continue;
    }
    Result<int64_t> version = ParseMetadataFileVersion(name);
    if (!version.ok()) {
      continue;
    }
    if (hinted.has_value() && *version == *hinted) {
      return directory + name;
    }
    if (*version > best_version) {
      best_version = *version;
      best = directory + name;
    }
  }
  if (best.empty()) {
    return Status::NotFound("no table metadata file in {}", directory);
  }
  return best;
}

Result<Table> OpenTableFolder(std::shared_ptr<io::FileSystem> file_system, std::string_view folder,
                              std::string_view metadata_file) {
  std::string location;
  if (metadata_file.empty()) {
    FLOE_ASSIGN_OR_RETURN(location, FindLatestMetadataFile(*file_system, folder));
  } else {
    location = std::string(folder) + "/metadata/" + std::string(metadata_file);
  }
  FLOE_ASSIGN_OR_RETURN(Table table, LoadTable(file_system, location));
  std::string actual(folder);
  while (actual.size() > 1 && actual.back() == '/') {
    actual.pop_back();
  }
  table.file_system = std::make_shared<RelocatedFileSystem>(std::move(file_system),
                                                            table.metadata->location, actual);
  return table;
}

}  // namespace floe::table
