#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "sql/execution/row_key.h"
#include "sql/functions/function.h"

namespace floe::sql::execution {

/// Groups keyed by encoded key bytes (RowKeyEncoder), each with one state per aggregate.
///
/// Open addressing with linear probing over a power-of-two array of 64-bit slots, each holding
/// the upper 32 bits of the key's hash beside the group number, so a probe compares keys only
/// when the hash tags agree and touches the key bytes of a group only then. Keys live in one
/// growing byte arena; aggregate states in fixed-size chunks, so state pointers never move.
/// All memory is reserved from the tracker (ResourceExhausted when the budget is exceeded,
/// leaving the table as it was before the failing insert). Not thread-safe: one per thread
/// while building, merged afterwards.
class AggregateHashTable {
 public:
  AggregateHashTable(std::span<const AggregateFunction* const> aggregates, MemoryTracker* tracker);
  AggregateHashTable(const AggregateHashTable&) = delete;
  AggregateHashTable& operator=(const AggregateHashTable&) = delete;
  /// Destroys every state.
  ~AggregateHashTable();

  int64_t num_groups() const { return static_cast<int64_t>(hashes_.size()); }
  /// The size of one group's block of states: every aggregate's, with alignment padding.
  int64_t state_size() const { return state_size_; }
  /// Bytes of one group's states, and where aggregate `index`'s state starts in them.
  int64_t state_offset(size_t index) const { return state_offsets_[index]; }

  /// Returns the group of `key` (with hash `hash`), inserting it with fresh states when new.
  Result<int64_t> FindOrInsert(const uint8_t* key, uint32_t key_size, uint64_t hash);
  /// FindOrInsert for `rows` keys (row r at keys + offsets[r], hashes[r]) writing `groups[r]`;
  /// prefetches the slots of the batch first so their cache misses overlap.
  Status FindOrInsertBatch(const uint8_t* keys, const uint32_t* offsets, const uint64_t* hashes,
                           int64_t rows, int64_t* groups);
  /// Returns the group of `key`, or -1.
  int64_t Find(const uint8_t* key, uint32_t key_size, uint64_t hash) const;

  /// Returns the states of group `group` (aggregate i's state at state_offset(i)).
  uint8_t* states(int64_t group) const {
    return chunks_[static_cast<size_t>(group >> kChunkShift)].get() +
           (group & (kGroupsPerChunk - 1)) * state_size_;
  }
  const uint8_t* key(int64_t group) const { return key_bytes_.data() + key_offsets_[group]; }
  uint32_t key_size(int64_t group) const {
    return key_offsets_[static_cast<size_t>(group) + 1] - key_offsets_[static_cast<size_t>(group)];
  }
  uint64_t hash(int64_t group) const { return hashes_[static_cast<size_t>(group)]; }

  /// Folds the groups of `other` into this table (combine kernels): all of them, or with
  /// `num_partitions` > 1 only those whose PartitionOf() is `partition`, so that several
  /// threads can merge disjoint partitions at once. `other` keeps its states and destroys them.
  Status Merge(FunctionContext& context, const AggregateHashTable& other, int partition = 0,
               int num_partitions = 1);

  /// Returns the partition (of `num_partitions`, a power of two) of a key hash; it uses bits
  /// that slot positions and tags do not depend on alone.
  static int PartitionOf(uint64_t hash, int num_partitions) {
    return static_cast<int>((hash >> 20) & static_cast<uint64_t>(num_partitions - 1));
  }

  int64_t reserved_bytes() const { return reservation_.bytes(); }

  /// Destroys every group and gives all memory back (after the groups were spilled).
  void Clear();

 private:
  static constexpr int kChunkShift = 10;
  static constexpr int64_t kGroupsPerChunk = int64_t{1} << kChunkShift;

  Status Grow();
  void DestroyStates();
  Status AddGroupStorage(const uint8_t* key, uint32_t key_size, uint64_t hash);

  std::vector<const AggregateFunction*> aggregates_;
  std::vector<int64_t> state_offsets_;
  int64_t state_size_ = 0;
  std::vector<uint64_t> slots_;  // (hash >> 32) << 32 | (group + 1); 0 when empty.
  uint64_t mask_ = 0;
  std::vector<uint8_t> key_bytes_;
  std::vector<uint32_t> key_offsets_{0};
  std::vector<uint64_t> hashes_;
  std::vector<std::unique_ptr<uint8_t[]>> chunks_;
  MemoryReservation reservation_;
};

}  // namespace floe::sql::execution
