.PHONY: demo test lint bench

# Install everything, load the demo essay into SQLite and serve http://127.0.0.1:8000/.
demo:
	bash scripts/demo.sh

# Install everything and run the whole suite on SQLite, then on a throwaway PostgreSQL.
test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check .
