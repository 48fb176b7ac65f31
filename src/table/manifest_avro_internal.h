#pragma once

// Decoding helpers shared by the manifest and manifest list readers. They read what a writer's
// schema says is there, so files from other writers (optional fields written as required,
// unions in either order, int or long counts) read alike.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "format/avro/avro_binary.h"
#include "format/avro/avro_schema.h"
#include "table/data_file.h"

namespace floe::table::internal {

using format::avro::AvroDecoder;
using format::avro::AvroSchema;

struct FieldName {
  std::string_view name;
  int32_t id;
};

/// Returns each field's id: its "field-id" attribute, else the id `names` gives its name, else
/// -1 (a field to skip).
std::vector<int32_t> FieldIds(const AvroSchema& record, std::initializer_list<FieldName> names);

/// Reads a union's branch index when `schema` is a union; returns the schema of the value that
/// follows, or nullptr when it is null.
Result<const AvroSchema*> ReadPresent(const AvroSchema& schema, AvroDecoder& decoder);

Result<int64_t> ReadInteger(const AvroSchema& schema, AvroDecoder& decoder);
Result<std::string_view> ReadBinary(const AvroSchema& schema, AvroDecoder& decoder);
Result<bool> ReadBoolean(const AvroSchema& schema, AvroDecoder& decoder);

/// Reads an int-keyed map, written as an array of key/value records (Appendix A) or as an Avro
/// map with decimal keys.
Status ReadCounts(const AvroSchema& schema, AvroDecoder& decoder, ColumnCounts& counts);
Status ReadBounds(const AvroSchema& schema, AvroDecoder& decoder, ColumnBounds& bounds);
/// Reads an array of ints or longs.
Status ReadIntegers(const AvroSchema& schema, AvroDecoder& decoder, std::vector<int64_t>& values);

/// Calls `read_item(item_schema)` for each item of an array.
template <typename ReadItem>
Status ReadArray(const AvroSchema& schema, AvroDecoder& decoder, ReadItem&& read_item) {
  if (schema.type != format::avro::AvroType::kArray) {
    return Status::Corruption("manifest field is a {}, not an array",
                              format::avro::AvroTypeName(schema.type));
  }
  const AvroSchema& item = schema.children[0];
  while (true) {
    FLOE_ASSIGN_OR_RETURN(int64_t count, decoder.ReadBlockCount(item));
    if (count == 0) {
      return Status::OK();
    }
    for (int64_t i = 0; i < count; ++i) {
      FLOE_RETURN_NOT_OK(read_item(item));
    }
  }
}

}  // namespace floe::table::internal
