#include "sql/execution/physical_operator.h"

#include <fmt/format.h>

namespace floe::sql::execution {

QueryContext::~QueryContext() = default;

void QueryContext::EnableSpilling(std::string temp_directory) {
  spill_directory_ = std::make_unique<SpillDirectory>(std::move(temp_directory));
}

Status QueryContext::CheckCancelled() const {
  if (is_cancelled()) [[unlikely]] {
    return Status::Cancelled("canceling statement due to user request");
  }
  return Status::OK();
}

std::string PhysicalOperator::Explain(const ExplainOptions& options) const {
  std::string out;
  ExplainInto(out, 0, options);
  return out;
}

void PhysicalOperator::ExplainInto(std::string& out, int depth,
                                   const ExplainOptions& options) const {
  std::string indent(static_cast<size_t>(depth) * 2, ' ');
  out += indent + (depth > 0 ? "-> " : "") + Name();
  if (options.costs && estimated_rows_ >= 0) {
    out += fmt::format(" (estimated rows={})", estimated_rows_);
  }
  if (options.analyze) {
    out += fmt::format(" (actual rows={}", profile_.rows_out.load());
    if (options.timing) {
      out += fmt::format(" time={:.3f} ms", static_cast<double>(profile_.nanos.load()) / 1e6);
    }
    int64_t peak = profile_.peak_memory.load();
    if (peak > 0) {
      out += fmt::format(" memory={}", FormatBytes(peak));
    }
    int64_t spilled_files = profile_.spilled_files.load();
    if (spilled_files > 0) {
      out += fmt::format(" spilled: {} in {} files", FormatBytes(profile_.spilled_bytes.load()),
                         spilled_files);
    }
    out += ")";
  }
  out += "\n";
  for (const std::string& detail : Details()) {
    out += indent + (depth > 0 ? "     " : "  ") + detail + "\n";
  }
  for (const PhysicalOperator* subplan : ExplainedSubplans()) {
    subplan->ExplainInto(out, depth + 1, options);
  }
  for (const auto& child : children_) {
    child->ExplainInto(out, depth + 1, options);
  }
}

}  // namespace floe::sql::execution
