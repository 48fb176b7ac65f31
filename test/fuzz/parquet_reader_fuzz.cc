// Opens arbitrary bytes as a Parquet file in a MemoryFileSystem and reads every batch: the
// reader must return an error, never crash, loop or allocate past its memory budget.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/memory_tracker.h"
#include "format/parquet/reader/parquet_reader.h"
#include "io/memory/memory_file_system.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using floe::format::parquet::ParquetReader;
  auto file_system = std::make_shared<floe::io::MemoryFileSystem>();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (!file_system->CreateExclusive("fuzz.parquet", bytes).ok()) {
    return 0;
  }
  auto file = file_system->OpenInputFile("fuzz.parquet");
  if (!file.ok()) {
    return 0;
  }
  floe::MemoryTracker tracker("fuzz", int64_t{256} << 20);
  floe::format::parquet::ParquetReadOptions options;
  options.tracker = &tracker;
  auto reader = ParquetReader::Open(
      std::shared_ptr<floe::io::RandomAccessFile>(std::move(file).value()), options);
  if (!reader.ok()) {
    return 0;
  }
  while (true) {
    auto batch = (*reader)->Next();
    if (!batch.ok() || !batch->has_value()) {
      return 0;
    }
  }
}
