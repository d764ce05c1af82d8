# genwindow — the two commands a new machine needs: `make demo` and `make test`.
SWIFT ?= swift
BUILD_PACKAGES := pkg-config libncursesw5-dev libopenblas-dev liblapacke-dev libpng-dev zlib1g-dev
TEST_PACKAGES := $(BUILD_PACKAGES) tmux
RELEASE_BIN := .build/release/genwindow

.PHONY: all deps test-deps build release demo test bench test-slurm fashion-mnist clean

all: release

deps:
	@scripts/install-deps.sh $(BUILD_PACKAGES)

test-deps:
	@scripts/install-deps.sh $(TEST_PACKAGES)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product genwindow

## The main job: a live default training run.
demo: release
	$(RELEASE_BIN) train --headless --out runs/demo.jsonl --force

## Builds and runs the whole test suite.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Benchmarks (release build); BENCH_FLAGS=--quick for the one-minute subset.
bench: release
	$(RELEASE_BIN) bench $(BENCH_FLAGS)

## Real Slurm test: single-node slurmctld + slurmd on this host runs a small sweep (root; installs slurm-wlm, munge).
test-slurm: release
	scripts/test-slurm.sh $(RELEASE_BIN)

## Fashion-MNIST for `--data fashion-mnist` (Debian's dataset-fashion-mnist, under /usr/share/datasets).
fashion-mnist:
	@scripts/install-deps.sh dataset-fashion-mnist

clean:
	rm -rf .build
