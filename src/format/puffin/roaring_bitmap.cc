#include "format/puffin/roaring_bitmap.h"

#include <bit>
#include <cstring>

namespace floe::format::puffin {

namespace {

// Cookies and limits of the Roaring format specification ("Standard 32-bit Roaring Bitmap").
constexpr uint32_t kCookieNoRunContainers = 12346;
constexpr uint32_t kCookie = 12347;
constexpr uint32_t kNoOffsetThreshold = 4;
constexpr uint32_t kMaxContainers = 65536;
constexpr uint32_t kMaxArrayCardinality = 4096;
constexpr size_t kBitmapContainerBytes = 8192;

// Little-endian fields read from the front of a span, with every read checked against its end.
class LittleEndianReader {
 public:
  explicit LittleEndianReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t consumed() const { return consumed_; }
  size_t remaining() const { return bytes_.size() - consumed_; }
  std::span<const uint8_t> rest() const { return bytes_.subspan(consumed_); }

  Result<std::span<const uint8_t>> Take(size_t length, const char* what) {
    if (length > remaining()) {
      return Status::Corruption("roaring bitmap truncated: {} needs {} bytes at offset {}, {} left",
                                what, length, consumed_, remaining());
    }
    std::span<const uint8_t> taken = bytes_.subspan(consumed_, length);
    consumed_ += length;
    return taken;
  }

  template <typename T>
  Result<T> Read(const char* what) {
    FLOE_ASSIGN_OR_RETURN(std::span<const uint8_t> taken, Take(sizeof(T), what));
    T value = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      value |= static_cast<T>(static_cast<T>(taken[i]) << (8 * i));
    }
    return value;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t consumed_ = 0;
};

uint16_t Load16(std::span<const uint8_t> bytes, size_t index) {
  return static_cast<uint16_t>(bytes[2 * index] | bytes[2 * index + 1] << 8);
}

// Describes one container as the descriptive header and the run flags give it.
struct ContainerHeader {
  uint16_t key = 0;
  uint32_t cardinality = 0;
  bool is_run = false;
};

Status CheckRoom(size_t have, uint32_t adding, int64_t max_values) {
  if (static_cast<int64_t>(have) + adding > max_values) {
    return Status::Corruption("roaring bitmap holds more than {} values", max_values);
  }
  return Status::OK();
}

Status DecodeArray(LittleEndianReader& reader, const ContainerHeader& header, uint64_t base,
                   std::vector<int64_t>& values) {
  FLOE_ASSIGN_OR_RETURN(std::span<const uint8_t> data,
                        reader.Take(size_t{2} * header.cardinality, "an array container"));
  for (uint32_t i = 0; i < header.cardinality; ++i) {
    uint16_t low = Load16(data, i);
    if (i > 0 && low <= Load16(data, i - 1)) {
      return Status::Corruption("roaring array container {} is not strictly ascending", header.key);
    }
    values.push_back(static_cast<int64_t>(base | low));
  }
  return Status::OK();
}

Status DecodeBitmap(LittleEndianReader& reader, const ContainerHeader& header, uint64_t base,
                    std::vector<int64_t>& values) {
  FLOE_ASSIGN_OR_RETURN(std::span<const uint8_t> data,
                        reader.Take(kBitmapContainerBytes, "a bitmap container"));
  uint32_t count = 0;
  for (size_t word = 0; word < kBitmapContainerBytes / 8; ++word) {
    uint64_t bits = 0;
    std::memcpy(&bits, data.data() + word * 8, 8);
    if constexpr (std::endian::native == std::endian::big) {
      bits = __builtin_bswap64(bits);
    }
    count += static_cast<uint32_t>(std::popcount(bits));
  }
  // The cardinality was checked against the room left before this container; the bits must
  // agree with it before any of them is kept.
  if (count != header.cardinality) {
    return Status::Corruption("roaring bitmap container {} has {} bits set, its header says {}",
                              header.key, count, header.cardinality);
  }
  for (size_t word = 0; word < kBitmapContainerBytes / 8; ++word) {
    uint64_t bits = 0;
    std::memcpy(&bits, data.data() + word * 8, 8);
    if constexpr (std::endian::native == std::endian::big) {
      bits = __builtin_bswap64(bits);
    }
    while (bits != 0) {
      const uint64_t low = word * 64 + static_cast<uint64_t>(std::countr_zero(bits));
      values.push_back(static_cast<int64_t>(base | low));
      bits &= bits - 1;
    }
  }
  return Status::OK();
}

Status DecodeRuns(LittleEndianReader& reader, const ContainerHeader& header, uint64_t base,
                  std::vector<int64_t>& values) {
  FLOE_ASSIGN_OR_RETURN(uint16_t num_runs, reader.Read<uint16_t>("a run count"));
  FLOE_ASSIGN_OR_RETURN(std::span<const uint8_t> data,
                        reader.Take(size_t{4} * num_runs, "a run container"));
  // Runs are sorted and disjoint, and their lengths add up to the stored cardinality; checked
  // in full before any value is kept, so a container cannot expand past what was reserved.
  uint64_t total = 0;
  int64_t previous_end = -1;
  for (uint32_t run = 0; run < num_runs; ++run) {
    const uint32_t start = Load16(data, 2 * run);
    const uint32_t end = start + Load16(data, 2 * run + 1);
    if (end > 0xffff || static_cast<int64_t>(start) <= previous_end) {
      return Status::Corruption("roaring run container {} has a run out of order or past 65535",
                                header.key);
    }
    previous_end = end;
    total += end - start + 1;
  }
  if (total != header.cardinality) {
    return Status::Corruption("roaring run container {} holds {} values, its header says {}",
                              header.key, total, header.cardinality);
  }
  for (uint32_t run = 0; run < num_runs; ++run) {
    const uint32_t start = Load16(data, 2 * run);
    const uint32_t end = start + Load16(data, 2 * run + 1);
    for (uint32_t low = start; low <= end; ++low) {
      values.push_back(static_cast<int64_t>(base | low));
    }
  }
  return Status::OK();
}

}  // namespace

Result<size_t> DecodeRoaring32(std::span<const uint8_t> bytes, uint64_t high, int64_t max_values,
                               std::vector<int64_t>& values) {
  LittleEndianReader reader(bytes);
  FLOE_ASSIGN_OR_RETURN(uint32_t cookie, reader.Read<uint32_t>("the cookie"));
  uint32_t count = 0;
  bool has_runs = false;
  std::span<const uint8_t> run_flags;
  if (cookie == kCookieNoRunContainers) {
    FLOE_ASSIGN_OR_RETURN(count, reader.Read<uint32_t>("the container count"));
    if (count > kMaxContainers) {
      return Status::Corruption("roaring bitmap claims {} containers, at most {} exist", count,
                                kMaxContainers);
    }
  } else if ((cookie & 0xffff) == kCookie) {
    has_runs = true;
    count = (cookie >> 16) + 1;
    FLOE_ASSIGN_OR_RETURN(run_flags, reader.Take((count + 7) / 8, "the run container flags"));
  } else {
    return Status::Corruption("roaring bitmap has an unknown cookie {:#x}", cookie);
  }
  FLOE_ASSIGN_OR_RETURN(std::span<const uint8_t> descriptions,
                        reader.Take(size_t{4} * count, "the descriptive header"));
  if (!has_runs || count >= kNoOffsetThreshold) {
    // Offsets only serve random access; containers are read in order.
    FLOE_ASSIGN_OR_RETURN(std::span<const uint8_t> offsets,
                          reader.Take(size_t{4} * count, "the offset header"));
    (void)offsets;
  }
  const uint64_t base_high = high << 32;
  for (uint32_t i = 0; i < count; ++i) {
    ContainerHeader header;
    header.key = Load16(descriptions, 2 * i);
    header.cardinality = uint32_t{Load16(descriptions, 2 * i + 1)} + 1;
    header.is_run = has_runs && (run_flags[i / 8] >> (i % 8) & 1) != 0;
    if (i > 0 && header.key <= Load16(descriptions, 2 * (i - 1))) {
      return Status::Corruption("roaring container keys are not strictly ascending at {}",
                                header.key);
    }
    FLOE_RETURN_NOT_OK(CheckRoom(values.size(), header.cardinality, max_values));
    const uint64_t base = base_high | uint64_t{header.key} << 16;
    if (header.is_run) {
      FLOE_RETURN_NOT_OK(DecodeRuns(reader, header, base, values));
    } else if (header.cardinality <= kMaxArrayCardinality) {
      FLOE_RETURN_NOT_OK(DecodeArray(reader, header, base, values));
    } else {
      FLOE_RETURN_NOT_OK(DecodeBitmap(reader, header, base, values));
    }
  }
  return reader.consumed();
}

Result<std::vector<int64_t>> DecodeRoaring64(std::span<const uint8_t> bytes, int64_t max_values) {
  LittleEndianReader reader(bytes);
  FLOE_ASSIGN_OR_RETURN(uint64_t buckets, reader.Read<uint64_t>("the bucket count"));
  // Each bucket takes at least a key and an empty bitmap's 8 bytes.
  if (buckets > reader.remaining() / 12) {
    return Status::Corruption("roaring bitmap claims {} buckets in {} bytes", buckets,
                              reader.remaining());
  }
  std::vector<int64_t> values;
  int64_t previous_key = -1;
  for (uint64_t bucket = 0; bucket < buckets; ++bucket) {
    FLOE_ASSIGN_OR_RETURN(uint32_t key, reader.Read<uint32_t>("a bucket key"));
    if (key > 0x7fffffff) {
      return Status::Corruption("roaring bitmap key {:#x} makes values above 63 bits", key);
    }
    if (static_cast<int64_t>(key) <= previous_key) {
      return Status::Corruption("roaring bitmap bucket keys are not strictly ascending at {}", key);
    }
    previous_key = key;
    FLOE_ASSIGN_OR_RETURN(size_t used, DecodeRoaring32(reader.rest(), key, max_values, values));
    FLOE_RETURN_NOT_OK(reader.Take(used, "a bucket").status());
  }
  if (reader.remaining() != 0) {
    return Status::Corruption("roaring bitmap is followed by {} unexpected bytes",
                              reader.remaining());
  }
  return values;
}

}  // namespace floe::format::puffin
