#include "sql/engine/engine_catalog.h"

#include <algorithm>

#include <fnmatch.h>

#include "format/parquet/column_ranges.h"
#include "format/parquet/reader/parquet_reader.h"
#include "sql/engine/iceberg_metadata_tables.h"
#include "sql/engine/system_catalog.h"
#include "table/table_reader.h"
#include "table/table_scan.h"
#include "table/view_metadata.h"

namespace floe::sql::engine {

std::pair<std::vector<catalog::Namespace>, std::string> EngineCatalog::Candidates(
    const std::vector<std::string>& name) const {
  std::vector<catalog::Namespace> namespaces;
  if (name.size() == 1) {
    for (const std::string& schema : session_.settings.SearchPath()) {
      namespaces.push_back({schema});
    }
  } else {
    size_t first = 0;
    // A leading database name ("floe.public.t") is allowed when it names this database.
    if (name.size() >= 3 && name[0] == session_.database) {
      first = 1;
    }
    namespaces.push_back(
        catalog::Namespace(name.begin() + static_cast<long>(first), name.end() - 1));
  }
  return {namespaces, name.back()};
}

namespace {

// An Iceberg view (made over the REST catalog, docs/protocols/iceberg-rest.md) is expanded from
// the SQL of its current version in Floe's dialect, else PostgreSQL's; its schema names the
// columns. A view in other dialects only cannot be expanded faithfully, so it is refused.
Status ExpandIcebergView(io::FileSystemRegistry& file_systems, const std::string& location,
                         binder::RelationInfo& info) {
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                        file_systems.Resolve(location));
  FLOE_ASSIGN_OR_RETURN(table::ViewMetadata metadata,
                        table::ReadViewMetadataFile(*file_system, location));
  const table::ViewVersion& version = *metadata.CurrentVersion();
  const table::ViewRepresentation* representation = version.FindDialect("floe");
  if (representation == nullptr) {
    representation = version.FindDialect("postgresql");
  }
  if (representation == nullptr) {
    std::string dialects;
    for (const table::ViewRepresentation& other : version.representations) {
      dialects += (dialects.empty() ? "" : ", ") + other.dialect;
    }
    return Status::NotSupported(
               "querying view {}: it has SQL only in dialects other than floe and postgresql "
               "({})",
               info.display_name, dialects.empty() ? std::string("none") : dialects)
        .WithSqlState("0A000");
  }
  info.view_sql = representation->sql;
  if (const table::Schema* schema = metadata.CurrentSchema(); schema != nullptr) {
    for (const table::NestedField& field : schema->fields()) {
      info.view_column_names.push_back(field.name);
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<std::pair<int32_t, std::string>>> EngineCatalog::ViewDefinitions() {
  SystemCatalog system(database_, session_, *this);
  return system.ViewDefinitions();
}

Result<std::vector<std::pair<int32_t, bool>>> EngineCatalog::RelationVisibility() {
  SystemCatalog system(database_, session_, *this);
  return system.RelationVisibility();
}

Result<std::vector<binder::RegObject>> EngineCatalog::RegObjects(std::string_view type) {
  SystemCatalog system(database_, session_, *this);
  return system.RegObjects(type);
}

Result<std::vector<std::pair<int32_t, int64_t>>> EngineCatalog::RelationSizes() {
  SystemCatalog system(database_, session_, *this);
  return system.RelationSizes();
}

Result<std::vector<std::string>> EngineCatalog::ExistingSearchPath() {
  std::vector<std::string> schemas;
  for (const std::string& schema : session_.settings.SearchPath()) {
    bool exists = SystemCatalog::IsSystemSchema(schema);
    if (!exists) {
      FLOE_ASSIGN_OR_RETURN(exists, database_.metastore().NamespaceExists({schema}));
    }
    if (exists) {
      schemas.push_back(schema);
    }
  }
  return schemas;
}

std::string EngineCatalog::CurrentSchema() const {
  std::vector<std::string> path = session_.settings.SearchPath();
  return path.empty() ? "" : path[0];
}

namespace {

// The relation reading `loaded` at its current snapshot with its current schema.
Result<binder::RelationInfo> IcebergRelation(table::Table loaded, std::string display_name) {
  auto shared = std::make_shared<const table::Table>(std::move(loaded));
  FLOE_ASSIGN_OR_RETURN(table::TableScan scan, table::TableScan::Make(*shared));
  std::vector<int32_t> field_ids;
  for (const table::NestedField& field : scan.schema().fields()) {
    field_ids.push_back(field.id);
  }
  FLOE_ASSIGN_OR_RETURN(vector::Schema schema, table::ProjectSchema(scan.schema(), field_ids));
  binder::RelationInfo info;
  info.kind = binder::RelationInfo::Kind::kTable;
  info.display_name = std::move(display_name);
  for (const vector::Field& field : schema.fields()) {
    info.columns.push_back({field.name, field.type});
  }
  info.iceberg_table = shared;
  info.field_ids = std::move(field_ids);
  if (scan.snapshot() != nullptr) {
    FLOE_ASSIGN_OR_RETURN(std::vector<table::FileScanTask> tasks, scan.PlanFiles());
    for (const table::FileScanTask& task : tasks) {
      info.row_count += task.data_file.record_count;
    }
  }
  return info;
}

}  // namespace

Result<std::optional<binder::RelationInfo>> EngineCatalog::LoadIcebergTable(
    const catalog::TableIdentifier& identifier, const catalog::TableEntry& entry) {
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                        database_.file_systems().Resolve(entry.metadata_location));
  FLOE_ASSIGN_OR_RETURN(table::Table loaded,
                        table::LoadTable(std::move(file_system), entry.metadata_location));
  FLOE_ASSIGN_OR_RETURN(
      binder::RelationInfo info,
      IcebergRelation(std::move(loaded), catalog::IdentifierToString(identifier)));
  return std::optional<binder::RelationInfo>(std::move(info));
}

Result<binder::RelationInfo> EngineCatalog::OpenIcebergLocation(std::string_view location,
                                                                bool relocate) {
  std::string_view trimmed = location;
  while (trimmed.size() > 1 && trimmed.back() == '/') {
    trimmed.remove_suffix(1);
  }
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                        database_.file_systems().Resolve(trimmed));
  Result<binder::RelationInfo> relation = [&]() -> Result<binder::RelationInfo> {
    FLOE_ASSIGN_OR_RETURN(table::Table loaded,
                          table::OpenTableLocation(std::move(file_system), trimmed, relocate));
    return IcebergRelation(std::move(loaded), std::string(location));
  }();
  if (relation.ok()) {
    return relation;
  }
  // A missing file or folder is PostgreSQL's undefined_file, as for read_parquet().
  if (relation.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("could not read Iceberg table \"{}\": {}", location,
                            relation.status().message())
        .WithSqlState("58P01");
  }
  return relation.status().WithContext(fmt::format("Iceberg table \"{}\"", location));
}

Result<std::optional<binder::RelationInfo>> EngineCatalog::FindRelation(
    const std::vector<std::string>& name) {
  auto [namespaces, object] = Candidates(name);
  // pg_catalog is searched before the search_path, as in PostgreSQL.
  if (name.size() == 1) {
    namespaces.insert(namespaces.begin(), catalog::Namespace{"pg_catalog"});
  }
  catalog::Metastore& metastore = database_.metastore();
  for (const catalog::Namespace& schema : namespaces) {
    if (schema.size() == 1 && SystemCatalog::IsSystemSchema(schema[0])) {
      SystemCatalog system(database_, session_, *this);
      FLOE_ASSIGN_OR_RETURN(std::optional<binder::RelationInfo> relation,
                            system.Find(schema[0], object));
      if (relation.has_value()) {
        return relation;
      }
      continue;
    }
    catalog::TableIdentifier identifier{schema, object};
    Result<catalog::ViewEntry> view = metastore.LoadView(identifier);
    if (view.ok()) {
      binder::RelationInfo info;
      info.kind = binder::RelationInfo::Kind::kView;
      info.display_name = catalog::IdentifierToString(identifier);
      info.view_sql = view->definition.sql;
      if (info.view_sql.empty()) {
        FLOE_RETURN_NOT_OK(
            ExpandIcebergView(database_.file_systems(), view->definition.metadata_location, info));
        return info;
      }
      // Column renames of CREATE VIEW v (a, b) are kept as a comma-separated list.
      const std::string& renames = view->definition.schema_json;
      if (!renames.empty() && renames.front() == '[') {
        std::string current;
        bool in_string = false;
        for (size_t i = 1; i + 1 < renames.size(); ++i) {
          char c = renames[i];
          if (c == '"') {
            if (in_string) {
              info.view_column_names.push_back(current);
              current.clear();
            }
            in_string = !in_string;
          } else if (in_string) {
            current += c;
          }
        }
      }
      return info;
    }
    if (view.status().code() != StatusCode::kNotFound) {
      return view.status();
    }
    Result<catalog::TableEntry> entry = metastore.LoadTable(identifier);
    if (entry.ok()) {
      return LoadIcebergTable(identifier, *entry);
    }
    if (entry.status().code() != StatusCode::kNotFound) {
      return entry.status();
    }
    FLOE_ASSIGN_OR_RETURN(
        std::optional<binder::RelationInfo> metadata_table,
        FindIcebergMetadataTable(metastore, database_.file_systems(), schema, object));
    if (metadata_table.has_value()) {
      return metadata_table;
    }
  }
  return std::optional<binder::RelationInfo>();
}

Result<std::vector<std::string>> ExpandGlob(io::FileSystemRegistry& file_systems,
                                            std::string_view pattern) {
  size_t wildcard = pattern.find_first_of("*?[");
  if (wildcard == std::string_view::npos) {
    return std::vector<std::string>{std::string(pattern)};
  }
  size_t slash = pattern.rfind('/', wildcard);
  std::string prefix(slash == std::string_view::npos ? "" : pattern.substr(0, slash + 1));
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                        file_systems.Resolve(prefix.empty() ? "." : prefix));
  FLOE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> files,
                        file_system->List(prefix.empty() ? "./" : prefix));
  std::string pattern_text(pattern);
  std::vector<std::string> matches;
  for (const io::FileInfo& file : files) {
    std::string path = file.path;
    if (prefix.empty() && path.rfind("./", 0) == 0) {
      path = path.substr(2);
    }
    if (fnmatch(pattern_text.c_str(), path.c_str(), FNM_PATHNAME) == 0 ||
        fnmatch(pattern_text.c_str(), file.path.c_str(), FNM_PATHNAME) == 0) {
      matches.push_back(file.path);
    }
  }
  std::sort(matches.begin(), matches.end());
  if (matches.empty()) {
    return Status::NotFound("no files match \"{}\"", pattern).WithSqlState("58P01");
  }
  return matches;
}

Result<binder::ParquetSource> EngineCatalog::OpenParquet(std::string_view path) {
  binder::ParquetSource source;
  FLOE_ASSIGN_OR_RETURN(source.files, ExpandGlob(database_.file_systems(), path));
  std::vector<std::optional<format::parquet::IntegerRange>> ranges;
  for (size_t i = 0; i < source.files.size(); ++i) {
    format::parquet::ParquetReadOptions options;
    Result<std::unique_ptr<format::parquet::ParquetReader>> reader =
        format::parquet::ParquetReader::Open(database_.file_systems(), source.files[i], options);
    if (!reader.ok()) {
      if (reader.status().code() == StatusCode::kNotFound) {
        return Status::NotFound("could not open file \"{}\": No such file or directory",
                                source.files[i])
            .WithSqlState("58P01");
      }
      return reader.status();
    }
    source.row_count += (*reader)->metadata().num_rows;
    std::vector<std::optional<format::parquet::IntegerRange>> file_ranges =
        format::parquet::TopLevelIntegerRanges((*reader)->metadata());
    if (i == 0) {
      const vector::Schema& schema = *(*reader)->schema();
      for (const vector::Field& field : schema.fields()) {
        source.columns.push_back({field.name, field.type});
      }
      ranges = std::move(file_ranges);
    } else {
      for (size_t c = 0; c < ranges.size(); ++c) {
        ranges[c] = c < file_ranges.size() ? format::parquet::MergeRanges(ranges[c], file_ranges[c])
                                           : std::nullopt;
      }
    }
  }
  // Join ordering divides by distinct counts: an integer column spanning [min, max] has at
  // most max - min + 1 values, and no column more than the rows.
  for (size_t c = 0; c < source.columns.size(); ++c) {
    double count = 0;
    if (c < ranges.size() && ranges[c].has_value()) {
      count = std::max(1.0, std::min(static_cast<double>(source.row_count),
                                     static_cast<double>(ranges[c]->max) -
                                         static_cast<double>(ranges[c]->min) + 1));
    }
    source.distinct_counts.push_back(count);
  }
  return source;
}

}  // namespace floe::sql::engine
