// Zone files come from the system's time zone database, which an administrator may replace or
// point TZDIR at: a malformed TZif file must give a Status, and a parsed zone must answer every
// lookup without crashing, with offsets PostgreSQL would accept.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "types/temporal.h"
#include "types/time_zone.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  floe::Result<floe::types::TimeZone> zone = floe::types::TimeZone::ParseTzif(bytes, "fuzz");
  if (!zone.ok()) {
    return 0;
  }
  // Instants around the epoch, the 32-bit limits, the far past and the far future.
  constexpr int64_t kProbes[] = {0,
                                 -1,
                                 2147483647,
                                 -2147483648LL,
                                 4102444800,
                                 -5000000000,
                                 253402300799LL,
                                 -210866803200LL,
                                 9000000000000LL};
  for (int64_t seconds : kProbes) {
    floe::types::TimeZone::Period period = zone->PeriodAt(seconds);
    (void)period.abbreviation.size();
    int64_t micros = seconds * 1'000'000;
    int64_t local = zone->ToLocalMicros(micros);
    (void)zone->ToUtcMicros(local);
    (void)floe::types::FormatTimestampTz(micros, *zone);
  }
  return 0;
}
