#include "sqllogictest/linked_engine.h"

namespace floe::sqllogictest {

std::unique_ptr<SqlConnectionFactory> MakeLinkedEngineFactory() {
  return nullptr;
}

}  // namespace floe::sqllogictest
