#pragma once

#include <cstdint>
#include <memory>

#include "cli/tpch/scale.h"
#include "cli/tpch/table_generator.h"
#include "cli/tpch/tables.h"
#include "cli/tpch/text_pool.h"
#include "common/result.h"
#include "common/task_scheduler.h"

namespace floe::cli::tpch {

/// What a Dataset generates.
struct DatasetOptions {
  double scale_factor = 1;
  /// Size of the comment text pool; 0 picks DefaultTextPoolBytes(scale_factor).
  int64_t text_pool_bytes = 0;
};

/// One TPC-H database of a given scale factor: its row counts, its text pool and a generator
/// per table. Two datasets made with the same options hold the same rows. Immutable once made;
/// thread-safe. Movable, but generators refer to it, so it must not move while any exists.
class Dataset {
 public:
  /// Builds the text pool on `scheduler`. InvalidArgument for a scale factor outside
  /// [Scale::kMinScaleFactor, Scale::kMaxScaleFactor] or a negative pool size.
  static Result<Dataset> Make(const DatasetOptions& options, TaskScheduler& scheduler);

  /// Returns the pool size used by default: the 300 MB of 4.2.2.10 from SF 1 up, shrinking in
  /// proportion below (never under 8 MB) so that small scale factors start fast. Comments are
  /// substrings of at most 198 bytes, so even the smallest pool offers millions of them.
  static int64_t DefaultTextPoolBytes(double scale_factor);

  Dataset(Scale scale, TextPool text_pool) : scale_(scale), text_pool_(std::move(text_pool)) {}

  const Scale& scale() const { return scale_; }
  const TextPool& text_pool() const { return text_pool_; }

  /// Returns the generator of `table`, which refers to this dataset.
  std::unique_ptr<TableGenerator> MakeGenerator(TableId table) const;

 private:
  Scale scale_;
  TextPool text_pool_;
};

}  // namespace floe::cli::tpch
