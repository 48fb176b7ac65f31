#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/result.h"

namespace floe::format::parquet {

/// The file ends with the footer length (4 bytes, little-endian) and the magic "PAR1".
inline constexpr size_t kFooterTrailerSize = 8;

/// Returns the length of the serialized FileMetaData that precedes the trailer, given the last
/// kFooterTrailerSize bytes of a file of `file_size` bytes. Corruption for a missing magic or a
/// length that does not fit in the file; NotSupported for an encrypted footer ("PARE").
Result<uint32_t> ReadFooterLength(std::span<const uint8_t> trailer, uint64_t file_size);

/// Returns the CRC-32 (the polynomial of gzip, as PageHeader.crc specifies) of `bytes`.
uint32_t Crc32(std::span<const uint8_t> bytes);

/// Checks a page's stored bytes (after the header) against the header's crc, when it has one;
/// Corruption on a mismatch.
Status VerifyPageCrc(std::optional<int32_t> expected_crc, std::span<const uint8_t> page);

}  // namespace floe::format::parquet
