"""Pure decoding functions: files in, `MediaSegment`s out. No models, no catalog."""

from __future__ import annotations

from indexer.media.extract import Extraction, ExtractOptions, extract
from indexer.media.kinds import KINDS, is_candidate
from indexer.media.segment import MediaSegment

__all__ = ["KINDS", "ExtractOptions", "Extraction", "MediaSegment", "extract", "is_candidate"]
