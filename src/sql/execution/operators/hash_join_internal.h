#pragma once

// The spilled state of a HashJoinOperator (a grace hash join), shared by hash_join.cc and
// hash_join_spill.cc. See docs/architecture.md, "Memory and spilling".

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "sql/execution/operators/hash_join.h"
#include "sql/execution/retained_buffers.h"
#include "sql/execution/spill_file.h"

namespace floe::sql::execution {

/// Spill partitions: level L takes the 4 hash bits below those of level L - 1, starting from
/// the top bits (the in-memory table buckets by the low bits, so a partition still fills its
/// table evenly). Five splits fix the top 24 bits of a partition's hashes, which leaves the
/// table's 32-bit bucket tags 8 bits that still tell keys apart.
inline constexpr int kJoinSpillPartitionBits = 4;
inline constexpr int kJoinSpillPartitions = 1 << kJoinSpillPartitionBits;
inline constexpr int kJoinMaxSpillLevel = 5;
/// Unmatched build rows a morsel of a spilled RIGHT or FULL join emits at most.
inline constexpr int64_t kJoinUnmatchedMorselRows = 16384;

/// One partition of both sides on disk. A file is a sequence of chunks:
/// [uint32 rows][uint32 offsets, rows + 1][the rows, every column, encoded by a RowKeyEncoder
/// over the columns' spill types].
struct JoinSpillPartition {
  int level = 0;
  std::vector<SpillFile> build_files;
  int64_t build_rows = 0;
  int64_t build_bytes = 0;
  std::vector<SpillFile> probe_files;
  int64_t probe_chunks = 0;
  // Set when splitting it left every build row in one part: its keys (most likely one) hash
  // alike in the bits a split uses.
  bool is_unsplittable = false;
};

/// One writer per partition of one level, opened on first use; one set per thread.
struct JoinPartitionWriters {
  explicit JoinPartitionWriters(int level) : level(level) {}
  int level;
  std::unique_ptr<SpillWriter> writers[kJoinSpillPartitions];
  int64_t rows[kJoinSpillPartitions] = {};
  int64_t chunks[kJoinSpillPartitions] = {};
  // Spreads rows whose key is NULL (they match nothing, so any partition will do).
  uint64_t next_null_partition = 0;
  // Scratch.
  std::vector<uint32_t> partition_rows[kJoinSpillPartitions];
  std::vector<uint32_t> chunk_offsets;
};

/// A build thread's state: the batches it keeps, or its partition writers once spilling.
struct JoinBuildState : OperatorState {
  explicit JoinBuildState(MemoryTracker* tracker) : retained(tracker) {}
  std::vector<vector::Batch> batches;
  RetainedBuffers retained;
  int64_t held_bytes = 0;  // Estimated bytes of the table `batches` make.
  std::shared_ptr<JoinPartitionWriters> writers;
};

struct HashJoinOperator::Spill {
  RowKeyEncoder build_rows;  // All build columns, as their spill types.
  RowKeyEncoder probe_rows;  // All probe columns, as their spill types.

  std::mutex mutex;
  std::vector<JoinSpillPartition> partitions FLOE_GUARDED_BY(mutex);
  // The probe side's writers, one set per probe thread, finished when the probe side is done.
  std::vector<std::shared_ptr<JoinPartitionWriters>> probe_writers FLOE_GUARDED_BY(mutex);
  // Over the whole build side, spilled or not: whether it has a row, and one with a NULL key.
  std::atomic<int64_t> build_rows_seen{0};
  std::atomic<bool> build_has_null_key{false};

  // Joining, partition by partition (set by PrepareSource).
  std::atomic<bool> is_joining{false};
  std::condition_variable probes_done;
  size_t current = 0;          // The partition in the table.
  bool is_loaded = false;      // Whether `current` is in the table.
  size_t next_probe_file = 0;  // Of `current`.
  std::unique_ptr<SpillReader> probe_reader;
  int probes_in_flight = 0;    // Threads probing the table with rows of `current`.
  int64_t next_unmatched = 0;  // The first table row whose unmatched rows are not emitted yet.
  int64_t peak_table_bytes = 0;
};

}  // namespace floe::sql::execution
