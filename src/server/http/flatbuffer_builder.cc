#include "server/http/flatbuffer_builder.h"

#include <algorithm>
#include <cstring>

namespace floe::server::http {

void FlatBufferBuilder::Prepare(size_t alignment, size_t additional) {
  min_alignment_ = std::max(min_alignment_, alignment);
  size_t padding = (~(bytes_.size() + additional) + 1) & (alignment - 1);
  bytes_.append(padding, '\0');
}

void FlatBufferBuilder::PushBytes(const void* data, size_t count) {
  // bytes_ grows towards the start of the buffer, so an object's last byte goes in first.
  const char* source = static_cast<const char*>(data);
  for (size_t index = count; index > 0; --index) {
    bytes_.push_back(source[index - 1]);
  }
}

void FlatBufferBuilder::PushOffset(Offset target) {
  Prepare(4, 0);
  // A reference holds the distance from itself to its target, which lies further on.
  Push<uint32_t>(size() + 4 - target);
}

FlatBufferBuilder::Offset FlatBufferBuilder::CreateString(std::string_view text) {
  Push<uint8_t>(0);
  Prepare(4, text.size());
  PushBytes(text.data(), text.size());
  Push<uint32_t>(static_cast<uint32_t>(text.size()));
  return size();
}

FlatBufferBuilder::Offset FlatBufferBuilder::CreateOffsetVector(
    const std::vector<Offset>& elements) {
  Prepare(4, elements.size() * 4);
  for (size_t index = elements.size(); index > 0; --index) {
    PushOffset(elements[index - 1]);
  }
  Push<uint32_t>(static_cast<uint32_t>(elements.size()));
  return size();
}

FlatBufferBuilder::Offset FlatBufferBuilder::CreateInt64PairVector(
    const std::vector<std::pair<int64_t, int64_t>>& elements) {
  Prepare(4, elements.size() * 16);
  Prepare(8, elements.size() * 16);
  for (size_t index = elements.size(); index > 0; --index) {
    Prepare(8, 16);
    Push<int64_t>(elements[index - 1].second);
    Push<int64_t>(elements[index - 1].first);
  }
  Push<uint32_t>(static_cast<uint32_t>(elements.size()));
  return size();
}

void FlatBufferBuilder::StartTable(int num_fields) {
  slots_.assign(static_cast<size_t>(num_fields), 0);
  table_start_ = size();
}

void FlatBufferBuilder::Track(int slot) {
  slots_[static_cast<size_t>(slot)] = size();
}

void FlatBufferBuilder::AddInt8(int slot, int8_t value, int8_t default_value) {
  if (value != default_value) {
    Prepare(1, 0);
    Push(value);
    Track(slot);
  }
}

void FlatBufferBuilder::AddInt16(int slot, int16_t value, int16_t default_value) {
  if (value != default_value) {
    Prepare(2, 0);
    Push(value);
    Track(slot);
  }
}

void FlatBufferBuilder::AddInt32(int slot, int32_t value, int32_t default_value) {
  if (value != default_value) {
    Prepare(4, 0);
    Push(value);
    Track(slot);
  }
}

void FlatBufferBuilder::AddInt64(int slot, int64_t value, int64_t default_value) {
  if (value != default_value) {
    Prepare(8, 0);
    Push(value);
    Track(slot);
  }
}

void FlatBufferBuilder::AddOffset(int slot, Offset target) {
  PushOffset(target);
  Track(slot);
}

FlatBufferBuilder::Offset FlatBufferBuilder::EndTable() {
  Prepare(4, 0);
  Push<int32_t>(0);  // The distance to the vtable, set below.
  Offset table = size();
  size_t used = slots_.size();
  while (used > 0 && slots_[used - 1] == 0) {
    --used;
  }
  for (size_t index = used; index > 0; --index) {
    Offset field = slots_[index - 1];
    Push<uint16_t>(static_cast<uint16_t>(field == 0 ? 0 : table - field));
  }
  Push<uint16_t>(static_cast<uint16_t>(table - table_start_));
  Push<uint16_t>(static_cast<uint16_t>((used + 2) * 2));
  Offset vtable = size();
  size_t vtable_bytes = (used + 2) * 2;
  // The vtable just written occupies bytes_[table, vtable) in reverse; compare it with earlier
  // ones stored the same way.
  std::string_view written(bytes_.data() + table, vtable_bytes);
  for (Offset existing : vtables_) {
    // A vtable starts with its size; stored reversed, its low byte sits at existing - 1.
    size_t earlier_size = static_cast<uint8_t>(bytes_[existing - 1]) |
                          static_cast<size_t>(static_cast<uint8_t>(bytes_[existing - 2])) << 8;
    if (earlier_size != vtable_bytes) {
      continue;
    }
    std::string_view earlier(bytes_.data() + existing - vtable_bytes, vtable_bytes);
    if (earlier == written) {
      bytes_.resize(table);
      vtable = existing;
      break;
    }
  }
  if (vtable == size()) {
    vtables_.push_back(vtable);
  }
  // The table's first field is the signed distance from the table back to its vtable.
  int32_t distance = static_cast<int32_t>(vtable) - static_cast<int32_t>(table);
  char encoded[4];
  std::memcpy(encoded, &distance, 4);
  for (size_t index = 0; index < 4; ++index) {
    bytes_[table - 1 - index] = encoded[index];
  }
  return table;
}

std::string FlatBufferBuilder::Finish(Offset root) {
  Prepare(min_alignment_, 4);
  PushOffset(root);
  std::string buffer(bytes_.rbegin(), bytes_.rend());
  return buffer;
}

}  // namespace floe::server::http
