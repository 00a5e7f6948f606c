"""chitieu: Vietnamese plan texts in, a normalized SQLite database of commitments out.

The path of one file is a straight line through this package:

    ingest.read_file -> normalize.normalize -> clean.clean -> split.split_documents
    -> structure.Document -> extractors (metadata, targets, budgets, agencies, ...)
    -> store.Store

``pipeline.run.extract_paths`` drives it; ``pipeline.cli`` is a thin shell over it.
"""
__version__ = "0.1.0"
