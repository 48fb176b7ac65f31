#include "sql/functions/registration_internal.h"

namespace floe::sql::internal {

void RegisterBuiltins(FunctionRegistry& registry) {
  RegisterArithmetic(registry);
  RegisterTemporalArithmetic(registry);
  RegisterComparison(registry);
  RegisterPatternMatching(registry);
  RegisterRegex(registry);
  RegisterMathFunctions(registry);
  RegisterStringFunctions(registry);
  RegisterConditionalFunctions(registry);
  RegisterDateTimeFunctions(registry);
  RegisterDateTimeFormatting(registry);
  RegisterBasicAggregates(registry);
  RegisterStatisticalAggregates(registry);
  RegisterCollectionAggregates(registry);
  RegisterCatalogFunctions(registry);
  RegisterArrayFunctions(registry);
}

}  // namespace floe::sql::internal
