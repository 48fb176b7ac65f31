#include <cstdio>

#include "common/version.h"

int main() {
  std::printf("floe %s\n", floe::kVersion);
  return 0;
}
