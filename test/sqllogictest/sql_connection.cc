#include "sqllogictest/sql_connection.h"

namespace floe::sqllogictest {

std::string_view TypeClassName(TypeClass type_class) {
  switch (type_class) {
    case TypeClass::kInteger:
      return "integer";
    case TypeClass::kFloat:
      return "floating point";
    case TypeClass::kText:
      return "text";
    case TypeClass::kBoolean:
      return "boolean";
    case TypeClass::kDateTime:
      return "date/time";
    case TypeClass::kOther:
      return "other";
  }
  return "unknown";
}

}  // namespace floe::sqllogictest
