// S3 responses (listings, errors, multipart replies) are parsed by Floe's own XML reader; a
// hostile or broken server must get an error, never a crash or a runaway allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/s3/xml_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view document(reinterpret_cast<const char*>(data), size);
  (void)floe::io::ParseXml(document);
  return 0;
}
