// Reads arbitrary bytes as a result file of an asynchronous query (docs/formats/async-results.md)
// and pages through every row. Byte 0 picks how the rest is used: as the whole file (0), as the
// payload of the one block of a file whose framing, checksums and footer are made to match, so
// mutations reach the vector decoding (1), or as the footer payload of such a file (2). Reading
// must fail with a Status or give exactly the rows the footer counts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include <unistd.h>
#include <zlib.h>

#include "server/http/async_result_file.h"

namespace {

constexpr std::string_view kMagic = "FLOEAQR1";
constexpr uint8_t kBigIntTypeId = 4;

template <typename T>
void Put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(value));
}

std::string Frame(std::string_view payload) {
  std::string framed;
  Put<uint64_t>(framed, payload.size());
  Put<uint32_t>(framed, static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0),
                                                    reinterpret_cast<const Bytef*>(payload.data()),
                                                    static_cast<uInt>(payload.size()))));
  framed.append(payload);
  return framed;
}

// One BIGINT column "x", one block at offset 8 holding `rows` rows.
std::string Footer(int64_t rows) {
  std::string footer;
  Put<uint32_t>(footer, 1);
  Put<uint32_t>(footer, 1);
  Put<uint32_t>(footer, 1);
  footer += "x";
  Put<uint8_t>(footer, kBigIntTypeId);
  Put<uint32_t>(footer, 0);
  Put<int64_t>(footer, rows);
  Put<uint64_t>(footer, 1);
  Put<int64_t>(footer, static_cast<int64_t>(kMagic.size()));
  Put<int64_t>(footer, rows);
  return footer;
}

std::string File(std::string_view block_payload, std::string_view footer_payload) {
  std::string file(kMagic);
  file += Frame(block_payload);
  auto footer_offset = static_cast<uint64_t>(file.size());
  file += Frame(footer_payload);
  Put<uint64_t>(file, footer_offset);
  file += kMagic;
  return file;
}

void Read(const std::string& bytes) {
  std::string path = (std::filesystem::temp_directory_path() / "floe-fuzz-result-XXXXXX").string();
  int fd = ::mkstemp(path.data());
  if (fd < 0) {
    __builtin_trap();
  }
  if (::write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    __builtin_trap();
  }
  ::close(fd);
  auto reader = floe::server::http::AsyncResultReader::Open(path);
  ::unlink(path.c_str());
  if (!reader.ok()) {
    return;
  }
  int64_t rows = 0;
  (*reader)->Seek(0, INT64_MAX);
  while (true) {
    auto batch = (*reader)->Next();
    if (!batch.ok() || !batch->has_value()) {
      break;
    }
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      for (const auto& column : (*batch)->columns()) {
        if (column.IsValid(row)) {
          (void)column.GetValue(row);
        }
      }
    }
    rows += (*batch)->num_rows();
  }
  if (rows > (*reader)->num_rows()) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
      Read(rest);
      break;
    case 1: {
      // The block's own row count, so that it agrees with the footer.
      int64_t rows = 0;
      if (rest.size() >= sizeof(rows)) {
        std::memcpy(&rows, rest.data(), sizeof(rows));
      }
      Read(File(rest, Footer(rows)));
      break;
    }
    default: {
      std::string block;
      Put<int64_t>(block, 0);
      Put<uint32_t>(block, 1);
      Read(File(block, rest));
      break;
    }
  }
  return 0;
}
