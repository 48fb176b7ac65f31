#include "sql/execution/physical_operator.h"

#include <fmt/format.h>

namespace floe::sql::execution {

Status QueryContext::CheckCancelled() const {
  if (is_cancelled()) [[unlikely]] {
    return Status::Cancelled("canceling statement due to user request");
  }
  return Status::OK();
}

std::string PhysicalOperator::Explain(bool analyze) const {
  std::string out;
  ExplainInto(out, 0, analyze);
  return out;
}

void PhysicalOperator::ExplainInto(std::string& out, int depth, bool analyze) const {
  std::string indent(static_cast<size_t>(depth) * 2, ' ');
  out += indent + (depth > 0 ? "-> " : "") + Name();
  if (estimated_rows_ >= 0) {
    out += fmt::format(" (estimated rows={})", estimated_rows_);
  }
  if (analyze) {
    out += fmt::format(" (actual rows={} time={:.3f} ms", profile_.rows_out.load(),
                       static_cast<double>(profile_.nanos.load()) / 1e6);
    int64_t peak = profile_.peak_memory.load();
    if (peak > 0) {
      out += fmt::format(" memory={}", FormatBytes(peak));
    }
    out += ")";
  }
  out += "\n";
  for (const std::string& detail : Details()) {
    out += indent + (depth > 0 ? "     " : "  ") + detail + "\n";
  }
  for (const auto& child : children_) {
    child->ExplainInto(out, depth + 1, analyze);
  }
}

}  // namespace floe::sql::execution
