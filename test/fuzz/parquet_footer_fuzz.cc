// Decodes arbitrary bytes as a Parquet footer (FileMetaData); whatever decodes must encode and
// decode again to the same value.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "format/parquet/metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace floe::format::parquet;
  auto metadata = ReadFileMetaData(std::span<const uint8_t>(data, size));
  if (!metadata.ok()) {
    return 0;
  }
  std::vector<uint8_t> encoded;
  WriteFileMetaData(*metadata, encoded);
  auto again = ReadFileMetaData(encoded);
  if (!again.ok() || !(*again == *metadata)) {
    __builtin_trap();
  }
  return 0;
}
