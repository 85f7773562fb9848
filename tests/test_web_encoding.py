"""Decoding pages and feeds as browsers do (WHATWG Encoding): which declaration wins, what labels mean,
and that nothing is lost or raises."""

from __future__ import annotations

import codecs

import pytest

from tui_reader.core.web.encoding import charset_of, decode_page, whatwg_codec, whatwg_encoding

# Written for the tests: Western text with the characters windows-1252 keeps in 0x80-0x9F.
WESTERN = "“Señor” Müllers résumé – naïve œuvre, 5 € … ‘fin’ — Š ž Ÿ ™"
NAMES = "señor Müllers résumé naïve œuvre"


def test_iso_8859_1_declared_in_http_is_windows_1252() -> None:
    """The issue's page: windows-1252 bytes sent as iso-8859-1 keep their quotes, dashes and euro."""
    data = f"<p>{WESTERN}</p>".encode("cp1252")
    assert any(0x80 <= byte <= 0x9F for byte in data)
    assert decode_page(data, "text/html; charset=iso-8859-1") == f"<p>{WESTERN}</p>"
    assert decode_page(NAMES.encode("cp1252"), "text/html; charset=ISO-8859-1") == NAMES


@pytest.mark.parametrize("label", ["iso-8859-1", "latin1", "l1", "us-ascii", "ascii", "cp819", "ibm819",
                                   "iso_8859-1", "iso8859-1", "iso88591", "windows-1252", "x-cp1252", " Latin1\t"])
def test_latin1_labels_mean_windows_1252(label: str) -> None:
    assert whatwg_codec(label) == "cp1252"
    assert decode_page(WESTERN.encode("cp1252"), f"text/html; charset={label.strip()}") == WESTERN


@pytest.mark.parametrize(("label", "codec"), [
    ("iso-8859-9", "cp1254"), ("latin5", "cp1254"), ("iso-8859-11", "cp874"), ("tis-620", "cp874"),
    ("utf8", "utf-8"), ("koi8-r", "koi8_r"), ("gb2312", "gb18030"), ("shift_jis", "cp932"), ("euc-kr", "cp949"),
    ("utf-16", "utf-16-le"), ("iso-8859-8-i", "iso8859_8"),
])
def test_labels_map_per_the_whatwg_table(label: str, codec: str) -> None:
    assert whatwg_codec(label) == codec
    codecs.lookup(codec)  # a codec Python has


def test_unknown_labels_are_none() -> None:
    assert whatwg_codec("no-such-charset") is None
    assert whatwg_codec("") is None
    assert whatwg_encoding("ISO-8859-1") == "windows-1252"


def test_bytes_python_leaves_undefined_keep_their_code_points() -> None:
    """0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in Python's cp1252 and U+0081... in WHATWG: decoding
    neither raises nor drops them (the sanitizer removes C1 controls later)."""
    data = b"a\x81b\x8dc\x8fd\x90e\x9df\x80"
    assert decode_page(data, "text/plain; charset=windows-1252") == "a\x81b\x8dc\x8fd\x90e\x9df€"
    # The same holds in a sibling: windows-1250 leaves 0x81 undefined too.
    assert decode_page(b"\x81\x8a", "text/plain; charset=windows-1250") == "\x81Š"


def test_bom_beats_the_header() -> None:
    text = "Grüße – ok"
    assert decode_page(codecs.BOM_UTF8 + text.encode("utf-8"), "text/html; charset=iso-8859-1") == text
    assert decode_page(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "text/html; charset=utf-8") == text
    assert decode_page(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == text


def test_header_beats_meta() -> None:
    page = f'<meta charset="utf-8"><p>{WESTERN}</p>'.encode("cp1252")
    assert decode_page(page, "text/html; charset=windows-1252") == f'<meta charset="utf-8"><p>{WESTERN}</p>'


def test_meta_charset_when_the_header_has_none() -> None:
    text = "Привет, мир"
    page = '<html><head><meta charset="koi8-r"><title>t</title></head><body>{}</body>'.format(text)
    assert decode_page(page.encode("koi8_r"), "text/html") == page
    assert decode_page(page.encode("koi8_r"), None) == page


def test_meta_http_equiv_content() -> None:
    text = "Привет"
    page = f'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>{text}'
    assert decode_page(page.encode("cp1251")) == page
    # Without the http-equiv pragma, a content attribute alone declares nothing (bytes fall to windows-1252).
    bare = f'<meta content="text/html; charset=windows-1251"><p>{text}'.encode("cp1251")
    assert decode_page(bare) == bare.decode("cp1252")


def test_meta_in_a_comment_or_another_attribute_does_not_count() -> None:
    text = "Привет"
    page = (f'<!-- <meta charset="utf-8"> --><div title="<meta charset=utf-8>"></div>'
            f'<meta charset="windows-1251"><p>{text}').encode("cp1251")
    assert decode_page(page).endswith(text)


def test_meta_found_after_a_long_head() -> None:
    page = ("<html><head>" + "<script>var x = 1;</script>\n" * 60 + '<meta charset="koi8-r"></head>Мир').encode("koi8_r")
    assert 1024 < page.index(b"<meta") < 4096
    assert decode_page(page).endswith("Мир")


def test_utf16_in_a_meta_means_utf8() -> None:
    page = '<meta charset="utf-16"><p>Grüße</p>'
    assert decode_page(page.encode("utf-8")) == page


def test_xml_declaration_for_feeds() -> None:
    feed = f'<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss><channel><title>{WESTERN}</title></channel></rss>'
    assert decode_page(feed.encode("cp1252"), "application/rss+xml") == feed
    koi = '<?xml version="1.0" encoding="koi8-r"?><feed><title>Мир</title></feed>'
    assert decode_page(koi.encode("koi8_r")) == koi
    # An XML document in UTF-16 without a mark is still recognised by its first characters.
    wide = '<?xml version="1.0" encoding="utf-16"?><feed/>'
    assert decode_page(wide.encode("utf-16-le")) == wide


def test_unknown_label_falls_through() -> None:
    """An unknown label in the header, then in a meta: each is passed over for the next declaration, and
    in the end UTF-8 when the bytes are UTF-8, windows-1252 when they are not."""
    page = f'<meta charset="windows-1251"><p>Мир</p>'.encode("cp1251")
    assert decode_page(page, "text/html; charset=x-no-such") == page.decode("cp1251")
    utf8 = f'<meta charset="x-no-such"><p>{WESTERN}</p>'
    assert decode_page(utf8.encode("utf-8"), "text/html; charset=bogus") == utf8
    assert decode_page(utf8.encode("cp1252"), "text/html; charset=bogus") == utf8


def test_undeclared_is_utf8_else_windows_1252() -> None:
    assert decode_page(WESTERN.encode("utf-8")) == WESTERN
    assert decode_page(WESTERN.encode("cp1252")) == WESTERN
    assert decode_page(b"") == ""


def test_invalid_bytes_become_replacement_characters() -> None:
    assert decode_page(b"ok \xff\xfe!", "text/html; charset=utf-8") == "ok \ufffd\ufffd!"
    assert decode_page(b"\x82\xa0\x82", "text/plain; charset=shift_jis") == "あ\ufffd"  # cut mid-character
    assert decode_page(b"\x00\xd8", "text/plain; charset=utf-16le") == "\ufffd"  # a lone surrogate


def test_special_encodings() -> None:
    """The replacement encoding (labels browsers refuse) is one U+FFFD; x-user-defined maps high bytes to
    private use; in a meta it means windows-1252."""
    assert decode_page(b"\x1b$)Ctext", "text/html; charset=iso-2022-kr") == "\ufffd"
    assert decode_page(b"a\x80", "text/html; charset=x-user-defined") == "a\uf780"
    assert decode_page(b'<meta charset="x-user-defined">\x80') == '<meta charset="x-user-defined">€'


@pytest.mark.parametrize(("header", "charset"), [
    ("text/html; charset=UTF-8", "UTF-8"), ('text/html; charset="iso-8859-1"', "iso-8859-1"),
    ("text/html;charset=latin1;format=flowed", "latin1"), ("text/html", None), (None, None), ("", None),
    ("application/xml; Charset = 'koi8-r'", "koi8-r"),
])
def test_charset_of(header: str | None, charset: str | None) -> None:
    assert charset_of(header) == charset


def test_never_raises_on_arbitrary_bytes() -> None:
    """Every byte value under every kind of declaration decodes to some text."""
    data = bytes(range(256)) * 2
    for header in (None, "text/html; charset=utf-8", "text/html; charset=windows-1252", "text/html; charset=gbk",
                   "text/html; charset=iso-2022-jp", "text/html; charset=utf-16be", "text/html; charset=iso-8859-3",
                   "text/html; charset=windows-1253", "text/html; charset=big5", "text/html; charset=euc-jp"):
        assert isinstance(decode_page(data, header), str)
        assert isinstance(decode_page(b"<meta charset=" + data, header), str)
