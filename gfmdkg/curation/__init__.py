"""Curation tools: generated reference nodes (countries, regions) built from libraries, never typed by hand."""
