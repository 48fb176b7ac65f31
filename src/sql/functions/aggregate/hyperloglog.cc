#include "sql/functions/aggregate/hyperloglog.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace floe::sql {

void HyperLogLog::Add(uint64_t hash) {
  if (is_dense()) {
    AddToRegisters(hash);
    return;
  }
  if (std::find(exact_.begin(), exact_.end(), hash) != exact_.end()) {
    return;
  }
  exact_.push_back(hash);
  if (exact_.size() > kExactLimit) {
    MakeDense();
  }
}

void HyperLogLog::AddToRegisters(uint64_t hash) {
  // The first kPrecision bits pick the register; it keeps the largest position of the first
  // set bit seen in the rest.
  const auto index = static_cast<size_t>(hash >> (64 - kPrecision));
  const uint64_t rest = hash << kPrecision;
  const auto rank =
      static_cast<uint8_t>(rest == 0 ? 64 - kPrecision + 1 : std::countl_zero(rest) + 1);
  registers_[index] = std::max(registers_[index], rank);
}

void HyperLogLog::MakeDense() {
  registers_.assign(static_cast<size_t>(kNumRegisters), 0);
  for (uint64_t hash : exact_) {
    AddToRegisters(hash);
  }
  exact_.clear();
  exact_.shrink_to_fit();
}

void HyperLogLog::Merge(const HyperLogLog& other) {
  if (!other.is_dense()) {
    for (uint64_t hash : other.exact_) {
      Add(hash);
    }
    return;
  }
  if (!is_dense()) {
    MakeDense();
  }
  for (size_t i = 0; i < registers_.size(); ++i) {
    registers_[i] = std::max(registers_[i], other.registers_[i]);
  }
}

int64_t HyperLogLog::Estimate() const {
  if (!is_dense()) {
    return static_cast<int64_t>(exact_.size());
  }
  const auto m = static_cast<double>(kNumRegisters);
  double sum = 0;
  int64_t zeros = 0;
  for (uint8_t rank : registers_) {
    sum += std::ldexp(1.0, -rank);
    zeros += rank == 0 ? 1 : 0;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  double estimate = alpha * m * m / sum;
  // Small range: linear counting over the empty registers is more accurate there.
  if (estimate <= 2.5 * m && zeros > 0) {
    estimate = m * std::log(m / static_cast<double>(zeros));
  }
  return static_cast<int64_t>(std::llround(estimate));
}

}  // namespace floe::sql
