// COPY ... FROM STDIN data comes from clients: any bytes, in either format, split into chunks
// anywhere, must decode into rows of the expected width or fail with a Status, never crash.
// The first byte picks the format options, the second the chunk size.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "sql/engine/copy_decoder.h"

namespace engine = floe::sql::engine;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) {
    return 0;
  }
  engine::CopyFormat format;
  uint8_t flags = data[0];
  if ((flags & 1) != 0) {
    format.kind = engine::CopyFormat::Kind::kCsv;
    format.delimiter = ',';
    format.null_text = "";
  }
  format.header = (flags & 2) != 0;
  if ((flags & 4) != 0) {
    format.escape = '\\';
  }
  if ((flags & 8) != 0) {
    format.delimiter = '|';
  }
  std::vector<std::string> names;
  for (int i = 0; i < 1 + (flags >> 4) % 4; ++i) {
    names.push_back("c" + std::to_string(i));
  }
  size_t piece = 1 + data[1];
  std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  engine::CopyRowDecoder decoder(format, names);
  std::vector<engine::TextRow> rows;
  floe::Status status;
  for (size_t at = 0; at < input.size() && status.ok(); at += piece) {
    status = decoder.Feed(input.substr(at, piece), rows);
  }
  if (status.ok()) {
    status = decoder.Finish(rows);
  }
  for (const engine::TextRow& row : rows) {
    FLOE_CHECK(row.size() == names.size());
  }
  return 0;
}
