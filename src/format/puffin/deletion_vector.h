#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace floe::format::puffin {

/// The Puffin blob type of a deletion vector.
inline constexpr char kDeletionVectorBlobType[] = "deletion-vector-v1";
/// The smallest deletion-vector-v1 blob: length, magic, an empty bitmap's bucket count, CRC.
inline constexpr size_t kMinDeletionVectorSize = 4 + 4 + 8 + 4;

/// Decodes one deletion-vector-v1 blob (docs/formats/puffin.md): a big-endian length of what
/// follows up to the checksum, the magic D1 D3 39 64, a portable 64-bit Roaring bitmap of the
/// deleted row positions, and a big-endian CRC-32 of magic and bitmap.
///
/// `blob` must be exactly the blob, as the manifest's content_offset and content_size_in_bytes
/// delimit it. Returns the positions in ascending order. Errors: Corruption for a length that
/// does not match the blob, a wrong magic or checksum, a malformed bitmap, and for more than
/// `max_positions` positions (so a small hostile blob cannot expand into a huge set).
Result<std::vector<int64_t>> DecodeDeletionVector(std::span<const uint8_t> blob,
                                                  int64_t max_positions);

}  // namespace floe::format::puffin
