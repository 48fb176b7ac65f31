#include <utility>

#include "cli/tpch/table_sink.h"
#include "format/parquet/writer/parquet_writer.h"

namespace floe::cli::tpch {
namespace {

class ParquetTableSink final : public TableSink {
 public:
  explicit ParquetTableSink(std::unique_ptr<format::parquet::ParquetWriter> writer)
      : writer_(std::move(writer)) {}

  Status Write(const vector::Batch& batch) override { return writer_->Write(batch); }
  Status Close() override { return writer_->Close(); }

 private:
  std::unique_ptr<format::parquet::ParquetWriter> writer_;
};

}  // namespace

Result<std::unique_ptr<TableSink>> MakeParquetSink(std::unique_ptr<io::OutputStream> stream,
                                                   std::shared_ptr<const vector::Schema> schema) {
  // ZSTD and the writer's row groups of 2^20 rows: lineitem at SF 1 makes six row groups,
  // enough for readers to split the file across threads.
  format::parquet::ParquetWriterOptions options;
  options.codec = format::CompressionCodec::kZstd;
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<format::parquet::ParquetWriter> writer,
                        format::parquet::ParquetWriter::Make(std::move(stream), *schema, options));
  return std::unique_ptr<TableSink>(std::make_unique<ParquetTableSink>(std::move(writer)));
}

}  // namespace floe::cli::tpch
