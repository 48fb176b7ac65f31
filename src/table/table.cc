#include "table/table.h"

#include <algorithm>
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

// The metadata file a folder's `version-hint.text` names, among `names` (the metadata files
// directly in `directory`). File-system tables write the version number; other writers write
// a file name with or without its `.metadata.json` suffix. A hint that names no file is an
// error rather than a reason to guess: the newest file may belong to a failed commit.
Result<std::string> ResolveVersionHint(io::FileSystem& file_system, const std::string& directory,
                                       const std::vector<std::string>& names) {
  std::string hint_path = directory + "version-hint.text";
  FLOE_ASSIGN_OR_RETURN(std::string hint, file_system.ReadAll(hint_path));
  hint = Trim(hint);
  if (hint.empty()) {
    return Status::Corruption("{} is empty", hint_path);
  }
  if (std::all_of(hint.begin(), hint.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const int64_t wanted = std::strtoll(hint.c_str(), nullptr, 10);
    std::string best;  // Of files with the same version, the name that sorts last.
    for (const std::string& name : names) {
      Result<int64_t> version = ParseMetadataFileVersion(name);
      if (version.ok() && *version == wanted && name > best) {
        best = name;
      }
    }
    if (best.empty()) {
      return Status::NotFound("{} names version {}, but no metadata file in {} has it", hint_path,
                              hint, directory);
    }
    return directory + best;
  }
  std::string file = FileName(hint);
  for (const std::string& candidate : {file, file + ".metadata.json", file + ".gz.metadata.json"}) {
    if (std::find(names.begin(), names.end(), candidate) != names.end()) {
      return directory + candidate;
    }
  }
  return Status::NotFound("{} names {}, which is not a metadata file in {}", hint_path, hint,
                          directory);
}

}  // namespace

Result<std::string> FindLatestMetadataFile(io::FileSystem& file_system, std::string_view folder) {
  std::string directory = std::string(folder);
  while (directory.size() > 1 && directory.back() == '/') {
    directory.pop_back();
  }
  directory += "/metadata/";
  FLOE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> files, file_system.List(directory));
  std::vector<std::string> names;
  bool has_hint = false;
  for (const io::FileInfo& file : files) {
    std::string name = FileName(file.path);
    // List returns everything under the prefix; only the folder's own files count.
    if (file.path.size() != directory.size() + name.size()) {
      continue;
    }
    if (name == "version-hint.text") {
      has_hint = true;
    } else if (IsMetadataFileName(name)) {
      names.push_back(name);
    }
  }
  if (has_hint) {
    return ResolveVersionHint(file_system, directory, names);
  }
  // The highest version wins; of files with the same version (a `vN` and an `NNNNN-<uuid>`
  // name, or two writers' attempts) the name that sorts last, so the choice is repeatable.
  std::string best;
  int64_t best_version = -1;
  for (const std::string& name : names) {
    Result<int64_t> version = ParseMetadataFileVersion(name);
    if (!version.ok()) {
      continue;
    }
    if (*version > best_version || (*version == best_version && name > best)) {
      best_version = *version;
      best = name;
    }
  }
  if (best.empty()) {
    return Status::NotFound("no table metadata file in {}", directory);
  }
  return directory + best;
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

Result<Table> OpenTableLocation(std::shared_ptr<io::FileSystem> file_system,
                                std::string_view location, bool relocate) {
  // Any JSON file is taken for metadata, so that a misnamed one fails to parse rather than
  // being searched for a `metadata/` folder.
  if (!location.ends_with(".json")) {
    if (relocate) {
      return OpenTableFolder(std::move(file_system), location);
    }
    FLOE_ASSIGN_OR_RETURN(std::string latest, FindLatestMetadataFile(*file_system, location));
    return LoadTable(std::move(file_system), latest);
  }
  std::string name = FileName(location);
  std::string_view directory = location.substr(0, location.size() - name.size());
  if (!relocate || !directory.ends_with("/metadata/")) {
    return LoadTable(std::move(file_system), location);
  }
  directory.remove_suffix(std::string_view("/metadata/").size());
  return OpenTableFolder(std::move(file_system), directory, name);
}

}  // namespace floe::table
