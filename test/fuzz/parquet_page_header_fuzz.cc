// Decodes arbitrary bytes as the page-level Thrift structs: the first byte picks PageHeader,
// ColumnIndex, OffsetIndex or BloomFilterHeader. Whatever decodes must survive a round trip.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "format/parquet/metadata.h"

namespace {
using namespace floe::format::parquet;

template <typename T, typename Read, typename Write>
void CheckRoundTrip(std::span<const uint8_t> input, Read read, Write write) {
  auto value = read(input);
  if (!value.ok()) {
    return;
  }
  std::vector<uint8_t> encoded;
  write(*value, encoded);
  auto again = read(encoded);
  if (!again.ok() || !(*again == *value)) {
    __builtin_trap();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  std::span<const uint8_t> input(data + 1, size - 1);
  size_t consumed = 0;
  switch (data[0] % 4) {
    case 0:
      CheckRoundTrip<PageHeader>(
          input, [&](auto bytes) { return ReadPageHeader(bytes, consumed); }, WritePageHeader);
      break;
    case 1:
      CheckRoundTrip<ColumnIndex>(input, ReadColumnIndex, WriteColumnIndex);
      break;
    case 2:
      CheckRoundTrip<OffsetIndex>(input, ReadOffsetIndex, WriteOffsetIndex);
      break;
    default:
      CheckRoundTrip<BloomFilterHeader>(
          input, [&](auto bytes) { return ReadBloomFilterHeader(bytes, consumed); },
          WriteBloomFilterHeader);
  }
  return 0;
}
