# The README's two commands, plus benchmarks. Each target sets up what it needs first.
.PHONY: run test bench setup lint

run:
	bash scripts/setup.sh run
	bash scripts/run.sh

test:
	bash scripts/test.sh

bench:
	bash scripts/setup.sh test
	bash scripts/bench.sh

setup:
	bash scripts/setup.sh run

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
