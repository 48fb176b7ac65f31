#include "sql/execution/aggregate_hash_table.h"

#include <algorithm>
#include <cstring>

namespace floe::sql::execution {

namespace {
constexpr int64_t kInitialSlots = 1024;

int64_t AlignUp(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}
}  // namespace

AggregateHashTable::AggregateHashTable(std::span<const AggregateFunction* const> aggregates,
                                       MemoryTracker* tracker)
    : aggregates_(aggregates.begin(), aggregates.end()), reservation_(tracker) {
  for (const AggregateFunction* aggregate : aggregates_) {
    int64_t alignment = std::max<int32_t>(aggregate->state_alignment, 1);
    state_size_ = AlignUp(state_size_, alignment);
    state_offsets_.push_back(state_size_);
    state_size_ += aggregate->state_size;
  }
  // Every group's states start 16-byte aligned (chunks come from operator new[]).
  state_size_ = std::max<int64_t>(AlignUp(state_size_, 16), 16);
}

AggregateHashTable::~AggregateHashTable() {
  DestroyStates();
}

void AggregateHashTable::Clear() {
  DestroyStates();
  std::vector<uint64_t>().swap(slots_);
  mask_ = 0;
  std::vector<uint8_t>().swap(key_bytes_);
  key_offsets_ = {0};
  key_offsets_.shrink_to_fit();
  std::vector<uint64_t>().swap(hashes_);
  chunks_.clear();
  chunks_.shrink_to_fit();
  reservation_.Reset();
}

void AggregateHashTable::DestroyStates() {
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    if (!aggregates_[a]->destroy) {
      continue;
    }
    for (int64_t group = 0; group < num_groups(); ++group) {
      aggregates_[a]->destroy(states(group) + state_offsets_[a]);
    }
  }
}

Status AggregateHashTable::Grow() {
  const int64_t capacity = slots_.empty() ? kInitialSlots : static_cast<int64_t>(slots_.size()) * 2;
  FLOE_RETURN_NOT_OK(reservation_.Grow(capacity * 8));
  std::vector<uint64_t> slots(static_cast<size_t>(capacity), 0);
  const uint64_t mask = static_cast<uint64_t>(capacity - 1);
  for (uint64_t slot : slots_) {
    if (slot == 0) {
      continue;
    }
    uint64_t group = (slot & 0xffffffffULL) - 1;
    uint64_t position = hashes_[group] & mask;
    while (slots[position] != 0) {
      position = (position + 1) & mask;
    }
    slots[position] = slot;
  }
  // Shrinking a reservation cannot fail.
  (void)reservation_.Resize(reservation_.bytes() - static_cast<int64_t>(slots_.size()) * 8);
  slots_ = std::move(slots);
  mask_ = mask;
  return Status::OK();
}

int64_t AggregateHashTable::Find(const uint8_t* key, uint32_t key_size, uint64_t hash) const {
  if (slots_.empty()) {
    return -1;
  }
  const uint64_t tag = hash & 0xffffffff00000000ULL;
  uint64_t position = hash & mask_;
  while (true) {
    uint64_t slot = slots_[position];
    if (slot == 0) {
      return -1;
    }
    if ((slot & 0xffffffff00000000ULL) == tag) {
      int64_t group = static_cast<int64_t>((slot & 0xffffffffULL) - 1);
      if (key_size == this->key_size(group) &&
          (key_size == 0 || std::memcmp(this->key(group), key, key_size) == 0)) {
        return group;
      }
    }
    position = (position + 1) & mask_;
  }
}

Status AggregateHashTable::AddGroupStorage(const uint8_t* key, uint32_t key_size, uint64_t hash) {
  const int64_t group = num_groups();
  if ((group & (kGroupsPerChunk - 1)) == 0) {
    const int64_t bytes = kGroupsPerChunk * state_size_;
    FLOE_RETURN_NOT_OK(reservation_.Grow(bytes));
    chunks_.push_back(std::make_unique<uint8_t[]>(static_cast<size_t>(bytes)));
  }
  // Keys and bookkeeping are charged by capacity as the vectors grow.
  size_t before = key_bytes_.capacity() + key_offsets_.capacity() * 4 + hashes_.capacity() * 8;
  key_bytes_.insert(key_bytes_.end(), key, key + key_size);
  key_offsets_.push_back(static_cast<uint32_t>(key_bytes_.size()));
  hashes_.push_back(hash);
  size_t after = key_bytes_.capacity() + key_offsets_.capacity() * 4 + hashes_.capacity() * 8;
  if (after > before) {
    Status status = reservation_.Grow(static_cast<int64_t>(after - before));
    if (!status.ok()) {
      key_bytes_.resize(key_bytes_.size() - key_size);
      key_offsets_.pop_back();
      hashes_.pop_back();
      return status;
    }
  }
  uint8_t* group_states = states(group);
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    aggregates_[a]->initialize(group_states + state_offsets_[a]);
  }
  return Status::OK();
}

Result<int64_t> AggregateHashTable::FindOrInsert(const uint8_t* key, uint32_t key_size,
                                                 uint64_t hash) {
  if (static_cast<int64_t>(slots_.size()) < 2 * (num_groups() + 1)) {
    FLOE_RETURN_NOT_OK(Grow());
  }
  const uint64_t tag = hash & 0xffffffff00000000ULL;
  uint64_t position = hash & mask_;
  while (true) {
    uint64_t slot = slots_[position];
    if (slot == 0) {
      break;
    }
    if ((slot & 0xffffffff00000000ULL) == tag) {
      int64_t group = static_cast<int64_t>((slot & 0xffffffffULL) - 1);
      if (key_size == this->key_size(group) &&
          (key_size == 0 || std::memcmp(this->key(group), key, key_size) == 0)) {
        return group;
      }
    }
    position = (position + 1) & mask_;
  }
  const int64_t group = num_groups();
  FLOE_RETURN_NOT_OK(AddGroupStorage(key, key_size, hash));
  slots_[position] = tag | static_cast<uint64_t>(group + 1);
  return group;
}

Status AggregateHashTable::FindOrInsertBatch(const uint8_t* keys, const uint32_t* offsets,
                                             const uint64_t* hashes, int64_t rows,
                                             int64_t* groups) {
  // Grow once for the whole batch so the prefetched slots stay where they are.
  while (static_cast<int64_t>(slots_.size()) < 2 * (num_groups() + rows)) {
    FLOE_RETURN_NOT_OK(Grow());
  }
  for (int64_t r = 0; r < rows; ++r) {
    __builtin_prefetch(&slots_[hashes[r] & mask_]);
  }
  for (int64_t r = 0; r < rows; ++r) {
    FLOE_ASSIGN_OR_RETURN(groups[r],
                          FindOrInsert(keys + offsets[r], offsets[r + 1] - offsets[r], hashes[r]));
  }
  return Status::OK();
}

Status AggregateHashTable::Merge(FunctionContext& context, const AggregateHashTable& other,
                                 int partition, int num_partitions) {
  for (int64_t group = 0; group < other.num_groups(); ++group) {
    if (num_partitions > 1 && PartitionOf(other.hash(group), num_partitions) != partition) {
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(int64_t target,
                          FindOrInsert(other.key(group), other.key_size(group), other.hash(group)));
    const uint8_t* source_states = other.states(group);
    uint8_t* target_states = states(target);
    for (size_t a = 0; a < aggregates_.size(); ++a) {
      FLOE_RETURN_NOT_OK(aggregates_[a]->combine(context, source_states + state_offsets_[a],
                                                 target_states + state_offsets_[a]));
    }
  }
  return Status::OK();
}

}  // namespace floe::sql::execution
