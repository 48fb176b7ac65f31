#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace floe::catalog {

/// A multi-level namespace, outermost level first: {"sales", "eu"}. The empty list is the root,
/// which holds the top-level namespaces and can be listed but not created or dropped.
using Namespace = std::vector<std::string>;

/// Names a table or a view: the namespace that holds it and its name within it.
struct TableIdentifier {
  Namespace namespace_name{};
  std::string name{};

  friend bool operator==(const TableIdentifier&, const TableIdentifier&) = default;
};

/// Returns the levels joined by dots, as used in messages: "sales.eu".
std::string NamespaceToString(const Namespace& namespace_name);
/// Returns the namespace and the name joined by dots: "sales.eu.orders".
std::string IdentifierToString(const TableIdentifier& identifier);

/// Returns InvalidArgument unless the namespace has at least one level and every level is a
/// valid name (see ValidateName).
Status ValidateNamespace(const Namespace& namespace_name);
/// Returns InvalidArgument for an empty name or one holding a NUL or a unit separator (0x1f,
/// which separates levels in stored and encoded namespaces, as in the Iceberg REST protocol).
/// `kind` names the object in the message ("table name").
Status ValidateName(std::string_view kind, std::string_view name);
/// Validates the identifier's namespace and name.
Status ValidateIdentifier(const TableIdentifier& identifier);

}  // namespace floe::catalog
