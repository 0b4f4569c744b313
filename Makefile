# civicdesk — the two commands a ward's staff need are `make run` and `make test`.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
DB ?= sqlite:var/civicdesk.db
PORT ?= 8080
HOST ?= 127.0.0.1

FUZZ_SECONDS ?= 60

.PHONY: all deps test-deps bench-deps fuzz-deps browser-deps configure build run test bench fuzz format clean

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

bench-deps:
	@scripts/install-deps.sh bench

fuzz-deps:
	@scripts/install-deps.sh fuzz

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Serves the Minato data on http://$(HOST):$(PORT)/ from an SQLite file; loaded on first start.
run: build
	@mkdir -p var
	$(BUILD_DIR)/civicdesk serve --db $(DB) --host $(HOST) --port $(PORT)

# playwright-core for the browser tests, from package-lock.json (it drives Debian's chromium).
tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund

browser-deps: tests/browser/node_modules/.package-lock.json

# Every test, on SQLite and on a throwaway PostgreSQL 15 cluster started for the run, and the
# browser tests in Chromium.
test: test-deps build browser-deps
	CIVICDESK_REQUIRE_POSTGRES=1 scripts/with-postgres.sh \
	  ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# Every benchmark beside its baseline in the same run; results go in the README.
bench: bench-deps build
	scripts/bench.sh $(BUILD_DIR)

# Every libFuzzer target (fuzz/README.md) for FUZZ_SECONDS each, in a clang build of its own
# (build-fuzz) with AddressSanitizer and UndefinedBehaviorSanitizer. Nightly: FUZZ_SECONDS=3600.
fuzz: fuzz-deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

format:
	git ls-files -- 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h' 'fuzz/*.cc' 'fuzz/*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
