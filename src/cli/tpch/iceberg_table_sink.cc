// `floe tpch generate --format iceberg`: each TPC-H table becomes an Iceberg table of the
// catalog, written by the table layer's data file writer (field ids, column statistics) and
// committed as one append snapshot once all its rows are written.
#include <utility>

#include "catalog/table_catalog.h"
#include "cli/tpch/table_sink.h"
#include "table/data_file_writer.h"
#include "table/new_table.h"
#include "table/schema.h"
#include "table/snapshot_producer.h"

namespace floe::cli::tpch {
namespace {

// The table is created only when its data is complete: a failed or interrupted generation
// leaves neither a table nor (the writer deletes them on abort) data files behind.
class IcebergTableSink final : public TableSink {
 public:
  IcebergTableSink(const IcebergTarget& target, catalog::TableIdentifier identifier,
                   table::NewTableOptions options,
                   std::unique_ptr<table::DataFileWriter> writer)
      : target_(target),
        identifier_(std::move(identifier)),
        options_(std::move(options)),
        writer_(std::move(writer)) {}

  Status Write(const vector::Batch& batch) override { return writer_->Write(batch); }

  Status Close() override {
    FLOE_ASSIGN_OR_RETURN(std::vector<table::DataFile> files, writer_->Close());
    Status committed = Commit(files);
    if (!committed.ok()) {
      std::vector<std::string> paths;
      for (const table::DataFile& file : files) {
        paths.push_back(file.file_path);
      }
      (void)target_.file_system->DeleteFiles(paths);
    }
    return committed;
  }

 private:
  Status Commit(std::vector<table::DataFile>& files) {
    FLOE_RETURN_NOT_OK(target_.tables->CreateTable(identifier_, options_).status());
    auto append = table::SnapshotProducer::Append();
    for (table::DataFile& file : files) {
      append->AddDataFile(std::move(file));
    }
    return target_.tables->Commit(identifier_, *append).status();
  }

  const IcebergTarget& target_;
  catalog::TableIdentifier identifier_;
  table::NewTableOptions options_;
  std::unique_ptr<table::DataFileWriter> writer_;
};

}  // namespace

Result<std::unique_ptr<TableSink>> MakeIcebergSink(const IcebergTarget& target,
                                                   catalog::TableIdentifier identifier,
                                                   const vector::Schema& schema) {
  Result<table::Table> existing = target.tables->LoadTable(identifier);
  if (existing.ok()) {
    return Status::AlreadyExists("table {} already exists", catalog::IdentifierToString(identifier));
  }
  if (existing.status().code() != StatusCode::kNotFound) {
    return existing.status();
  }
  table::NewTableOptions options;
  FLOE_ASSIGN_OR_RETURN(options.schema, table::Schema::FromFloeSchema(schema));
  options.location = target.tables->DefaultLocation(identifier);
  // The metadata the table will be created with assigns the same field ids, so the files
  // written against it belong to the table.
  FLOE_ASSIGN_OR_RETURN(table::TableMetadata metadata, table::MakeNewTableMetadata(options));
  table::DataFileWriterOptions writer_options;
  writer_options.parquet.codec = format::CompressionCodec::kZstd;
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<table::DataFileWriter> writer,
                        table::DataFileWriter::Open(target.file_system, metadata, writer_options));
  return std::unique_ptr<TableSink>(std::make_unique<IcebergTableSink>(
      target, std::move(identifier), std::move(options), std::move(writer)));
}

}  // namespace floe::cli::tpch
