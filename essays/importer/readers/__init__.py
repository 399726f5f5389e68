"""One reader per input format; each turns source text into ``Block`` objects."""
