#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "io/fwd.h"
#include "table/table_metadata.h"

namespace floe::table {

/// A table as loaded at one metadata version: its metadata, the file that holds it, and the
/// storage its manifests and data files are read through. Copies share the metadata, which is
/// immutable, so a Table may be used from several threads.
struct Table {
  std::shared_ptr<const TableMetadata> metadata;
  std::string metadata_location;
  std::shared_ptr<io::FileSystem> file_system;
};

/// Reads and parses the metadata file at `metadata_location` (gzip when named so).
/// Errors: NotFound and IOError from storage, Corruption and NotSupported from parsing.
Result<Table> LoadTable(std::shared_ptr<io::FileSystem> file_system,
                        std::string_view metadata_location);

/// Returns the newest metadata file of the table in `folder` (a file-system table: metadata in
/// `<folder>/metadata/`): the version named by `version-hint.text` when that file exists, else
/// the highest version among `vN.metadata.json` and `NNNNN-<uuid>.metadata.json` names (gzip
/// too). NotFound when the folder holds no metadata file.
Result<std::string> FindLatestMetadataFile(io::FileSystem& file_system, std::string_view folder);

/// Opens the table lying in `folder`, wherever it was written: loads its newest metadata (see
/// FindLatestMetadataFile) and reads every path under the location the metadata records from
/// `folder` instead (RelocatedFileSystem), so tables copied or moved from another machine read.
/// `metadata_file` names a file in `<folder>/metadata/` to load instead of the newest.
Result<Table> OpenTableFolder(std::shared_ptr<io::FileSystem> file_system, std::string_view folder,
                              std::string_view metadata_file = {});

/// Opens the table `location` names, without a catalog: a metadata file (a name ending in
/// `.json`) or a table folder (its newest metadata, see FindLatestMetadataFile). With
/// `relocate`, paths under the recorded location are read from the table's folder (a metadata
/// file's folder is the parent of its `metadata/` folder), as OpenTableFolder does; without,
/// or for a metadata file outside a `metadata/` folder, paths are read as recorded.
/// Errors: as FindLatestMetadataFile and LoadTable.
Result<Table> OpenTableLocation(std::shared_ptr<io::FileSystem> file_system,
                                std::string_view location, bool relocate = true);

}  // namespace floe::table
