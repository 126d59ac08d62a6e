"""Reading the content tree: files, YAML with positions, schemas, computed figures."""
