#pragma once

// Registration of the built-in functions: one Register* function per family, each in the file
// that implements the family, and small helpers to declare overloads.

#include <string>
#include <utility>
#include <vector>

#include "sql/functions/function_registry.h"
#include "sql/functions/kernel_internal.h"
#include "sql/functions/type_coercion.h"

namespace floe::sql::internal {

void RegisterBuiltins(FunctionRegistry& registry);

void RegisterArithmetic(FunctionRegistry& registry);
void RegisterTemporalArithmetic(FunctionRegistry& registry);
void RegisterComparison(FunctionRegistry& registry);
void RegisterPatternMatching(FunctionRegistry& registry);
void RegisterRegex(FunctionRegistry& registry);
void RegisterMathFunctions(FunctionRegistry& registry);
void RegisterStringFunctions(FunctionRegistry& registry);
void RegisterDateTimeFunctions(FunctionRegistry& registry);
void RegisterDateTimeFormatting(FunctionRegistry& registry);
void RegisterConditionalFunctions(FunctionRegistry& registry);
void RegisterBasicAggregates(FunctionRegistry& registry);
void RegisterStatisticalAggregates(FunctionRegistry& registry);
void RegisterCollectionAggregates(FunctionRegistry& registry);
void RegisterOrderedSetAggregates(FunctionRegistry& registry);
void RegisterApproximateAggregates(FunctionRegistry& registry);
void RegisterCatalogFunctions(FunctionRegistry& registry);
void RegisterArrayFunctions(FunctionRegistry& registry);
void RegisterArrayOperators(FunctionRegistry& registry);

/// Returns the unparameterized type of `id` (not for DECIMAL and the nested types).
inline types::LogicalType TypeOf(types::TypeId id) {
  return ImplicitCastTarget(types::LogicalType::Null(), id);
}

/// Returns the argument specs of plain types.
inline std::vector<ArgumentSpec> Specs(std::initializer_list<types::TypeId> ids) {
  std::vector<ArgumentSpec> specs;
  for (types::TypeId id : ids) {
    specs.push_back(ArgumentSpec::Of(id));
  }
  return specs;
}

/// An overload with a fixed result type whose kernel gets the strict wrapper (StrictKernel).
inline ScalarOverload FixedOverload(std::string name, std::initializer_list<types::TypeId> ids,
                                    types::LogicalType result, ScalarKernel kernel) {
  ScalarOverload overload;
  overload.name = std::move(name);
  overload.arguments = Specs(ids);
  overload.bind = [result = std::move(result), kernel = std::move(kernel)](
                      std::span<const types::LogicalType>) -> Result<BoundScalar> {
    return BoundScalar{result, StrictKernel(result, kernel)};
  };
  return overload;
}

/// An overload whose result type and kernel depend on the concrete argument types; `make`
/// returns a BoundScalar whose kernel gets the strict wrapper.
template <typename Make>
ScalarOverload BoundOverload(std::string name, std::vector<ArgumentSpec> specs, Make make) {
  ScalarOverload overload;
  overload.name = std::move(name);
  overload.arguments = std::move(specs);
  overload.bind =
      [make = std::move(make)](std::span<const types::LogicalType> types) -> Result<BoundScalar> {
    FLOE_ASSIGN_OR_RETURN(BoundScalar bound, make(types));
    bound.kernel = StrictKernel(bound.return_type, std::move(bound.kernel));
    return bound;
  };
  return overload;
}

}  // namespace floe::sql::internal
