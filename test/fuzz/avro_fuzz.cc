// Reads arbitrary bytes as an Avro container file, then as an Iceberg manifest and manifest
// list: any input must give values or a Status, never a crash, a hang or a huge allocation.
// Whatever decodes as generic values must encode to the same values again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/avro/avro_file.h"
#include "table/manifest_list.h"
#include "table/manifest_reader.h"

namespace {

void ReadValues(const std::string& bytes) {
  using namespace floe::format::avro;
  auto reader = AvroFileReader::Open(bytes, {.max_block_size = int64_t{16} << 20});
  if (!reader.ok()) {
    return;
  }
  AvroValue value;
  for (int count = 0; count < 100000; ++count) {
    auto has_value = (*reader)->NextValue(value);
    if (!has_value.ok() || !*has_value) {
      return;
    }
    AvroEncoder encoder;
    if (!WriteAvroValue((*reader)->schema(), value, encoder).ok()) {
      __builtin_trap();
    }
    std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(encoder.buffer().data()),
                                  encoder.size());
    AvroDecoder decoder(data);
    auto again = ReadAvroValue((*reader)->schema(), decoder);
    if (!again.ok() || !decoder.at_end()) {
      __builtin_trap();
    }
  }
}

void ReadManifest(const std::string& bytes) {
  auto reader = floe::table::ManifestReader::OpenBytes(bytes, nullptr);
  if (reader.ok()) {
    (void)(*reader)->ReadAll();
  }
  (void)floe::table::ReadManifestListBytes(bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  ReadValues(bytes);
  ReadManifest(bytes);
  return 0;
}
