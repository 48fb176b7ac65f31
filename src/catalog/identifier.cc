#include "catalog/identifier.h"

#include <fmt/format.h>

namespace floe::catalog {

std::string NamespaceToString(const Namespace& namespace_name) {
  return fmt::format("{}", fmt::join(namespace_name, "."));
}

std::string IdentifierToString(const TableIdentifier& identifier) {
  if (identifier.namespace_name.empty()) {
    return identifier.name;
  }
  return NamespaceToString(identifier.namespace_name) + "." + identifier.name;
}

Status ValidateName(std::string_view kind, std::string_view name) {
  if (name.empty()) {
    return Status::InvalidArgument("{} must not be empty", kind);
  }
  if (name.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("{} must not contain a NUL character", kind);
  }
  if (name.find('\x1f') != std::string_view::npos) {
    return Status::InvalidArgument("{} must not contain the unit separator (0x1f)", kind);
  }
  return Status::OK();
}

Status ValidateNamespace(const Namespace& namespace_name) {
  if (namespace_name.empty()) {
    return Status::InvalidArgument("namespace must have at least one level");
  }
  for (const std::string& level : namespace_name) {
    FLOE_RETURN_NOT_OK(ValidateName("namespace level", level));
  }
  return Status::OK();
}

Status ValidateIdentifier(const TableIdentifier& identifier) {
  FLOE_RETURN_NOT_OK(ValidateNamespace(identifier.namespace_name));
  return ValidateName("name", identifier.name);
}

}  // namespace floe::catalog
