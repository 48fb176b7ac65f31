#include "format/avro/avro_value.h"

namespace floe::format::avro {
namespace {

Status Mismatch(const AvroSchema& schema) {
  return Status::InvalidArgument("Avro value does not match schema type {}",
                                 AvroTypeName(schema.type));
}

template <typename T>
Result<AvroValue> Wrap(Result<T> result) {
  if (!result.ok()) {
    return std::move(result).status();
  }
  return AvroValue{.payload = std::move(result).value()};
}

Result<AvroValue> ReadBlocks(const AvroSchema& schema, AvroDecoder& decoder) {
  const AvroSchema& item = schema.children.at(0);
  AvroValue::Items items;
  AvroValue::Entries entries;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(int64_t count, decoder.ReadBlockCount(item));
    if (count == 0) {
      break;
    }
    for (int64_t i = 0; i < count; ++i) {
      if (schema.type == AvroType::kMap) {
        FLOE_ASSIGN_OR_RETURN(std::string_view key, decoder.ReadBytes());
        FLOE_ASSIGN_OR_RETURN(AvroValue value, ReadAvroValue(item, decoder));
        entries.push_back(AvroMapEntry{std::string(key), std::move(value)});
      } else {
        FLOE_ASSIGN_OR_RETURN(AvroValue value, ReadAvroValue(item, decoder));
        items.push_back(std::move(value));
      }
    }
  }
  if (schema.type == AvroType::kMap) {
    return AvroValue{.payload = std::move(entries)};
  }
  return AvroValue{.payload = std::move(items)};
}

Status WriteItems(const AvroSchema& schema, const AvroValue& value, AvroEncoder& encoder) {
  const AvroSchema& item = schema.children.at(0);
  if (schema.type == AvroType::kArray) {
    const auto* items = std::get_if<AvroValue::Items>(&value.payload);
    if (items == nullptr) {
      return Mismatch(schema);
    }
    if (!items->empty()) {
      encoder.WriteLong(static_cast<int64_t>(items->size()));
      for (const AvroValue& element : *items) {
        FLOE_RETURN_NOT_OK(WriteAvroValue(item, element, encoder));
      }
    }
  } else {
    const auto* entries = std::get_if<AvroValue::Entries>(&value.payload);
    if (entries == nullptr) {
      return Mismatch(schema);
    }
    if (!entries->empty()) {
      encoder.WriteLong(static_cast<int64_t>(entries->size()));
      for (const AvroMapEntry& entry : *entries) {
        encoder.WriteBytes(entry.key);
        FLOE_RETURN_NOT_OK(WriteAvroValue(item, entry.value, encoder));
      }
    }
  }
  encoder.WriteLong(0);
  return Status::OK();
}

template <typename T>
Status WriteAs(const AvroSchema& schema, const AvroValue& value, auto&& write) {
  const T* payload = std::get_if<T>(&value.payload);
  if (payload == nullptr) {
    return Mismatch(schema);
  }
  write(*payload);
  return Status::OK();
}

}  // namespace

bool operator==(const AvroValue& a, const AvroValue& b) {
  return a.branch == b.branch && a.payload == b.payload;
}

Result<AvroValue> ReadAvroValue(const AvroSchema& schema, AvroDecoder& decoder) {
  switch (schema.type) {
    case AvroType::kNull:
      return AvroValue{};
    case AvroType::kBoolean:
      return Wrap(decoder.ReadBoolean());
    case AvroType::kInt:
    case AvroType::kEnum: {
      FLOE_ASSIGN_OR_RETURN(int32_t value, decoder.ReadInt());
      if (schema.type == AvroType::kEnum &&
          (value < 0 || static_cast<size_t>(value) >= schema.symbols.size())) {
        return Status::Corruption("Avro enum index {} out of range", value);
      }
      return AvroValue{.payload = value};
    }
    case AvroType::kLong:
      return Wrap(decoder.ReadLong());
    case AvroType::kFloat:
      return Wrap(decoder.ReadFloat());
    case AvroType::kDouble:
      return Wrap(decoder.ReadDouble());
    case AvroType::kBytes:
    case AvroType::kString: {
      FLOE_ASSIGN_OR_RETURN(std::string_view bytes, decoder.ReadBytes());
      return AvroValue{.payload = std::string(bytes)};
    }
    case AvroType::kFixed: {
      FLOE_ASSIGN_OR_RETURN(std::string_view bytes,
                            decoder.ReadFixed(static_cast<size_t>(schema.fixed_size)));
      return AvroValue{.payload = std::string(bytes)};
    }
    case AvroType::kRecord: {
      AvroValue::Items fields;
      fields.reserve(schema.children.size());
      for (const AvroSchema& child : schema.children) {
        FLOE_ASSIGN_OR_RETURN(AvroValue field, ReadAvroValue(child, decoder));
        fields.push_back(std::move(field));
      }
      return AvroValue{.payload = std::move(fields)};
    }
    case AvroType::kUnion: {
      FLOE_ASSIGN_OR_RETURN(int32_t branch, decoder.ReadUnionIndex(schema.children.size()));
      FLOE_ASSIGN_OR_RETURN(AvroValue value, ReadAvroValue(schema.children[branch], decoder));
      value.branch = branch;
      return value;
    }
    case AvroType::kArray:
    case AvroType::kMap:
      return ReadBlocks(schema, decoder);
  }
  return Status::Corruption("unknown Avro type");
}

Status WriteAvroValue(const AvroSchema& schema, const AvroValue& value, AvroEncoder& encoder) {
  switch (schema.type) {
    case AvroType::kNull:
      return std::holds_alternative<std::monostate>(value.payload) ? Status::OK()
                                                                   : Mismatch(schema);
    case AvroType::kBoolean:
      return WriteAs<bool>(schema, value, [&](bool v) { encoder.WriteBoolean(v); });
    case AvroType::kInt:
    case AvroType::kEnum:
      return WriteAs<int32_t>(schema, value, [&](int32_t v) { encoder.WriteInt(v); });
    case AvroType::kLong:
      return WriteAs<int64_t>(schema, value, [&](int64_t v) { encoder.WriteLong(v); });
    case AvroType::kFloat:
      return WriteAs<float>(schema, value, [&](float v) { encoder.WriteFloat(v); });
    case AvroType::kDouble:
      return WriteAs<double>(schema, value, [&](double v) { encoder.WriteDouble(v); });
    case AvroType::kBytes:
    case AvroType::kString:
      return WriteAs<std::string>(schema, value,
                                  [&](const std::string& v) { encoder.WriteBytes(v); });
    case AvroType::kFixed: {
      const auto* bytes = std::get_if<std::string>(&value.payload);
      if (bytes == nullptr || bytes->size() != static_cast<size_t>(schema.fixed_size)) {
        return Mismatch(schema);
      }
      encoder.WriteFixed(*bytes);
      return Status::OK();
    }
    case AvroType::kRecord: {
      const auto* fields = std::get_if<AvroValue::Items>(&value.payload);
      if (fields == nullptr || fields->size() != schema.children.size()) {
        return Mismatch(schema);
      }
      for (size_t i = 0; i < fields->size(); ++i) {
        FLOE_RETURN_NOT_OK(WriteAvroValue(schema.children[i], (*fields)[i], encoder));
      }
      return Status::OK();
    }
    case AvroType::kUnion: {
      if (value.branch < 0 || static_cast<size_t>(value.branch) >= schema.children.size()) {
        return Mismatch(schema);
      }
      encoder.WriteUnionIndex(value.branch);
      AvroValue inner;
      inner.payload = value.payload;
      return WriteAvroValue(schema.children[value.branch], inner, encoder);
    }
    case AvroType::kArray:
    case AvroType::kMap:
      return WriteItems(schema, value, encoder);
  }
  return Mismatch(schema);
}

}  // namespace floe::format::avro
