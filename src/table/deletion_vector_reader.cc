#include "table/deletion_vector_reader.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <span>
#include <string>

#include "format/puffin/deletion_vector.h"
#include "format/puffin/puffin_footer.h"
#include "io/file_system.h"

namespace floe::table {

namespace {

// A blob records its length in 32 bits; Iceberg's own reader refuses anything over 2 GiB too.
constexpr int64_t kMaxBlobSize = int64_t{1} << 31;

struct BlobRange {
  int64_t offset = 0;
  int64_t length = 0;
};

Result<BlobRange> CheckedRange(const io::RandomAccessFile& file, int64_t offset, int64_t length) {
  const int64_t size = file.Size();
  if (offset < 0 || length < 0 || offset > size || length > size - offset) {
    return Status::Corruption("deletion vector at offset {} of {} bytes lies outside {} ({} bytes)",
                              offset, length, file.path(), size);
  }
  if (length > kMaxBlobSize) {
    return Status::Corruption("deletion vector of {} bytes in {} exceeds {} bytes", length,
                              file.path(), kMaxBlobSize);
  }
  return BlobRange{offset, length};
}

// Finds the blob of a file written without content_offset and content_size_in_bytes.
Result<BlobRange> LocateBlob(const io::RandomAccessFile& file, const DataFile& deletes) {
  std::string head;
  if (file.Size() >= 4) {
    FLOE_ASSIGN_OR_RETURN(head, file.ReadAt(0, 4));
  }
  std::span<const uint8_t> head_bytes(reinterpret_cast<const uint8_t*>(head.data()), head.size());
  if (!format::puffin::HasPuffinMagic(head_bytes)) {
    return CheckedRange(file, 0, file.Size());
  }
  FLOE_ASSIGN_OR_RETURN(format::puffin::PuffinFooter footer,
                        format::puffin::ReadPuffinFooter(file));
  const std::string& referenced = deletes.referenced_data_file.value_or("");
  for (const format::puffin::PuffinBlob& blob : footer.blobs) {
    auto property = blob.properties.find("referenced-data-file");
    if (blob.type == format::puffin::kDeletionVectorBlobType && property != blob.properties.end() &&
        property->second == referenced) {
      return CheckedRange(file, blob.offset, blob.length);
    }
  }
  return Status::NotFound("Puffin file {} holds no deletion vector for {}", file.path(),
                          referenced);
}

}  // namespace

bool IsDeletionVector(const DataFile& file) {
  std::string format = file.file_format;
  std::transform(format.begin(), format.end(), format.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return file.content == FileContent::kPositionDeletes && format == "PUFFIN";
}

Result<std::vector<int64_t>> ReadDeletionVector(io::FileSystem& file_system,
                                                const DataFile& deletes, int64_t max_positions) {
  // The recorded size spares object storage a request (io::OpenRecordedFile).
  FLOE_ASSIGN_OR_RETURN(
      std::unique_ptr<io::RandomAccessFile> file,
      io::OpenRecordedFile(file_system, deletes.file_path, deletes.file_size_in_bytes));
  BlobRange range;
  if (deletes.content_offset.has_value() || deletes.content_size_in_bytes.has_value()) {
    if (!deletes.content_offset.has_value() || !deletes.content_size_in_bytes.has_value()) {
      return Status::Corruption(
          "deletion vector {} has only one of content_offset and "
          "content_size_in_bytes",
          deletes.file_path);
    }
    FLOE_ASSIGN_OR_RETURN(
        range, CheckedRange(*file, *deletes.content_offset, *deletes.content_size_in_bytes));
  } else {
    FLOE_ASSIGN_OR_RETURN(range, LocateBlob(*file, deletes));
  }
  FLOE_ASSIGN_OR_RETURN(std::string blob, file->ReadAt(range.offset, range.length));
  std::span<const uint8_t> blob_bytes(reinterpret_cast<const uint8_t*>(blob.data()), blob.size());
  // The entry's record_count is the vector's cardinality (spec: "Deletion Vectors").
  const int64_t limit = std::max<int64_t>(0, std::min(max_positions, deletes.record_count));
  auto positions = format::puffin::DecodeDeletionVector(blob_bytes, limit);
  if (!positions.ok()) {
    return positions.status().WithContext(
        fmt::format("deletion vector at offset {} of {}", range.offset, deletes.file_path));
  }
  if (static_cast<int64_t>(positions->size()) != deletes.record_count) {
    return Status::Corruption("deletion vector {} holds {} positions, its manifest entry says {}",
                              deletes.file_path, positions->size(), deletes.record_count);
  }
  return positions;
}

}  // namespace floe::table
