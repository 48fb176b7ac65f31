# Floe's workflows, one target each. CMake + Ninja do the work; ccache is used when present.
#   make            release build: build/release/floe
#   make demo       install what is missing, build, start Floe on the embedded default
#   make test       install what is missing, build, run every test (unit, SQL, integration)
# See README.md for the rest.

BUILD_JOBS ?= $(shell nproc)
TEST_JOBS ?= $(shell nproc)
CMAKE_GENERATOR := -G Ninja
CMAKE_COMMON := -DCMAKE_EXPORT_COMPILE_COMMANDS=ON $(CMAKE_EXTRA_FLAGS)

.PHONY: all release debug asan tsan deps test test-unit test-sql test-integration test-asan test-tsan \
        demo bench fuzz format lint check-layers clean

all: release

define configure_and_build
	@if [ ! -f build/$(1)/build.ninja ]; then \
	  cmake -S . -B build/$(1) $(CMAKE_GENERATOR) $(CMAKE_COMMON) $(2); \
	fi
	cmake --build build/$(1) -j $(BUILD_JOBS)
endef

release:
	$(call configure_and_build,release,-DCMAKE_BUILD_TYPE=Release)

debug:
	$(call configure_and_build,debug,-DCMAKE_BUILD_TYPE=Debug)

# One Clang build serves the sanitizers and libFuzzer: its tests run under AddressSanitizer +
# UBSan, and its fuzz targets link libFuzzer. A build folder configured otherwise (an older GCC
# one) is configured afresh, since CMake cannot switch compilers in place.
ASAN_CONFIG := -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
               -DFLOE_SANITIZE=ON -DFLOE_FUZZ=ON
define configure_asan
	@if ! grep -qs '^FLOE_FUZZ:BOOL=ON' build/asan/CMakeCache.txt; then \
	  rm -rf build/asan; \
	  cmake -S . -B build/asan $(CMAKE_GENERATOR) $(CMAKE_COMMON) $(ASAN_CONFIG); \
	fi
endef

asan:
	$(configure_asan)
	cmake --build build/asan -j $(BUILD_JOBS)

tsan:
	$(call configure_and_build,tsan,-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOE_TSAN=ON)

deps:
	@scripts/install-deps

test: deps release
	ctest --test-dir build/release --output-on-failure -j $(TEST_JOBS)

test-unit: release
	ctest --test-dir build/release --output-on-failure -j $(TEST_JOBS) -L unit

test-sql: release
	ctest --test-dir build/release --output-on-failure -j $(TEST_JOBS) -L sql

test-integration: release
	ctest --test-dir build/release --output-on-failure -j $(TEST_JOBS) -L integration

# Unit and SQL tests, and the fuzz targets' seed corpora, under AddressSanitizer + UBSan.
test-asan: deps asan
	ctest --test-dir build/asan --output-on-failure -j $(TEST_JOBS) -L 'unit|sql|fuzz'

# The tests of the code that shares state between threads, under ThreadSanitizer: the
# scheduler, storage, vectors and the SQL engine's parallel operators.
TSAN_TESTS := floe_common_test floe_io_test floe_vector_test floe_sql_execution_test
test-tsan:
	@if [ ! -f build/tsan/build.ninja ]; then \
	  cmake -S . -B build/tsan $(CMAKE_GENERATOR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DFLOE_TSAN=ON; \
	fi
	cmake --build build/tsan -j $(BUILD_JOBS) --target $(TSAN_TESTS)
	@for test in $(TSAN_TESTS); do \
	  binary=$$(find build/tsan/test -name $$test -type f -executable | head -1); \
	  echo "== $$binary"; \
	  TSAN_OPTIONS=halt_on_error=1 $$binary --gtest_brief=1 || exit 1; \
	done

demo: deps release
	@scripts/demo

bench: deps release
	@scripts/bench

# Short libFuzzer runs of every fuzz target, in the sanitizer build.
fuzz: deps
	$(configure_asan)
	cmake --build build/asan -j $(BUILD_JOBS) --target fuzz_all
	@scripts/fuzz build/asan $(FUZZ_SECONDS)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

lint: debug
	@git ls-files 'src/*.cc' | xargs clang-tidy -p build/debug --quiet

check-layers:
	@scripts/check-layers

clean:
	rm -rf build
