#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "format/avro/avro_binary.h"
#include "format/avro/avro_schema.h"

namespace floe::format::avro {

struct AvroMapEntry;

/// A decoded Avro value of any schema, for generic tools and tests. Readers that care about
/// speed (manifests) decode straight into their own structs with AvroDecoder instead.
///
/// The payload's alternative follows the schema: null is monostate; boolean, int, long, float
/// and double their C++ types; string, bytes and fixed a std::string; enum the symbol index as
/// int32_t; record fields (in schema order) and array items an `Items`; a map its `Entries`.
/// For a union, `branch` picks the branch and the payload holds that branch's value.
struct AvroValue {
  using Items = std::vector<AvroValue>;
  using Entries = std::vector<AvroMapEntry>;

  std::variant<std::monostate, bool, int32_t, int64_t, float, double, std::string, Items, Entries>
      payload;
  int32_t branch = 0;

  friend bool operator==(const AvroValue&, const AvroValue&);
};

struct AvroMapEntry {
  std::string key;
  AvroValue value;

  friend bool operator==(const AvroMapEntry&, const AvroMapEntry&) = default;
};

/// Decodes one value of `schema`; Corruption on malformed input.
Result<AvroValue> ReadAvroValue(const AvroSchema& schema, AvroDecoder& decoder);

/// Encodes `value` as `schema`; InvalidArgument when the value does not match the schema.
Status WriteAvroValue(const AvroSchema& schema, const AvroValue& value, AvroEncoder& encoder);

}  // namespace floe::format::avro
