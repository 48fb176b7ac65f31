#include "table/manifest_avro_internal.h"

#include <charconv>

namespace floe::table::internal {
namespace {

using format::avro::AvroType;

Status WrongType(const AvroSchema& schema, std::string_view expected) {
  return Status::Corruption("manifest field is a {}, expected {}",
                            format::avro::AvroTypeName(schema.type), expected);
}

Result<int32_t> ParseKey(std::string_view text) {
  int32_t key = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), key);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Status::Corruption("manifest map key is not a field id: '{}'", text);
  }
  return key;
}

// Reads the pairs of an int-keyed map, handing each key and value schema to `read_pair`.
template <typename ReadPair>
Status ReadIntKeyed(const AvroSchema& schema, AvroDecoder& decoder, ReadPair&& read_pair) {
  FLOE_ASSIGN_OR_RETURN(const AvroSchema* present, ReadPresent(schema, decoder));
  if (present == nullptr) {
    return Status::OK();
  }
  if (present->type == AvroType::kMap) {
    const AvroSchema& value = present->children[0];
    while (true) {
      FLOE_ASSIGN_OR_RETURN(int64_t count, decoder.ReadBlockCount(value));
      if (count == 0) {
        return Status::OK();
      }
      for (int64_t i = 0; i < count; ++i) {
        FLOE_ASSIGN_OR_RETURN(std::string_view text, decoder.ReadBytes());
        FLOE_ASSIGN_OR_RETURN(int32_t key, ParseKey(text));
        FLOE_RETURN_NOT_OK(read_pair(key, value));
      }
    }
  }
  if (present->type != AvroType::kArray || present->children[0].type != AvroType::kRecord) {
    return WrongType(*present, "an int-keyed map");
  }
  const AvroSchema& entry = present->children[0];
  int key_index = entry.FieldIndex("key");
  int value_index = entry.FieldIndex("value");
  if (key_index < 0 || value_index < 0) {
    return Status::Corruption("manifest map entry record '{}' lacks key or value", entry.name);
  }
  return ReadArray(*present, decoder, [&](const AvroSchema&) -> Status {
    int32_t key = 0;
    for (int i = 0; i < static_cast<int>(entry.children.size()); ++i) {
      if (i == key_index) {
        FLOE_ASSIGN_OR_RETURN(int64_t value, ReadInteger(entry.children[i], decoder));
        key = static_cast<int32_t>(value);
      } else if (i == value_index) {
        // Avro records encode fields in order; Iceberg always writes the key first.
        if (value_index < key_index) {
          return Status::NotSupported("manifest map entries with the value before the key");
        }
        FLOE_RETURN_NOT_OK(read_pair(key, entry.children[i]));
      } else {
        FLOE_RETURN_NOT_OK(decoder.Skip(entry.children[i]));
      }
    }
    return Status::OK();
  });
}

}  // namespace

std::vector<int32_t> FieldIds(const AvroSchema& record, std::initializer_list<FieldName> names) {
  std::vector<int32_t> ids;
  ids.reserve(record.fields.size());
  for (const auto& field : record.fields) {
    std::optional<int32_t> id = field.field_id();
    if (!id) {
      for (const FieldName& known : names) {
        if (known.name == field.name) {
          id = known.id;
        }
      }
    }
    ids.push_back(id.value_or(-1));
  }
  return ids;
}

Result<const AvroSchema*> ReadPresent(const AvroSchema& schema, AvroDecoder& decoder) {
  if (schema.type != AvroType::kUnion) {
    return schema.type == AvroType::kNull ? nullptr : &schema;
  }
  FLOE_ASSIGN_OR_RETURN(int32_t branch, decoder.ReadUnionIndex(schema.children.size()));
  const AvroSchema& chosen = schema.children[branch];
  return chosen.type == AvroType::kNull ? nullptr : &chosen;
}

Result<int64_t> ReadInteger(const AvroSchema& schema, AvroDecoder& decoder) {
  if (schema.type == AvroType::kInt || schema.type == AvroType::kLong) {
    return decoder.ReadLong();
  }
  return WrongType(schema, "int or long");
}

Result<std::string_view> ReadBinary(const AvroSchema& schema, AvroDecoder& decoder) {
  if (schema.type == AvroType::kBytes || schema.type == AvroType::kString) {
    return decoder.ReadBytes();
  }
  if (schema.type == AvroType::kFixed) {
    return decoder.ReadFixed(static_cast<size_t>(schema.fixed_size));
  }
  return WrongType(schema, "bytes");
}

Result<bool> ReadBoolean(const AvroSchema& schema, AvroDecoder& decoder) {
  if (schema.type != AvroType::kBoolean) {
    return WrongType(schema, "boolean");
  }
  return decoder.ReadBoolean();
}

Status ReadCounts(const AvroSchema& schema, AvroDecoder& decoder, ColumnCounts& counts) {
  return ReadIntKeyed(schema, decoder, [&](int32_t key, const AvroSchema& value) -> Status {
    FLOE_ASSIGN_OR_RETURN(int64_t count, ReadInteger(value, decoder));
    counts.emplace_back(key, count);
    return Status::OK();
  });
}

Status ReadBounds(const AvroSchema& schema, AvroDecoder& decoder, ColumnBounds& bounds) {
  return ReadIntKeyed(schema, decoder, [&](int32_t key, const AvroSchema& value) -> Status {
    FLOE_ASSIGN_OR_RETURN(std::string_view bytes, ReadBinary(value, decoder));
    bounds.emplace_back(key, std::string(bytes));
    return Status::OK();
  });
}

Status ReadIntegers(const AvroSchema& schema, AvroDecoder& decoder, std::vector<int64_t>& values) {
  FLOE_ASSIGN_OR_RETURN(const AvroSchema* present, ReadPresent(schema, decoder));
  if (present == nullptr) {
    return Status::OK();
  }
  return ReadArray(*present, decoder, [&](const AvroSchema& item) -> Status {
    FLOE_ASSIGN_OR_RETURN(int64_t value, ReadInteger(item, decoder));
    values.push_back(value);
    return Status::OK();
  });
}

}  // namespace floe::table::internal
