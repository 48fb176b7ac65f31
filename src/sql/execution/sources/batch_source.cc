#include "sql/execution/sources/batch_source.h"

#include <fmt/format.h>

namespace floe::sql::execution {

std::vector<std::string> BatchSource::Details() const {
  int64_t rows = 0;
  for (const auto& batch : batches_) {
    rows += batch.num_rows();
  }
  return {fmt::format("{} rows in {} batches", rows, batches_.size())};
}

}  // namespace floe::sql::execution
