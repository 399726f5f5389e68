"""Spreadsheet exchange: the shared machinery behind every app's `resources.py`.

Formats with formula escaping, size and row limits, a base resource with natural keys,
strict widgets, the admin mixin, and the `export_data` / `import_data` commands.
"""
