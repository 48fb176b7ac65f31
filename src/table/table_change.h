#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "io/fwd.h"
#include "table/partition_spec.h"
#include "table/schema_update.h"
#include "table/table.h"
#include "table/table_metadata.h"

namespace floe::table {

/// One change to a table, built so that it can be applied again to a newer version of the
/// table when its commit loses a race (spec: "Optimistic Concurrency"). A committer calls
/// Apply on the version it loaded; when the swap of the metadata pointer fails, it reloads,
/// calls Validate(start, current) and, when that passes, Apply on the new version. Files an
/// attempt wrote are listed in `written` so the committer can delete them when the attempt
/// does not commit. Not thread-safe: one committer at a time.
class TableChange {
 public:
  TableChange() = default;
  TableChange(const TableChange&) = delete;
  TableChange& operator=(const TableChange&) = delete;
  virtual ~TableChange() = default;

  /// Checks that the change still holds on `current`, `start` being the version it was first
  /// applied to. Conflict, naming what changed, when another commit invalidated it.
  virtual Status Validate(const Table& start, const Table& current) { return Status::OK(); }

  /// Returns the new metadata on top of `base` (without the metadata log entry, which the
  /// committer adds). `attempt` counts from 1; files written go to `written`.
  virtual Result<TableMetadata> Apply(const Table& base, int attempt,
                                      std::vector<std::string>& written) = 0;
};

/// A change of metadata only (schema, properties, spec, sort order): `update` gets a copy of
/// the base metadata to modify, and runs again on a newer base after a lost race, so it must
/// compute from what it is given. Changes to the schema should use SchemaUpdate on the base's
/// current schema inside `update`.
class MetadataChange final : public TableChange {
 public:
  explicit MetadataChange(std::function<Status(TableMetadata&)> update)
      : update_(std::move(update)) {}

  Result<TableMetadata> Apply(const Table& base, int attempt,
                              std::vector<std::string>& written) override;

 private:
  std::function<Status(TableMetadata&)> update_;
};

/// Returns a change evolving the current schema: `edit` is called with a SchemaUpdate of the
/// base's current schema (on every attempt), and the result becomes a new current schema (or an
/// existing one with the same fields). Errors: those of SchemaUpdate::Apply.
std::unique_ptr<TableChange> UpdateSchema(std::function<void(SchemaUpdate&)> edit);

/// Returns a change making a spec of `fields` (given without field ids) the default partition
/// spec, keeping the ids of fields earlier specs had (EvolvePartitionSpec). Files written before
/// keep their spec; scans prune each manifest with its own.
std::unique_ptr<TableChange> UpdatePartitionSpec(std::vector<PartitionField> fields);

/// Returns a change setting and removing table properties.
std::unique_ptr<TableChange> UpdateProperties(std::map<std::string, std::string> updates,
                                              std::vector<std::string> removals = {});

/// Writes `metadata` as the next version after `base_location` (empty for a new table): at
/// "<location>/metadata/<5-digit version>-<uuid>.metadata.json", created exclusively, after
/// appending `base_location` to the metadata log (dropping the oldest entries beyond the
/// `write.metadata.previous-versions-max` property, 100 by default) and stamping
/// last-updated-ms. Returns the new file's location.
Result<std::string> WriteMetadataFile(io::FileSystem& file_system, TableMetadata& metadata,
                                      std::string_view base_location,
                                      const TableMetadata* base = nullptr);

}  // namespace floe::table
