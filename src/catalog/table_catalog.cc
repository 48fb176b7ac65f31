#include "catalog/table_catalog.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "io/file_system.h"

namespace floe::catalog {

namespace {

// Object-store locations compare as written. Local paths compare as absolute, lexically normal
// paths, so that a warehouse given as "./warehouse" holds both "./warehouse/t" and the same
// folder spelt from the root.
std::string ComparablePath(std::string_view location) {
  if (location.find("://") != std::string_view::npos) {
    return std::string(location);
  }
  std::error_code error;
  std::filesystem::path absolute =
      std::filesystem::absolute(std::filesystem::path(location), error);
  if (error) {
    return std::string(location);
  }
  return absolute.lexically_normal().generic_string();
}

int64_t PropertyOr(const table::TableMetadata& metadata, const std::string& key, int64_t fallback) {
  auto found = metadata.properties.find(key);
  if (found == metadata.properties.end()) {
    return fallback;
  }
  char* end = nullptr;
  long long value = std::strtoll(found->second.c_str(), &end, 10);
  return end != found->second.c_str() && *end == '\0' && value >= 0 ? value : fallback;
}

void Backoff(const table::TableMetadata& metadata, int attempt) {
  const int64_t min_wait = PropertyOr(metadata, "commit.retry.min-wait-ms", 100);
  const int64_t max_wait = PropertyOr(metadata, "commit.retry.max-wait-ms", 60000);
  int64_t wait = min_wait;
  for (int i = 1; i < attempt && wait < max_wait; ++i) {
    wait *= 2;
  }
  wait = std::min(wait, max_wait);
  thread_local std::mt19937_64 generator{std::random_device{}()};
  // Jitter spreads retries of writers that lost to the same commit.
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  std::this_thread::sleep_for(std::chrono::microseconds(
      static_cast<int64_t>(static_cast<double>(wait) * 1000 * jitter(generator))));
}

void DeleteQuietly(io::FileSystem& file_system, const std::vector<std::string>& paths) {
  if (!paths.empty()) {
    (void)file_system.DeleteFiles(paths);
  }
}

}  // namespace

TableCatalog::TableCatalog(Metastore& metastore, std::shared_ptr<io::FileSystem> file_system,
                           std::string warehouse)
    : metastore_(metastore),
      file_system_(std::move(file_system)),
      warehouse_(std::move(warehouse)) {
  while (warehouse_.size() > 1 && warehouse_.back() == '/') {
    warehouse_.pop_back();
  }
}

std::string TableCatalog::DefaultLocation(const TableIdentifier& identifier) const {
  std::string location = warehouse_;
  for (const std::string& level : identifier.namespace_name) {
    location += "/" + level;
  }
  return location + "/" + identifier.name;
}

Result<table::Table> TableCatalog::CreateTable(const TableIdentifier& identifier,
                                               table::NewTableOptions options) {
  FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
  FLOE_ASSIGN_OR_RETURN(bool exists, metastore_.TableExists(identifier));
  if (exists) {
    return Status::AlreadyExists("table {} already exists", IdentifierToString(identifier));
  }
  if (options.location.empty()) {
    options.location = DefaultLocation(identifier);
  }
  FLOE_ASSIGN_OR_RETURN(table::TableMetadata metadata, table::MakeNewTableMetadata(options));
  FLOE_ASSIGN_OR_RETURN(std::string location,
                        table::WriteMetadataFile(*file_system_, metadata, ""));
  Status created = metastore_.CreateTable(identifier, location);
  if (!created.ok()) {
    DeleteQuietly(*file_system_, {location});
    return created;
  }
  return table::Table{std::make_shared<const table::TableMetadata>(std::move(metadata)), location,
                      file_system_};
}

Status CheckLocationInWarehouse(std::string_view location, std::string_view warehouse) {
  std::string root = ComparablePath(warehouse);
  while (root.size() > 1 && root.ends_with('/')) {
    root.pop_back();
  }
  root += '/';
  const std::string path = ComparablePath(location);
  if (!path.starts_with(root) || path.size() == root.size() ||
      location.find("/../") != std::string_view::npos || location.ends_with("/..") ||
      location.find("/./") != std::string_view::npos) {
    return Status::PermissionDenied("table location {} is outside the warehouse {}", location,
                                    warehouse);
  }
  return Status::OK();
}

Result<table::Table> TableCatalog::RegisterTable(const TableIdentifier& identifier,
                                                 std::string_view metadata_location) {
  FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
  FLOE_RETURN_NOT_OK(CheckLocationInWarehouse(metadata_location, warehouse_));
  Result<table::Table> loaded = table::LoadTable(file_system_, metadata_location);
  if (!loaded.ok()) {
    return Status::InvalidArgument("cannot read metadata at {}: {}", metadata_location,
                                   loaded.status().message());
  }
  FLOE_RETURN_NOT_OK(metastore_.RegisterTable(identifier, loaded->metadata_location));
  return std::move(*loaded);
}

Result<table::Table> TableCatalog::LoadTable(const TableIdentifier& identifier) {
  FLOE_ASSIGN_OR_RETURN(TableEntry entry, metastore_.LoadTable(identifier));
  return table::LoadTable(file_system_, entry.metadata_location);
}

Result<table::Table> TableCatalog::Commit(const TableIdentifier& identifier,
                                          table::TableChange& change) {
  FLOE_ASSIGN_OR_RETURN(table::Table start, LoadTable(identifier));
  return Commit(identifier, start, change);
}

Result<table::Table> TableCatalog::Commit(const TableIdentifier& identifier,
                                          const table::Table& start, table::TableChange& change) {
  table::Table base = start;
  const int64_t retries = PropertyOr(*start.metadata, "commit.retry.num-retries", 4);
  for (int attempt = 1;; ++attempt) {
    if (base.metadata_location != start.metadata_location) {
      FLOE_RETURN_NOT_OK(change.Validate(start, base));
    }
    std::vector<std::string> written;
    Result<table::TableMetadata> applied = change.Apply(base, attempt, written);
    if (!applied.ok()) {
      DeleteQuietly(*file_system_, written);
      return applied.status();
    }
    table::TableMetadata metadata = std::move(*applied);
    Result<std::string> location = table::WriteMetadataFile(
        *file_system_, metadata, base.metadata_location, base.metadata.get());
    if (!location.ok()) {
      DeleteQuietly(*file_system_, written);
      return location.status();
    }
    written.push_back(*location);
    Status swapped = metastore_.CommitTable(identifier, base.metadata_location, *location);
    if (swapped.ok()) {
      return table::Table{std::make_shared<const table::TableMetadata>(std::move(metadata)),
                          *location, file_system_};
    }
    if (swapped.code() != StatusCode::kConflict) {
      // The swap may or may not have happened: ask the metastore which version is current.
      Result<TableEntry> entry = metastore_.LoadTable(identifier);
      if (entry.ok() && entry->metadata_location == *location) {
        return table::Table{std::make_shared<const table::TableMetadata>(std::move(metadata)),
                            *location, file_system_};
      }
      if (entry.ok()) {
        DeleteQuietly(*file_system_, written);
      }
      return swapped;
    }
    DeleteQuietly(*file_system_, written);
    if (attempt > retries) {
      return Status::Conflict("commit to table {} lost {} races in a row; giving up",
                              IdentifierToString(identifier), attempt);
    }
    Backoff(*base.metadata, attempt);
    FLOE_ASSIGN_OR_RETURN(base, LoadTable(identifier));
  }
}

}  // namespace floe::catalog
