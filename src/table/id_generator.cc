#include "table/id_generator.h"

#include <chrono>
#include <random>

#include "types/uuid.h"

namespace floe::table {

namespace {

std::mt19937_64& Generator() {
  thread_local std::mt19937_64 generator([] {
    std::random_device device;
    return (uint64_t{device()} << 32) ^ device() ^
           static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }());
  return generator;
}

}  // namespace

std::string NewUuid() {
  types::Uuid uuid;
  for (int half = 0; half < 2; ++half) {
    uint64_t bits = Generator()();
    for (int i = 0; i < 8; ++i) {
      uuid.bytes[static_cast<size_t>(half * 8 + i)] = static_cast<uint8_t>(bits >> (8 * i));
    }
  }
  uuid.bytes[6] = static_cast<uint8_t>((uuid.bytes[6] & 0x0f) | 0x40);  // Version 4.
  uuid.bytes[8] = static_cast<uint8_t>((uuid.bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant.
  return types::FormatUuid(uuid);
}

int64_t NewSnapshotId() {
  int64_t id = 0;
  while (id == 0) {
    id = static_cast<int64_t>(Generator()() >> 1);
  }
  return id;
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace floe::table
