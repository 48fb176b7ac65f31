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

# floe_add_fuzz_target(<name> SOURCES <files...> DEPS <targets...>)
#
# A fuzz target defines `extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t)`. With
# FLOE_FUZZ=ON (Clang) it links libFuzzer; otherwise it links a small driver that replays the
# files or folders given on its command line. Either way every build compiles the targets and
# CTest replays their seed corpus (test/fuzz/corpus/<name>/) as a regression test; libFuzzer
# does that with -runs=0, which runs the given corpus once and generates nothing.
function(floe_add_fuzz_target name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  # `fuzz_all` builds every fuzz target and nothing else (make fuzz, CI).
  if(NOT TARGET fuzz_all)
    add_custom_target(fuzz_all)
  endif()
  add_dependencies(fuzz_all ${name})
  if(FLOE_FUZZ)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(${name} PRIVATE "${PROJECT_SOURCE_DIR}/test/fuzz/replay_main.cc")
  endif()
  set(corpus "${PROJECT_SOURCE_DIR}/test/fuzz/corpus/${name}")
  # Seeds kept elsewhere in the repository (test/fuzz/extra_seeds.txt), so no file is copied.
  file(STRINGS "${PROJECT_SOURCE_DIR}/test/fuzz/extra_seeds.txt" seed_lines REGEX "^${name} ")
  set(seed_folders "")
  foreach(line IN LISTS seed_lines)
    string(REGEX REPLACE "^${name} +" "" folder "${line}")
    list(APPEND seed_folders "${PROJECT_SOURCE_DIR}/${folder}")
  endforeach()
  if(EXISTS "${corpus}")
    if(FLOE_FUZZ)
      set(replay_options -runs=0 -rss_limit_mb=2048)
    else()
      set(replay_options "")
    endif()
    add_test(NAME fuzz_replay.${name} COMMAND ${name} ${replay_options} "${corpus}" ${seed_folders})
    set_tests_properties(fuzz_replay.${name} PROPERTIES LABELS fuzz)
  endif()
endfunction()
