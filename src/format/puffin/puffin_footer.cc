#include "format/puffin/puffin_footer.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "io/file_system.h"

namespace floe::format::puffin {

namespace {

using Json = nlohmann::json;

// FooterPayloadSize, Flags and the closing magic.
constexpr int64_t kTrailerSize = 12;
constexpr uint8_t kFooterCompressedFlag = 0x01;

uint32_t LoadLittleEndian32(std::span<const uint8_t> bytes) {
  return uint32_t{bytes[0]} | uint32_t{bytes[1]} << 8 | uint32_t{bytes[2]} << 16 |
         uint32_t{bytes[3]} << 24;
}

std::span<const uint8_t> Bytes(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

Result<std::map<std::string, std::string>> ParseProperties(const Json& json) {
  std::map<std::string, std::string> properties;
  if (json.is_null()) {
    return properties;
  }
  if (!json.is_object()) {
    return Status::Corruption("Puffin footer properties are not a JSON object");
  }
  for (const auto& [key, value] : json.items()) {
    if (!value.is_string()) {
      return Status::Corruption("Puffin footer property {} is not a string", key);
    }
    properties[key] = value.get<std::string>();
  }
  return properties;
}

Result<PuffinBlob> ParseBlob(const Json& json) {
  if (!json.is_object() || !json.contains("type") || !json["type"].is_string() ||
      !json.contains("offset") || !json["offset"].is_number_integer() || !json.contains("length") ||
      !json["length"].is_number_integer()) {
    return Status::Corruption("Puffin footer blob lacks a type, an offset or a length");
  }
  PuffinBlob blob;
  blob.type = json["type"].get<std::string>();
  blob.offset = json["offset"].get<int64_t>();
  blob.length = json["length"].get<int64_t>();
  if (blob.offset < 0 || blob.length < 0) {
    return Status::Corruption("Puffin footer blob {} has offset {} and length {}", blob.type,
                              blob.offset, blob.length);
  }
  if (json.contains("fields") && json["fields"].is_array()) {
    for (const Json& field : json["fields"]) {
      if (field.is_number_integer()) {
        blob.fields.push_back(field.get<int32_t>());
      }
    }
  }
  if (json.contains("snapshot-id") && json["snapshot-id"].is_number_integer()) {
    blob.snapshot_id = json["snapshot-id"].get<int64_t>();
  }
  if (json.contains("sequence-number") && json["sequence-number"].is_number_integer()) {
    blob.sequence_number = json["sequence-number"].get<int64_t>();
  }
  if (json.contains("compression-codec") && json["compression-codec"].is_string()) {
    blob.compression_codec = json["compression-codec"].get<std::string>();
  }
  if (json.contains("properties")) {
    FLOE_ASSIGN_OR_RETURN(blob.properties, ParseProperties(json["properties"]));
  }
  return blob;
}

}  // namespace

bool HasPuffinMagic(std::span<const uint8_t> head) {
  return head.size() >= 4 && std::equal(head.begin(), head.begin() + 4, kPuffinMagic);
}

Result<PuffinFooter> ParsePuffinFooter(std::string_view json_text) {
  Json json = Json::parse(json_text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("blobs") ||
      !json["blobs"].is_array()) {
    return Status::Corruption("Puffin footer is not a JSON object with a list of blobs");
  }
  PuffinFooter footer;
  for (const Json& blob : json["blobs"]) {
    FLOE_ASSIGN_OR_RETURN(PuffinBlob parsed, ParseBlob(blob));
    footer.blobs.push_back(std::move(parsed));
  }
  if (json.contains("properties")) {
    FLOE_ASSIGN_OR_RETURN(footer.properties, ParseProperties(json["properties"]));
  }
  return footer;
}

Result<PuffinFooter> ReadPuffinFooter(const io::RandomAccessFile& file) {
  const int64_t size = file.Size();
  // The smallest file: magic, then a footer of magic, empty payload and trailer.
  if (size < 4 + 4 + kTrailerSize) {
    return Status::Corruption("Puffin file {} of {} bytes is too short", file.path(), size);
  }
  FLOE_ASSIGN_OR_RETURN(std::string head, file.ReadAt(0, 4));
  FLOE_ASSIGN_OR_RETURN(std::string trailer, file.ReadAt(size - kTrailerSize, kTrailerSize));
  std::span<const uint8_t> trailer_bytes = Bytes(trailer);
  if (!HasPuffinMagic(Bytes(head)) || !HasPuffinMagic(trailer_bytes.subspan(8))) {
    return Status::Corruption("Puffin file {} lacks the magic PFA1 at its start or end",
                              file.path());
  }
  const int64_t payload_size = LoadLittleEndian32(trailer_bytes.first(4));
  if ((trailer_bytes[4] & kFooterCompressedFlag) != 0) {
    return Status::NotSupported("compressed Puffin footer in {}", file.path());
  }
  const int64_t footer_start = size - kTrailerSize - payload_size - 4;
  if (payload_size > size || footer_start < 4) {
    return Status::Corruption("Puffin file {} of {} bytes records a footer of {} bytes",
                              file.path(), size, payload_size);
  }
  FLOE_ASSIGN_OR_RETURN(std::string footer_bytes, file.ReadAt(footer_start, payload_size + 4));
  if (!HasPuffinMagic(Bytes(footer_bytes))) {
    return Status::Corruption("Puffin file {} lacks the magic PFA1 before its footer", file.path());
  }
  auto footer = ParsePuffinFooter(std::string_view(footer_bytes).substr(4));
  if (!footer.ok()) {
    return footer.status().WithContext(file.path());
  }
  for (const PuffinBlob& blob : footer->blobs) {
    if (blob.offset < 4 || blob.length > footer_start - blob.offset) {
      return Status::Corruption(
          "Puffin file {} has a {} blob at offset {} of {} bytes outside "
          "its {} bytes of blobs",
          file.path(), blob.type, blob.offset, blob.length, footer_start);
    }
  }
  return footer;
}

}  // namespace floe::format::puffin
