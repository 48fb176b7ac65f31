// Runs one Parquet value decoder over arbitrary bytes. Input: byte 0 picks the decoder, byte 1
// the bit width or value width, byte 2 the value count (times 16), the rest is encoded data.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "format/parquet/encoding/byte_stream_split.h"
#include "format/parquet/encoding/delta_binary_packed.h"
#include "format/parquet/encoding/delta_byte_array.h"
#include "format/parquet/encoding/plain.h"
#include "format/parquet/encoding/rle_bit_packed.h"

namespace {
using namespace floe::format::parquet;

template <typename T>
void DecodeDelta(std::span<const uint8_t> data, int64_t count) {
  auto decoder = DeltaBinaryPackedDecoder<T>::Make(data);
  if (!decoder.ok()) {
    return;
  }
  std::vector<T> values(static_cast<size_t>(count));
  // Two uneven batches exercise resuming inside a miniblock.
  int64_t first = count / 3;
  if (decoder->Decode(values.data(), first).ok()) {
    (void)decoder->Decode(values.data() + first, count - first);
  }
}

void DecodeRle(std::span<const uint8_t> data, int width, int64_t count) {
  std::vector<uint32_t> wide(static_cast<size_t>(count));
  RleBitPackedDecoder decoder(data, width);
  int64_t first = count / 5;
  if (decoder.Decode(wide.data(), first).ok()) {
    (void)decoder.Decode(wide.data() + first, count - first);
  }
  std::vector<uint8_t> narrow(static_cast<size_t>(count));
  (void)RleBitPackedDecoder(data, width).Decode(narrow.data(), count);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) {
    return 0;
  }
  int width = data[1] % 70 - 3;  // Mostly valid widths, a few invalid ones.
  int64_t count = int64_t{data[2]} * 16 + data[1] % 16;
  std::span<const uint8_t> input(data + 3, size - 3);
  std::vector<std::string_view> views(static_cast<size_t>(count));
  std::vector<uint8_t> bytes(static_cast<size_t>(count) * 72);
  std::string storage;
  switch (data[0] % 10) {
    case 0:
      DecodeRle(input, width, count);
      break;
    case 1: {
      std::vector<uint32_t> values(static_cast<size_t>(count));
      (void)DecodeLegacyBitPacked(input, width, values);
      break;
    }
    case 2:
      DecodeDelta<int32_t>(input, count);
      break;
    case 3:
      DecodeDelta<int64_t>(input, count);
      break;
    case 4:
      (void)DecodeDeltaLengthByteArray(input, views);
      break;
    case 5:
      (void)DecodeDeltaByteArray(input, views, storage, 1 << 20);
      break;
    case 6:
      (void)DecodePlainByteArrays(input, views);
      (void)DecodePlainFixedLenByteArrays(input, width, views);
      break;
    case 7: {
      (void)DecodePlainBooleans(input, width, std::span<uint8_t>(bytes.data(), count));
      std::vector<Int96> values(static_cast<size_t>(count));
      (void)DecodePlain<Int96>(input, values);
      break;
    }
    default:
      if (width > 0) {
        int64_t values = static_cast<int64_t>(input.size()) / width;
        (void)DecodeByteStreamSplit(input, width, values, values / 3,
                                    std::min(count, values - values / 3), bytes.data());
      }
  }
  return 0;
}
