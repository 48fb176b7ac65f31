// Decodes arbitrary bytes as a deletion vector. Byte 0 picks how the rest is used: as a whole
// deletion-vector-v1 blob (0), as the Roaring bitmap of a blob whose length and checksum are made
// to match, so mutations get past the checksum (1), or as a Puffin file whose footer is read (2).
// Decoded positions must be ascending, non-negative and no more than the limit.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <zlib.h>

#include "format/puffin/deletion_vector.h"
#include "format/puffin/puffin_footer.h"
#include "io/memory/memory_file_system.h"

namespace {

constexpr int64_t kMaxPositions = int64_t{1} << 20;

void PutBigEndian32(std::vector<uint8_t>& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<uint8_t>(value >> shift));
  }
}

std::vector<uint8_t> Envelope(std::span<const uint8_t> bitmap) {
  std::vector<uint8_t> checked = {0xd1, 0xd3, 0x39, 0x64};
  checked.insert(checked.end(), bitmap.begin(), bitmap.end());
  std::vector<uint8_t> blob;
  PutBigEndian32(blob, static_cast<uint32_t>(checked.size()));
  blob.insert(blob.end(), checked.begin(), checked.end());
  PutBigEndian32(blob, static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), checked.data(),
                                                   static_cast<uInt>(checked.size()))));
  return blob;
}

void Decode(std::span<const uint8_t> blob) {
  auto positions = floe::format::puffin::DecodeDeletionVector(blob, kMaxPositions);
  if (!positions.ok()) {
    return;
  }
  if (static_cast<int64_t>(positions->size()) > kMaxPositions) {
    __builtin_trap();
  }
  for (size_t i = 0; i < positions->size(); ++i) {
    if ((*positions)[i] < 0 || (i > 0 && (*positions)[i] <= (*positions)[i - 1])) {
      __builtin_trap();
    }
  }
}

void ReadFooter(std::span<const uint8_t> bytes) {
  floe::io::MemoryFileSystem files;
  std::string text(bytes.begin(), bytes.end());
  if (!files.CreateExclusive("fuzz.puffin", text).ok()) {
    __builtin_trap();
  }
  auto file = files.OpenInputFile("fuzz.puffin");
  if (!file.ok()) {
    __builtin_trap();
  }
  auto footer = floe::format::puffin::ReadPuffinFooter(**file);
  if (!footer.ok()) {
    return;
  }
  for (const auto& blob : footer->blobs) {
    if (blob.offset < 4 || blob.length < 0 || blob.offset + blob.length > (*file)->Size()) {
      __builtin_trap();
    }
    auto content = (*file)->ReadAt(blob.offset, blob.length);
    if (!content.ok()) {
      __builtin_trap();
    }
    Decode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(content->data()),
                                    content->size()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  std::span<const uint8_t> rest(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      Decode(rest);
      break;
    case 1:
      Decode(Envelope(rest));
      break;
    default:
      ReadFooter(rest);
      break;
  }
  return 0;
}
