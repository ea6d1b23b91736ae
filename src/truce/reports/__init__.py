"""truce.reports: exports (CSV, GeoJSON) and, later, situation reports."""
