// Iceberg view metadata comes from files any engine may have written and from REST clients: the
// parser must fail with a Status on bad input, never crash, and what it accepts must be valid
// and read back equal after writing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/check.h"
#include "table/view_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  floe::Result<floe::table::ViewMetadata> metadata = floe::table::ViewMetadataFromJson(input);
  if (metadata.ok()) {
    FLOE_CHECK(metadata->Validate().ok());
    floe::Result<floe::table::ViewMetadata> again =
        floe::table::ViewMetadataFromJson(floe::table::ViewMetadataToJson(*metadata));
    FLOE_CHECK(again.ok() && *again == *metadata);
  }
  (void)floe::table::ViewVersionFromJson(input);
  return 0;
}
