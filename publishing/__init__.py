"""What readers see: published revisions, their snapshot and rendered page, the public views,
feeds, sitemaps and structured data. Depends on essays and review; nothing depends on it."""
