"""Whoosh posting blocks laid out as plain arrays, so that reading one costs a few copies in C.

Whoosh's own codec (W3Codec) writes each block of up to 128 postings as a zlib-compressed pickle
of a tuple of tuples, and the block's header as another pickle. Reading a block of the news
corpus's `text` field (6.4 KB unpacked) took about 150 µs: 55 µs to decompress and 90 µs to
unpickle one int, one float and one bytes object per posting. Every query reads every block of
every word it looks for, so at 37,548 articles that was most of a search's time.

CompactCodec keeps Whoosh's term index, columns and everything else, and changes only the block
layout: a fixed header, then document-number deltas, weights and value offsets as native arrays
(little-endian on disk) and the values' bytes in one run. Reading a block is one header unpack
and `array.frombytes`; a value is sliced out only when a phrase asks for positions.
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left
from itertools import accumulate
from operator import sub

from whoosh.codec.whoosh3 import (LENGTHS_COLUMN, STORED_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher,
                                  W3PerDocReader, W3PostingsWriter, _lenfield)
from whoosh.matching import ListMatcher, ReadTooFar
from whoosh.util.numeric import byte_to_length, length_to_byte

# Block header: total block length in bytes (negative for a term's last block), postings in the
# block, last document number, highest weight, shortest and longest field length (as bytes).
_HEADER = struct.Struct("<iIIfBB")
_BIG_ENDIAN = sys.byteorder == "big"
_ALL_ONE, _ONE_WEIGHT, _WEIGHTS = 0, 1, 2  # how a block's weights are kept


class DamagedIndexFile(Exception):
    """An index file that is not what was written: cut short, garbled, or missing a part."""


def to_disk(values: array) -> bytes:
    """An array's bytes in little-endian order."""
    if _BIG_ENDIAN:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def from_disk(typecode: str, data, start: int, count: int) -> array:
    """`count` items of an array stored by to_disk, from data[start:]."""
    values = array(typecode)
    values.frombytes(data[start : start + count * values.itemsize])
    if _BIG_ENDIAN:
        values.byteswap()
    return values


class CompactCodec(W3Codec):
    """Whoosh's W3 codec with posting blocks as arrays instead of compressed pickles."""

    def per_document_reader(self, storage, segment):
        return CompactPerDocReader(storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors (unused here) keep Whoosh's own layout
            return super().postings_writer(dbfile, byteids)
        return CompactPostingsWriter(dbfile, blocklimit=self._blocklimit, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)
        offset, length = terminfo.extent()
        return CompactLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class CompactPostingsWriter(W3PostingsWriter):
    """Writes each block as a header and arrays (see the module's docstring)."""

    def add_posting(self, id_, weight, vbytes, length=None) -> None:
        # As Whoosh's, without its four type checks a posting (they came to 10% of a commit).
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)

        ids, weights = self._ids, self._weights
        count = len(ids)
        parts = [to_disk(array("I", [ids[0], *map(sub, ids[1:], ids)]))]  # gaps between document numbers
        if weights.count(1.0) == count:
            parts.append(bytes([_ALL_ONE]))
        elif weights.count(weights[0]) == count:
            parts.append(bytes([_ONE_WEIGHT]) + to_disk(array("f", weights[:1])))
        else:
            parts.append(bytes([_WEIGHTS]) + to_disk(weights))
        if self._format.fixed_value_size() != 0:
            values = self._values
            parts.append(to_disk(array("I", accumulate(map(len, values), initial=0))))
            parts.append(b"".join(values))
        body = b"".join(parts)

        length = _HEADER.size + len(body)
        self._postfile.write(_HEADER.pack(-length if last else length, count, ids[-1], self._maxweight,
                                          length_to_byte(self._minlength), length_to_byte(self._maxlength)))
        self._postfile.write(body)
        self._blockcount += 1
        self._new_block()


class CompactPerDocReader(W3PerDocReader):
    """Whoosh's per-document reader with field lengths held in memory: scoring asks for a length
    for every matching document, and writing a segment for every posting (1.1 million times for
    3,000 articles), each time one seek and one read of a single byte from the column file."""

    def __init__(self, storage, segment) -> None:
        super().__init__(storage, segment)
        self._lengths: dict[str, bytes | None] = {}

    def column_reader(self, fieldname, column):
        # A column keeps its layout at the end of its file, read here first: a file cut short or
        # garbled fails here in assorted ways (UnicodeEncodeError, ValueError...), named as one.
        try:
            return super().column_reader(fieldname, column)
        except OSError:
            raise  # a missing file or a bad seek: the index says which
        except Exception as error:
            raise DamagedIndexFile(f"column {fieldname!r} of segment {self._segment.segment_id()}: {error}") from error

    def stored_fields(self, docnum: int) -> dict:
        # Every document stores its id, so a segment without the column has lost a file (Whoosh
        # would fail later with "'NoneType' object is not subscriptable").
        if self._doccount and self._cached_reader("_stored", STORED_COLUMN) is None:
            raise DamagedIndexFile(f"the stored fields of segment {self._segment.segment_id()} are missing")
        return super().stored_fields(docnum)

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        lengths = self._lengths.get(fieldname, b"")
        if lengths == b"":
            lengths = self._lengths[fieldname] = self._read_lengths(fieldname)
        if lengths is None:
            return default
        code = lengths[docnum] if docnum < len(lengths) else 0
        # As Whoosh's own reader: a document without the field has no length (None).
        return byte_to_length(code) if code else None

    def _read_lengths(self, fieldname: str) -> bytes | None:
        """The field's length codes, one byte a document, or None when the segment has no such column."""
        reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            return None
        try:
            return reader._dbfile.get(reader._basepos, reader._count)
        except AttributeError:  # not the plain byte column Whoosh writes for lengths
            return bytes(reader[docnum] for docnum in range(self._doccount))


class _Values:
    """A block's posting values, each sliced from the block's bytes when asked for."""

    __slots__ = ("_data", "_offsets", "_start")

    def __init__(self, data: bytes, offsets: array, start: int) -> None:
        self._data, self._offsets, self._start = data, offsets, start

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> bytes:
        return self._data[self._start + self._offsets[i] : self._start + self._offsets[i + 1]]


class CompactLeafMatcher(W3LeafMatcher):
    """Reads the blocks CompactPostingsWriter writes, with Whoosh's matcher behaviour unchanged."""

    def _read_header(self) -> None:
        # As Whoosh's, with a named error for a file cut short or overwritten (Whoosh raises a bare Exception).
        self._postfile.seek(self._startoffset)
        if self._postfile.read(4) != WHOOSH3_HEADER_MAGIC:
            raise DamagedIndexFile(f"no posting list where the term index points ({self._term!r})")
        self._baseoffset = self._postfile.tell()

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        header = self._postfile.get(position, _HEADER.size)
        if len(header) < _HEADER.size:
            raise DamagedIndexFile(f"a posting block of {self._term!r} is cut short")
        length, count, maxid, maxweight, shortest, longest = _HEADER.unpack(header)
        if length < 0:
            self._lastblock = True
            length = -length
        self._nextoffset = position + length
        self._dataoffset = position + _HEADER.size
        self._blocklength, self._maxid, self._maxweight, self._compression = count, maxid, maxweight, 0
        self._minlength, self._maxlength = byte_to_length(shortest), byte_to_length(longest)

    def skip_to(self, targetid: int) -> None:
        # Whoosh steps through a block one posting at a time; a bisection finds the place in C.
        if not self.is_active():
            raise ReadTooFar
        if targetid <= self.id():
            return
        while targetid > self._maxid:
            if self._lastblock:
                self._atend = True
                return
            self._next_block()
        if self._ids is None:
            self._read_ids()
        self._i = bisect_left(self._ids, targetid, self._i)

    def _read_data(self) -> None:
        self._data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        if len(self._data) != self._nextoffset - self._dataoffset:
            raise DamagedIndexFile(f"a posting block of {self._term!r} is cut short")

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = list(accumulate(from_disk("I", self._data, 0, self._blocklength)))

    def _weights_end(self) -> int:
        """Where the block's values begin (after its ids and weights); reads the weights on the way."""
        data, count = self._data, self._blocklength
        start = count * 4
        kind = data[start]
        if kind == _ALL_ONE:
            self._weights = array("f", [1.0]) * count
            return start + 1
        if kind == _ONE_WEIGHT:
            self._weights = from_disk("f", data, start + 1, 1) * count
            return start + 5
        self._weights = from_disk("f", data, start + 1, count)
        return start + 1 + count * 4

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        self._weights_end()

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        count = self._blocklength
        if self._fixedsize == 0:
            self._values = (None,) * count
            return
        start = self._weights_end()
        offsets = from_disk("I", self._data, start, count + 1)
        self._values = _Values(self._data, offsets, start + (count + 1) * 4)
