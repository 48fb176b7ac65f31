# floe_add_library(<name> SOURCES <files...> [DEPS <targets...>])
#
# Declares one layer of the tree as a static library. Include paths are rooted at src/, so
# headers are included by their path (`#include "common/status.h"`). A layer lists only the
# layers below it in DEPS; scripts/check-layers enforces the same order on #include lines.
function(floe_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# floe_add_unit_test(<name> SOURCES <files...> DEPS <targets...>)
#
# One GoogleTest binary per layer; every test case becomes its own CTest entry.
function(floe_add_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES LABELS unit)
endfunction()
