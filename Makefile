.PHONY: demo test lint bench screenshots

# Install everything, load the demo essay into SQLite and serve http://127.0.0.1:8000/.
demo:
	bash scripts/demo.sh

# Install everything and run the whole suite on SQLite, then on a throwaway PostgreSQL.
test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check .

# Benchmark the article page against the Django floor (gunicorn + wrk + a throwaway Redis).
bench:
	bash scripts/bootstrap.sh
	bash scripts/with-services.sh .venv/bin/python bench/article_bench.py

# Screenshots of the demo article at 1400 px and 390 px, saved under docs/.
screenshots:
	bash scripts/screenshots.sh
