# The README's two commands, plus the quick loops and benchmarks. `run`, `test` and `bench` set up
# what they need first; `test-fast`, `lint` and `typecheck` use what is already installed.
.PHONY: run test test-fast lint typecheck bench setup

run:
	bash scripts/setup.sh run
	bash scripts/run.sh

test:
	bash scripts/test.sh

test-fast:
	bash scripts/test_fast.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
	npm run --silent lint

typecheck:
	.venv/bin/mypy

bench:
	bash scripts/setup.sh test
	bash scripts/bench.sh

setup:
	bash scripts/setup.sh run
