"""Text primitives shared by ingest and the answering core: words, stems, sentences."""
