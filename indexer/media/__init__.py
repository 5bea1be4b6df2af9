"""Pure decoding functions: files in, `MediaSegment`s out. No models, no catalog.

Import from the modules (`indexer.media.extract`, `.kinds`, `.segment`): this package
imports nothing itself, so naming a kind does not load FFmpeg.
"""
