#include "format/parquet/footer.h"

#include <algorithm>
#include <cstring>

#include <zlib.h>

namespace floe::format::parquet {

Result<uint32_t> ReadFooterLength(std::span<const uint8_t> trailer, uint64_t file_size) {
  if (trailer.size() != kFooterTrailerSize || file_size < 12) {
    return Status::Corruption("file of {} bytes is too small to be Parquet", file_size);
  }
  if (std::memcmp(trailer.data() + 4, "PARE", 4) == 0) {
    return Status::NotSupported("Parquet files with an encrypted footer");
  }
  if (std::memcmp(trailer.data() + 4, "PAR1", 4) != 0) {
    return Status::Corruption("file does not end with the Parquet magic PAR1");
  }
  uint32_t length = uint32_t{trailer[0]} | (uint32_t{trailer[1]} << 8) |
                    (uint32_t{trailer[2]} << 16) | (uint32_t{trailer[3]} << 24);
  // The leading magic, the footer and the trailer must all fit.
  if (length > file_size - kFooterTrailerSize - 4) {
    return Status::Corruption("footer length {} does not fit in a file of {} bytes", length,
                              file_size);
  }
  return length;
}

uint32_t Crc32(std::span<const uint8_t> bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes 32-bit lengths; feed it in pieces.
  constexpr size_t kPiece = size_t{1} << 30;
  while (!bytes.empty()) {
    size_t length = std::min(bytes.size(), kPiece);
    crc = crc32(crc, bytes.data(), static_cast<uInt>(length));
    bytes = bytes.subspan(length);
  }
  return static_cast<uint32_t>(crc);
}

Status VerifyPageCrc(std::optional<int32_t> expected_crc, std::span<const uint8_t> page) {
  if (!expected_crc.has_value()) {
    return Status::OK();
  }
  uint32_t actual = Crc32(page);
  if (actual != static_cast<uint32_t>(*expected_crc)) {
    return Status::Corruption("page checksum mismatch: stored {:08x}, computed {:08x}",
                              static_cast<uint32_t>(*expected_crc), actual);
  }
  return Status::OK();
}

}  // namespace floe::format::parquet
