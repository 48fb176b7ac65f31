#pragma once

// Writes Roaring bitmaps, deletion-vector-v1 blobs and Puffin files byte by byte from the
// specifications, so that the decoders are tested against an encoder that shares no code with
// them (the checksum included).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace floe::format::puffin::testing {

enum class ContainerKind { kArray, kBitmap, kRun };

struct TestContainer {
  uint16_t key = 0;
  std::vector<uint16_t> values;  // Ascending.
  ContainerKind kind = ContainerKind::kArray;
};

inline void Put16(std::vector<uint8_t>& out, uint32_t value) {
  out.push_back(static_cast<uint8_t>(value));
  out.push_back(static_cast<uint8_t>(value >> 8));
}

inline void Put32(std::vector<uint8_t>& out, uint32_t value) {
  Put16(out, value & 0xffff);
  Put16(out, value >> 16);
}

inline void Put64(std::vector<uint8_t>& out, uint64_t value) {
  Put32(out, static_cast<uint32_t>(value));
  Put32(out, static_cast<uint32_t>(value >> 32));
}

inline void PutBigEndian32(std::vector<uint8_t>& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<uint8_t>(value >> shift));
  }
}

// Runs of consecutive values as (start, length - 1) pairs.
inline std::vector<std::pair<uint16_t, uint16_t>> Runs(const std::vector<uint16_t>& values) {
  std::vector<std::pair<uint16_t, uint16_t>> runs;
  for (uint16_t value : values) {
    if (!runs.empty() && runs.back().first + runs.back().second + 1 == value) {
      ++runs.back().second;
    } else {
      runs.emplace_back(value, 0);
    }
  }
  return runs;
}

inline std::vector<uint8_t> ContainerBytes(const TestContainer& container) {
  std::vector<uint8_t> out;
  switch (container.kind) {
    case ContainerKind::kArray:
      for (uint16_t value : container.values) {
        Put16(out, value);
      }
      break;
    case ContainerKind::kBitmap: {
      std::vector<uint64_t> words(1024, 0);
      for (uint16_t value : container.values) {
        words[value / 64] |= uint64_t{1} << (value % 64);
      }
      for (uint64_t word : words) {
        Put64(out, word);
      }
      break;
    }
    case ContainerKind::kRun: {
      auto runs = Runs(container.values);
      Put16(out, static_cast<uint32_t>(runs.size()));
      for (const auto& [start, length_minus_one] : runs) {
        Put16(out, start);
        Put16(out, length_minus_one);
      }
      break;
    }
  }
  return out;
}

// A standard 32-bit Roaring bitmap, with the run cookie when any container is a run container.
inline std::vector<uint8_t> Roaring32(const std::vector<TestContainer>& containers) {
  const uint32_t count = static_cast<uint32_t>(containers.size());
  bool has_runs = false;
  for (const TestContainer& container : containers) {
    has_runs = has_runs || container.kind == ContainerKind::kRun;
  }
  std::vector<uint8_t> out;
  size_t header_size = 0;
  if (has_runs) {
    Put32(out, 12347 | (count - 1) << 16);
    std::vector<uint8_t> flags((count + 7) / 8, 0);
    for (uint32_t i = 0; i < count; ++i) {
      if (containers[i].kind == ContainerKind::kRun) {
        flags[i / 8] |= static_cast<uint8_t>(1 << (i % 8));
      }
    }
    out.insert(out.end(), flags.begin(), flags.end());
    header_size = out.size() + 4 * count + (count >= 4 ? 4 * count : 0);
  } else {
    Put32(out, 12346);
    Put32(out, count);
    header_size = out.size() + 8 * count;
  }
  std::vector<std::vector<uint8_t>> bodies;
  for (const TestContainer& container : containers) {
    Put16(out, container.key);
    Put16(out, static_cast<uint32_t>(container.values.size() - 1));
    bodies.push_back(ContainerBytes(container));
  }
  if (!has_runs || count >= 4) {
    uint32_t offset = static_cast<uint32_t>(header_size);
    for (const auto& body : bodies) {
      Put32(out, offset);
      offset += static_cast<uint32_t>(body.size());
    }
  }
  for (const auto& body : bodies) {
    out.insert(out.end(), body.begin(), body.end());
  }
  return out;
}

// The portable 64-bit serialization: a bucket count, then each bucket's key and bitmap.
inline std::vector<uint8_t> Roaring64(
    const std::vector<std::pair<uint32_t, std::vector<TestContainer>>>& buckets) {
  std::vector<uint8_t> out;
  Put64(out, buckets.size());
  for (const auto& [key, containers] : buckets) {
    Put32(out, key);
    auto bitmap = Roaring32(containers);
    out.insert(out.end(), bitmap.begin(), bitmap.end());
  }
  return out;
}

// CRC-32 as gzip defines it, bit by bit.
inline uint32_t BitwiseCrc32(const uint8_t* data, size_t size) {
  uint32_t crc = 0xffffffff;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1) ^ (0xedb88320 & (0u - (crc & 1)));
    }
  }
  return ~crc;
}

// A deletion-vector-v1 blob around a serialized 64-bit bitmap.
inline std::vector<uint8_t> DeletionVectorBlob(const std::vector<uint8_t>& bitmap) {
  std::vector<uint8_t> checked = {0xd1, 0xd3, 0x39, 0x64};
  checked.insert(checked.end(), bitmap.begin(), bitmap.end());
  std::vector<uint8_t> out;
  PutBigEndian32(out, static_cast<uint32_t>(checked.size()));
  out.insert(out.end(), checked.begin(), checked.end());
  PutBigEndian32(out, BitwiseCrc32(checked.data(), checked.size()));
  return out;
}

// A Puffin file holding `blobs` one after the other, with a footer describing them as
// deletion vectors of the paths given. Returns the file and each blob's offset.
inline std::pair<std::string, std::vector<int64_t>> PuffinFile(
    const std::vector<std::pair<std::string, std::vector<uint8_t>>>& blobs) {
  std::string file = "PFA1";
  std::vector<int64_t> offsets;
  std::string json = R"({"blobs":[)";
  for (size_t i = 0; i < blobs.size(); ++i) {
    offsets.push_back(static_cast<int64_t>(file.size()));
    json +=
        (i > 0 ? "," : "") + std::string(R"({"type":"deletion-vector-v1","fields":[2147483645],)") +
        R"("snapshot-id":-1,"sequence-number":-1,"offset":)" + std::to_string(file.size()) +
        R"(,"length":)" + std::to_string(blobs[i].second.size()) +
        R"(,"properties":{"referenced-data-file":")" + blobs[i].first + R"(","cardinality":"1"}})";
    file.append(blobs[i].second.begin(), blobs[i].second.end());
  }
  json += R"(],"properties":{"created-by":"test"}})";
  file += "PFA1" + json;
  std::vector<uint8_t> trailer;
  Put32(trailer, static_cast<uint32_t>(json.size()));
  Put32(trailer, 0);
  file.append(trailer.begin(), trailer.end());
  file += "PFA1";
  return {file, offsets};
}

}  // namespace floe::format::puffin::testing
