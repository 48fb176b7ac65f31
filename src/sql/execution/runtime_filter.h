#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "sql/execution/expression.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/row_key.h"
#include "types/value.h"
#include "vector/batch.h"
#include "vector/vector.h"

namespace floe::sql::execution {

/// The range a scan column's values must lie in for a row to be of use to a join above the
/// scan: the smallest and largest key of the join's build side.
struct RuntimeColumnBounds {
  int64_t column = 0;  // The column's index in the scan's output.
  types::Value min;
  types::Value max;
};

/// What a hash join's build side says about one of its keys once it is complete: a Bloom
/// filter of the key values (so a probe row whose key is not in it can match no build row)
/// and, for integer-like keys, their smallest and largest value. Built by the join in
/// FinalizeSink (`Build`, then `Publish`) and read by the scans below its probe side, whose
/// pipelines run after the build side's (docs/sql/execution.md, "Runtime filters"), so that
/// rows which cannot join are dropped before they are decoded further, joined or aggregated.
/// A filter never drops a row that could match: NULL keys are dropped (they never match an
/// `=` key), and false positives only let rows through. Until it is published it lets
/// everything through. Thread-safe: written once, before `Publish`; read-only after.
class RuntimeFilter {
 public:
  /// `id` numbers the filter in EXPLAIN; `key_text` is the build key as EXPLAIN shows it.
  RuntimeFilter(int id, types::LogicalType type, std::string key_text);
  RuntimeFilter(const RuntimeFilter&) = delete;
  RuntimeFilter& operator=(const RuntimeFilter&) = delete;

  int id() const { return id_; }
  const types::LogicalType& type() const { return type_; }
  const std::string& key_text() const { return key_text_; }

  /// Builds the filter from the build side's key values (`keys`, any encoding; NULL rows are
  /// left out). `hashes`, when not empty, holds HashKeyBytes of each row's key as a
  /// one-column RowKeyEncoder encodes it (a join with one key has them already; integer-like
  /// keys are hashed otherwise and do not need them). A build side
  /// of more than kMaxKeys rows gives no filter: it would let nearly everything through.
  /// Reserves the filter's memory from `tracker` (ResourceExhausted when refused).
  Status Build(const vector::Vector& keys, std::span<const uint64_t> hashes,
               MemoryTracker* tracker);
  /// Makes the built filter visible to the scans (a release store).
  void Publish() { is_ready_.store(true, std::memory_order_release); }

  /// True once published with a usable filter.
  bool is_ready() const { return is_ready_.load(std::memory_order_acquire) && is_usable_; }
  /// The number of non-NULL build keys the filter was built from.
  int64_t num_keys() const { return num_keys_; }
  /// The smallest and largest key, for integer-like keys with at least one non-NULL key.
  const std::optional<types::Value>& min() const { return min_; }
  const std::optional<types::Value>& max() const { return max_; }

  /// Appends to `kept` the rows of `values` (of the filter's type, any encoding) whose key may
  /// be among the build keys: never a NULL row. `bytes` and `offsets` are scratch.
  void Probe(const vector::Vector& values, std::vector<uint8_t>& bytes,
             std::vector<uint32_t>& offsets, std::vector<uint32_t>& kept) const;

  /// Build sides larger than this get no filter.
  static constexpr int64_t kMaxKeys = int64_t{1} << 24;

 private:
  bool MayContain(uint64_t hash) const {
    const uint64_t word = words_[(hash >> 24) & word_mask_];
    return (word & BitsOf(hash)) == BitsOf(hash);
  }
  static uint64_t BitsOf(uint64_t hash) {
    return (uint64_t{1} << (hash & 63)) | (uint64_t{1} << ((hash >> 6) & 63)) |
           (uint64_t{1} << ((hash >> 12) & 63)) | (uint64_t{1} << ((hash >> 18) & 63));
  }
  void ComputeBounds(const vector::Vector& keys);
  template <typename T>
  void InsertIntegers(const vector::Vector& keys);
  template <typename T>
  void ProbeIntegers(const vector::Vector& values, std::vector<uint32_t>& kept) const;
  // Integer-like keys are hashed from their value, without encoding them first: at a scan
  // of millions of rows the hash is most of what a filter costs.
  static uint64_t HashInteger(uint64_t value) {
    value ^= value >> 33;
    value *= 0xff51afd7ed558ccdULL;
    value ^= value >> 33;
    value *= 0xc4ceb9fe1a85ec53ULL;
    return value ^ (value >> 33);
  }

  const int id_;
  const types::LogicalType type_;
  const std::string key_text_;
  RowKeyEncoder encoder_;
  // The byte width of integer-like keys (hashed by value), 0 for others (hashed as encoded).
  int integer_width_ = 0;
  std::atomic<bool> is_ready_{false};
  bool is_usable_ = false;
  int64_t num_keys_ = 0;
  std::vector<uint64_t> words_;
  uint64_t word_mask_ = 0;
  std::optional<types::Value> min_;
  std::optional<types::Value> max_;
  MemoryReservation reservation_;
};

/// The runtime filters a scan applies to the batches it reads, each with its key as an
/// expression over the scan's columns. A filter that keeps nearly every row it checks stops
/// being checked. Counters are shared by the scan's threads (relaxed atomics).
class ScanRuntimeFilters {
 public:
  ScanRuntimeFilters() = default;
  ScanRuntimeFilters(const ScanRuntimeFilters&) = delete;
  ScanRuntimeFilters& operator=(const ScanRuntimeFilters&) = delete;

  void Add(std::shared_ptr<const RuntimeFilter> filter, ExpressionPtr key);
  bool empty() const { return uses_.empty(); }

  /// Returns one thread's scratch (evaluator, encoded keys, selections) for Apply.
  std::unique_ptr<OperatorState> MakeState(QueryContext& context) const;

  /// Drops from `batches` the rows some published filter excludes; empty batches are removed.
  Status Apply(QueryContext& context, OperatorState& state, std::vector<vector::Batch>& batches);

  /// The bounds of the published filters whose key is a plain column of the scan, for
  /// pruning row groups by their statistics. An empty build side gives no bounds (its filter
  /// drops every row instead).
  std::vector<RuntimeColumnBounds> ColumnBounds() const;

  /// EXPLAIN lines, one per filter: "runtime filter #1: l_partkey" and, once the scan ran,
  /// how many rows it kept.
  std::vector<std::string> Details() const;

 private:
  struct Use {
    std::shared_ptr<const RuntimeFilter> filter;
    ExpressionPtr key;
    std::atomic<int64_t> rows_checked{0};
    std::atomic<int64_t> rows_kept{0};
    std::atomic<bool> is_disabled{false};
  };
  std::vector<std::unique_ptr<Use>> uses_;
};

}  // namespace floe::sql::execution
