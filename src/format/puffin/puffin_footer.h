#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "io/fwd.h"

namespace floe::format::puffin {

/// The magic "PFA1" at the start of a Puffin file and at both ends of its footer.
inline constexpr uint8_t kPuffinMagic[4] = {'P', 'F', 'A', '1'};

/// One blob as the footer describes it (Puffin spec, "BlobMetadata").
struct PuffinBlob {
  std::string type;
  std::vector<int32_t> fields;
  int64_t snapshot_id = -1;
  int64_t sequence_number = -1;
  int64_t offset = 0;
  int64_t length = 0;
  std::optional<std::string> compression_codec;
  std::map<std::string, std::string> properties;
};

/// The footer payload of a Puffin file (Puffin spec, "FileMetadata").
struct PuffinFooter {
  std::vector<PuffinBlob> blobs;
  std::map<std::string, std::string> properties;
};

/// Returns true when `head` (the first bytes of a file) starts with the Puffin magic.
bool HasPuffinMagic(std::span<const uint8_t> head);

/// Parses the footer payload (JSON). Errors: Corruption for JSON that is not a FileMetadata,
/// for a blob without type, offset or length, or with a negative offset or length.
Result<PuffinFooter> ParsePuffinFooter(std::string_view json_text);

/// Reads the footer of a Puffin file (docs/formats/puffin.md): `Magic FooterPayload
/// FooterPayloadSize Flags Magic` at the end of the file, sizes little-endian. Errors naming the
/// file: Corruption for a missing magic, a payload size that does not fit, malformed JSON or blobs
/// outside the file; NotSupported for a compressed footer; IOError from the file.
Result<PuffinFooter> ReadPuffinFooter(const io::RandomAccessFile& file);

}  // namespace floe::format::puffin
