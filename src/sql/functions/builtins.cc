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
  RegisterOrderedSetAggregates(registry);
  RegisterApproximateAggregates(registry);
  RegisterCatalogFunctions(registry);
  RegisterArrayFunctions(registry);
  RegisterArrayOperators(registry);
}

}  // namespace floe::sql::internal
