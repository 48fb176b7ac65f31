#include "sql/functions/function_registry.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include "sql/functions/decimal_rules.h"
#include "sql/functions/registration_internal.h"
#include "sql/functions/type_coercion.h"

namespace floe::sql {

using types::LogicalType;
using types::TypeId;

namespace {

using Signature = std::vector<ArgumentSpec>;

bool IsOperatorName(std::string_view name) {
  return !name.empty() && std::isalpha(static_cast<unsigned char>(name[0])) == 0 && name[0] != '_';
}

// The argument specs of an overload for `count` arguments, or nullopt when it takes another
// number of arguments.
std::optional<Signature> Expand(const Signature& arguments, bool is_variadic, size_t count) {
  if (!is_variadic) {
    return arguments.size() == count ? std::optional<Signature>(arguments) : std::nullopt;
  }
  if (count < arguments.size()) {
    return std::nullopt;
  }
  Signature expanded = arguments;
  expanded.resize(count, arguments.back());
  return expanded;
}

bool IsPolymorphic(const ArgumentSpec& spec) {
  return spec.kind != ArgumentSpec::Kind::kType;
}

bool IsExact(const ArgumentSpec& spec, const LogicalType& arg) {
  return spec.kind == ArgumentSpec::Kind::kType && spec.id == arg.id();
}

bool Accepts(const ArgumentSpec& spec, const LogicalType& arg) {
  if (IsPolymorphic(spec) || arg.id() == TypeId::kNull || spec.id == arg.id()) {
    return true;
  }
  if (spec.id == TypeId::kList || spec.id == TypeId::kStruct || spec.id == TypeId::kMap) {
    return false;
  }
  return CanImplicitlyCast(arg, ImplicitCastTarget(arg, spec.id));
}

TypeCategory SpecCategory(const ArgumentSpec& spec) {
  if (spec.id == TypeId::kList) {
    return TypeCategory::kArray;
  }
  if (spec.id == TypeId::kStruct) {
    return TypeCategory::kComposite;
  }
  if (spec.id == TypeId::kDecimal) {
    return TypeCategory::kNumeric;
  }
  if (spec.id == TypeId::kMap) {
    return TypeCategory::kMap;
  }
  return CategoryOf(ImplicitCastTarget(LogicalType::Null(), spec.id));
}

bool SpecIsPreferred(const ArgumentSpec& spec) {
  if (spec.kind != ArgumentSpec::Kind::kType || spec.id == TypeId::kDecimal ||
      spec.id == TypeId::kList || spec.id == TypeId::kStruct || spec.id == TypeId::kMap) {
    return false;
  }
  return IsPreferredType(ImplicitCastTarget(LogicalType::Null(), spec.id));
}

std::string UpperCase(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return upper;
}

// The common type of the anyelement arguments, or an error when they have none.
Result<LogicalType> AnyElementType(std::string_view name, const Signature& specs,
                                   std::span<const LogicalType> args) {
  std::vector<LogicalType> types;
  for (size_t index = 0; index < specs.size(); ++index) {
    if (specs[index].kind == ArgumentSpec::Kind::kAnyElement) {
      types.push_back(args[index]);
    }
  }
  if (types.empty()) {
    return LogicalType::Null();
  }
  return CommonType(types, UpperCase(name));
}

struct Candidate {
  size_t index;  // Into the overload list.
  Signature specs;
};

enum class Choice : uint8_t { kFound, kNone, kAmbiguous };

struct Selection {
  Choice choice = Choice::kNone;
  size_t index = 0;
  Status anyelement_error;  // Why the only polymorphic candidates failed, if they did.
};

int CountMatches(const Candidate& candidate, std::span<const LogicalType> args,
                 bool count_preferred) {
  int matches = 0;
  for (size_t index = 0; index < args.size(); ++index) {
    const LogicalType& arg = args[index];
    const ArgumentSpec& spec = candidate.specs[index];
    if (arg.id() == TypeId::kNull) {
      continue;
    }
    if (IsExact(spec, arg) ||
        (count_preferred && SpecIsPreferred(spec) && SpecCategory(spec) == CategoryOf(arg))) {
      ++matches;
    }
  }
  return matches;
}

// Keeps the candidates with the highest `score`, or all of them when none scores.
template <typename Score>
void KeepBest(std::vector<Candidate>& candidates, Score score) {
  int best = 0;
  for (const Candidate& candidate : candidates) {
    best = std::max(best, score(candidate));
  }
  if (best == 0) {
    return;
  }
  std::erase_if(candidates, [&](const Candidate& candidate) { return score(candidate) < best; });
}

// PostgreSQL's step for unknown arguments: choose a category per unknown position (string if
// any candidate takes one, else the one category all take), keep the candidates taking it, and
// of those the ones taking the category's preferred type. Returns false when the categories
// conflict, which makes the call ambiguous.
bool NarrowByUnknownCategories(std::vector<Candidate>& candidates,
                               std::span<const LogicalType> args) {
  for (size_t position = 0; position < args.size(); ++position) {
    if (args[position].id() != TypeId::kNull) {
      continue;
    }
    std::optional<TypeCategory> chosen;
    bool conflict = false;
    for (const Candidate& candidate : candidates) {
      const ArgumentSpec& spec = candidate.specs[position];
      if (IsPolymorphic(spec)) {
        continue;
      }
      TypeCategory category = SpecCategory(spec);
      if (category == TypeCategory::kString) {
        chosen = category;
        conflict = false;
        break;
      }
      if (chosen.has_value() && *chosen != category) {
        conflict = true;
      }
      if (!chosen.has_value()) {
        chosen = category;
      }
    }
    if (conflict) {
      return false;
    }
    if (!chosen.has_value()) {
      continue;
    }
    std::vector<Candidate> kept;
    bool any_preferred = false;
    for (const Candidate& candidate : candidates) {
      const ArgumentSpec& spec = candidate.specs[position];
      if (IsPolymorphic(spec) || SpecCategory(spec) == *chosen) {
        kept.push_back(candidate);
        any_preferred = any_preferred || SpecIsPreferred(spec);
      }
    }
    if (any_preferred) {
      std::erase_if(kept, [&](const Candidate& candidate) {
        const ArgumentSpec& spec = candidate.specs[position];
        return !IsPolymorphic(spec) && !SpecIsPreferred(spec);
      });
    }
    if (!kept.empty()) {
      candidates = std::move(kept);
    }
  }
  return true;
}

// PostgreSQL's last step: with known arguments all of one type, the unknown ones take it too.
std::vector<Candidate> AssumeKnownType(const std::vector<Candidate>& candidates,
                                       std::span<const LogicalType> args) {
  const LogicalType* known = nullptr;
  for (const LogicalType& arg : args) {
    if (arg.id() == TypeId::kNull) {
      continue;
    }
    if (known != nullptr && !(arg.id() == known->id())) {
      return {};
    }
    known = &arg;
  }
  if (known == nullptr) {
    return {};
  }
  std::vector<Candidate> passing;
  for (const Candidate& candidate : candidates) {
    bool accepts = true;
    for (size_t index = 0; index < args.size(); ++index) {
      if (args[index].id() == TypeId::kNull && !Accepts(candidate.specs[index], *known)) {
        accepts = false;
      }
    }
    if (accepts) {
      passing.push_back(candidate);
    }
  }
  return passing;
}

Selection Found(size_t index) {
  return Selection{Choice::kFound, index, Status::OK()};
}

Selection Choose(std::string_view name, const std::vector<Signature>& signatures,
                 const std::vector<bool>& variadic, std::span<const LogicalType> args) {
  bool is_binary_operator = IsOperatorName(name) && args.size() == 2;
  std::vector<Candidate> candidates;
  for (size_t index = 0; index < signatures.size(); ++index) {
    std::optional<Signature> specs = Expand(signatures[index], variadic[index], args.size());
    if (specs.has_value()) {
      candidates.push_back(Candidate{index, std::move(*specs)});
    }
  }
  // An exact match, where a binary operator's unknown argument takes the other one's type.
  std::vector<LogicalType> exact_args(args.begin(), args.end());
  if (is_binary_operator) {
    if (exact_args[0].id() == TypeId::kNull) {
      exact_args[0] = exact_args[1];
    } else if (exact_args[1].id() == TypeId::kNull) {
      exact_args[1] = exact_args[0];
    }
  }
  for (const Candidate& candidate : candidates) {
    bool exact = !exact_args.empty();
    for (size_t index = 0; index < exact_args.size(); ++index) {
      exact = exact && IsExact(candidate.specs[index], exact_args[index]);
    }
    if (exact || (exact_args.empty() && candidate.specs.empty())) {
      return Found(candidate.index);
    }
  }
  Status anyelement_error;
  std::erase_if(candidates, [&](const Candidate& candidate) {
    for (size_t index = 0; index < args.size(); ++index) {
      if (!Accepts(candidate.specs[index], args[index])) {
        return true;
      }
    }
    Result<LogicalType> common = AnyElementType(name, candidate.specs, args);
    if (!common.ok()) {
      anyelement_error = common.status();
      return true;
    }
    return false;
  });
  if (candidates.empty()) {
    return Selection{Choice::kNone, 0, anyelement_error};
  }
  if (candidates.size() == 1) {
    return Found(candidates[0].index);
  }
  KeepBest(candidates, [&](const Candidate& c) { return CountMatches(c, args, false); });
  if (candidates.size() == 1) {
    return Found(candidates[0].index);
  }
  KeepBest(candidates, [&](const Candidate& c) { return CountMatches(c, args, true); });
  if (candidates.size() == 1) {
    return Found(candidates[0].index);
  }
  bool has_unknown = std::any_of(args.begin(), args.end(),
                                 [](const LogicalType& arg) { return arg.id() == TypeId::kNull; });
  if (!has_unknown || !NarrowByUnknownCategories(candidates, args)) {
    return Selection{Choice::kAmbiguous, 0, Status::OK()};
  }
  if (candidates.size() == 1) {
    return Found(candidates[0].index);
  }
  std::vector<Candidate> passing = AssumeKnownType(candidates, args);
  if (passing.size() == 1) {
    return Found(passing[0].index);
  }
  return Selection{Choice::kAmbiguous, 0, Status::OK()};
}

std::string ArgumentList(std::span<const LogicalType> args) {
  std::string text;
  for (size_t index = 0; index < args.size(); ++index) {
    if (index > 0) {
      text += ", ";
    }
    text += TypeNameForError(args[index]);
  }
  return text;
}

std::string OperatorCall(std::string_view name, std::span<const LogicalType> args) {
  if (args.size() == 1) {
    return fmt::format("{} {}", name, TypeNameForError(args[0]));
  }
  if (args.size() == 2) {
    return fmt::format("{} {} {}", TypeNameForError(args[0]), name, TypeNameForError(args[1]));
  }
  return fmt::format("{}({})", name, ArgumentList(args));
}

Status NotFoundError(std::string_view name, std::span<const LogicalType> args) {
  if (IsOperatorName(name)) {
    return Status::NotFound("operator does not exist: {}", OperatorCall(name, args))
        .WithSqlState("42883")
        .WithHint(
            "No operator matches the given name and argument types. You might need to add "
            "explicit type casts.");
  }
  return Status::NotFound("function {}({}) does not exist", name, ArgumentList(args))
      .WithSqlState("42883")
      .WithHint(
          "No function matches the given name and argument types. You might need to add "
          "explicit type casts.");
}

Status AmbiguousError(std::string_view name, std::span<const LogicalType> args) {
  if (IsOperatorName(name)) {
    return Status::InvalidArgument("operator is not unique: {}", OperatorCall(name, args))
        .WithSqlState("42725")
        .WithHint(
            "Could not choose a best candidate operator. You might need to add explicit type "
            "casts.");
  }
  return Status::InvalidArgument("function {}({}) is not unique", name, ArgumentList(args))
      .WithSqlState("42725")
      .WithHint(
          "Could not choose a best candidate function. You might need to add explicit type "
          "casts.");
}

// The types the arguments are cast to for the chosen overload.
Result<std::vector<LogicalType>> ConcreteTypes(std::string_view name, const Signature& specs,
                                               std::span<const LogicalType> args) {
  FLOE_ASSIGN_OR_RETURN(LogicalType element, AnyElementType(name, specs, args));
  // An unknown argument where a DECIMAL is expected takes the type of a DECIMAL argument.
  std::optional<LogicalType> decimal_argument;
  for (const LogicalType& arg : args) {
    if (arg.id() == TypeId::kDecimal && !decimal_argument.has_value()) {
      decimal_argument = arg;
    }
  }
  // An unknown argument where an array is expected takes the type of an array argument, as
  // PostgreSQL's anyarray does (array_cat(a, NULL)).
  std::optional<LogicalType> list_argument;
  for (const LogicalType& arg : args) {
    if (arg.id() == TypeId::kList && !list_argument.has_value()) {
      list_argument = arg;
    }
  }
  std::vector<LogicalType> types;
  types.reserve(args.size());
  for (size_t index = 0; index < args.size(); ++index) {
    const ArgumentSpec& spec = specs[index];
    const LogicalType& arg = args[index];
    switch (spec.kind) {
      case ArgumentSpec::Kind::kAny:
        types.push_back(arg);
        break;
      case ArgumentSpec::Kind::kAnyElement:
        types.push_back(element);
        break;
      case ArgumentSpec::Kind::kType:
        if (arg.id() == TypeId::kNull && spec.id == TypeId::kDecimal &&
            decimal_argument.has_value()) {
          types.push_back(*decimal_argument);
        } else if (arg.id() == TypeId::kNull && spec.id == TypeId::kList) {
          types.push_back(list_argument.value_or(LogicalType::List(LogicalType::Varchar())));
        } else {
          types.push_back(ImplicitCastTarget(arg, spec.id));
        }
        break;
    }
  }
  return types;
}

template <typename Overload>
Result<std::pair<const Overload*, std::vector<LogicalType>>> Resolve(
    const std::unordered_map<std::string, std::vector<Overload>>& overloads, std::string_view name,
    std::span<const LogicalType> args) {
  auto found = overloads.find(std::string(name));
  if (found == overloads.end()) {
    return NotFoundError(name, args);
  }
  std::vector<Signature> signatures;
  std::vector<bool> variadic;
  for (const Overload& overload : found->second) {
    signatures.push_back(overload.arguments);
    if constexpr (std::is_same_v<Overload, ScalarOverload>) {
      variadic.push_back(overload.is_variadic);
    } else {
      variadic.push_back(false);
    }
  }
  Selection selection = Choose(name, signatures, variadic, args);
  switch (selection.choice) {
    case Choice::kNone:
      if (!selection.anyelement_error.ok()) {
        return selection.anyelement_error;
      }
      return NotFoundError(name, args);
    case Choice::kAmbiguous:
      return AmbiguousError(name, args);
    case Choice::kFound:
      break;
  }
  const Overload& overload = found->second[selection.index];
  std::optional<Signature> specs =
      Expand(overload.arguments, variadic[selection.index], args.size());
  FLOE_ASSIGN_OR_RETURN(std::vector<LogicalType> types, ConcreteTypes(name, *specs, args));
  return std::make_pair(&overload, std::move(types));
}

}  // namespace

const FunctionRegistry& FunctionRegistry::Default() {
  static const FunctionRegistry registry = [] {
    FunctionRegistry built;
    internal::RegisterBuiltins(built);
    return built;
  }();
  return registry;
}

void FunctionRegistry::AddScalar(ScalarOverload overload) {
  std::string name = overload.name;
  scalars_[name].push_back(std::move(overload));
}

void FunctionRegistry::AddAggregate(AggregateOverload overload) {
  std::string name = overload.name;
  aggregates_[name].push_back(std::move(overload));
}

bool FunctionRegistry::IsAggregate(std::string_view name) const {
  return aggregates_.contains(std::string(name));
}

bool FunctionRegistry::IsScalar(std::string_view name) const {
  return scalars_.contains(std::string(name));
}

Result<ScalarFunction> FunctionRegistry::ResolveScalar(
    std::string_view name, std::span<const LogicalType> argument_types) const {
  return ResolveScalar(name, argument_types, {});
}

Result<ScalarFunction> FunctionRegistry::ResolveScalar(
    std::string_view name, std::span<const LogicalType> argument_types,
    std::span<const types::Value> constants) const {
  FLOE_ASSIGN_OR_RETURN(auto resolved, Resolve(scalars_, name, argument_types));
  const ScalarOverload& overload = *resolved.first;
  std::vector<types::Value> known(constants.begin(), constants.end());
  known.resize(argument_types.size());
  FLOE_ASSIGN_OR_RETURN(BoundScalar bound,
                        overload.bind_with_constants
                            ? overload.bind_with_constants(resolved.second, known)
                            : overload.bind(resolved.second));
  ScalarFunction function;
  function.name = std::string(name);
  function.argument_types = std::move(resolved.second);
  function.return_type = std::move(bound.return_type);
  function.strict = overload.strict;
  function.deterministic = overload.deterministic;
  function.kernel = std::move(bound.kernel);
  return function;
}

Result<AggregateFunction> FunctionRegistry::ResolveAggregate(
    std::string_view name, std::span<const LogicalType> argument_types) const {
  FLOE_ASSIGN_OR_RETURN(auto resolved, Resolve(aggregates_, name, argument_types));
  FLOE_ASSIGN_OR_RETURN(AggregateFunction function, resolved.first->bind(resolved.second));
  function.name = std::string(name);
  function.argument_types = std::move(resolved.second);
  return function;
}

}  // namespace floe::sql
