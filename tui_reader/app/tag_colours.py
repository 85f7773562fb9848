"""A colour per tag: one of a few component classes, chosen by a stable hash of the tag's name."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

# The colours themselves live in newsreader.tcss (`.tag--0` ... `.tag--5`), so a theme can change them;
# none of them is the warning colour that marks search hits, so hits stay visible inside passages.
TAG_CLASSES = tuple(f"tag--{number}" for number in range(6))


def tag_class(tags: Sequence[str]) -> str:
    """The component class of a passage's colour: that of its first tag, the same in every run."""
    if not tags:
        return TAG_CLASSES[0]
    # crc32, not hash(): Python salts str hashes per process, and a tag must keep its colour.
    return TAG_CLASSES[zlib.crc32(tags[0].encode("utf-8")) % len(TAG_CLASSES)]
