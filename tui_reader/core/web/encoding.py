"""Bytes from the web to text, decoded as browsers decode them (the WHATWG Encoding standard).

Pages and feeds say what they are in several places, and they often say it wrongly. Browsers settled
the order long ago, and a reader that follows another order shows mojibake where a browser shows the
page: a byte-order mark wins; then the charset of the HTTP Content-Type; then a `<meta>` in the head
(found by the HTML prescan); then, for feeds, the XML declaration; else UTF-8 when the bytes are valid
UTF-8, else windows-1252. Labels mean what the WHATWG table says, not what Python's codec registry
says: `iso-8859-1`, `latin1` and `us-ascii` all mean windows-1252, so that the curly quotes, dashes
and euro signs pages have always sent in bytes 0x80-0x9F survive. Decoding never raises: an invalid
byte becomes U+FFFD. Controls that come through (C1 among them) are the sanitizer's to drop, later.
"""

from __future__ import annotations

import codecs
import re

# --- The WHATWG label table -----------------------------------------------------------------------
# Each encoding of https://encoding.spec.whatwg.org/#names-and-labels, with its labels and the Python
# codec that decodes it (the nearest one where the two differ: Python's gb18030 for GBK, whose WHATWG
# decoder is the gb18030 decoder; big5hkscs for Big5; cp932 for Shift_JIS; cp949 for EUC-KR).
_ENCODINGS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "UTF-8": ("utf-8", ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8")),
    "IBM866": ("cp866", ("866", "cp866", "csibm866", "ibm866")),
    "ISO-8859-2": ("iso8859_2", ("csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
                                 "iso_8859-2:1987", "l2", "latin2")),
    "ISO-8859-3": ("iso8859_3", ("csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3",
                                 "iso_8859-3:1988", "l3", "latin3")),
    "ISO-8859-4": ("iso8859_4", ("csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4",
                                 "iso_8859-4:1988", "l4", "latin4")),
    "ISO-8859-5": ("iso8859_5", ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5",
                                 "iso88595", "iso_8859-5", "iso_8859-5:1988")),
    "ISO-8859-6": ("iso8859_6", ("arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114",
                                 "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596",
                                 "iso_8859-6", "iso_8859-6:1987")),
    "ISO-8859-7": ("iso8859_7", ("csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7",
                                 "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987",
                                 "sun_eu_greek")),
    "ISO-8859-8": ("iso8859_8", ("csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e",
                                 "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual")),
    "ISO-8859-8-I": ("iso8859_8", ("csiso88598i", "iso-8859-8-i", "logical")),
    "ISO-8859-10": ("iso8859_10", ("csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6",
                                   "latin6")),
    "ISO-8859-13": ("iso8859_13", ("iso-8859-13", "iso8859-13", "iso885913")),
    "ISO-8859-14": ("iso8859_14", ("iso-8859-14", "iso8859-14", "iso885914")),
    "ISO-8859-15": ("iso8859_15", ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9")),
    "ISO-8859-16": ("iso8859_16", ("iso-8859-16",)),
    "KOI8-R": ("koi8_r", ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r")),
    "KOI8-U": ("koi8_u", ("koi8-ru", "koi8-u")),
    "macintosh": ("mac_roman", ("csmacintosh", "mac", "macintosh", "x-mac-roman")),
    "windows-874": ("cp874", ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874")),
    "windows-1250": ("cp1250", ("cp1250", "windows-1250", "x-cp1250")),
    "windows-1251": ("cp1251", ("cp1251", "windows-1251", "x-cp1251")),
    "windows-1252": ("cp1252", ("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
                                "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1",
                                "latin1", "us-ascii", "windows-1252", "x-cp1252")),
    "windows-1253": ("cp1253", ("cp1253", "windows-1253", "x-cp1253")),
    "windows-1254": ("cp1254", ("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599",
                                "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254")),
    "windows-1255": ("cp1255", ("cp1255", "windows-1255", "x-cp1255")),
    "windows-1256": ("cp1256", ("cp1256", "windows-1256", "x-cp1256")),
    "windows-1257": ("cp1257", ("cp1257", "windows-1257", "x-cp1257")),
    "windows-1258": ("cp1258", ("cp1258", "windows-1258", "x-cp1258")),
    "x-mac-cyrillic": ("mac_cyrillic", ("x-mac-cyrillic", "x-mac-ukrainian")),
    "GBK": ("gb18030", ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
                        "iso-ir-58", "x-gbk")),
    "gb18030": ("gb18030", ("gb18030",)),
    "Big5": ("big5hkscs", ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5")),
    "EUC-JP": ("euc_jp", ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp")),
    "ISO-2022-JP": ("iso2022_jp", ("csiso2022jp", "iso-2022-jp")),
    "Shift_JIS": ("cp932", ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j",
                            "x-sjis")),
    "EUC-KR": ("cp949", ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
                         "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949")),
    # Labels of encodings browsers refuse to decode (they were used to smuggle markup past filters):
    # the whole document becomes one U+FFFD. No Python codec: decode_page handles it.
    "replacement": (None, ("csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr",
                           "replacement")),
    "UTF-16BE": ("utf-16-be", ("unicodefffe", "utf-16be")),
    "UTF-16LE": ("utf-16-le", ("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16",
                               "utf-16le")),
    # Bytes 0x80-0xFF to U+F780-U+F7FF (private use): no Python codec, decode_page handles it.
    "x-user-defined": (None, ("x-user-defined",)),
}
_LABELS: dict[str, str] = {label: name for name, (_, labels) in _ENCODINGS.items() for label in labels}

# Single-byte codecs: where Python leaves a byte undefined, WHATWG decodes a byte in 0x80-0x9F to the
# code point of the same number (windows-1252's 0x81, 0x8D, 0x8F, 0x90 and 0x9D, and the like in its
# siblings); any other undefined byte is U+FFFD in both.
_SINGLE_BYTE = frozenset(
    codec for name, (codec, _) in _ENCODINGS.items()
    if codec and (name.startswith(("ISO-8859", "windows-", "KOI8")) or name in ("IBM866", "macintosh", "x-mac-cyrillic"))
)
_ERRORS_SINGLE_BYTE = "newsreader-whatwg-single-byte"

_ASCII_WHITESPACE = "\t\n\f\r "
# The prescan reads this much of a page for a <meta> charset. The HTML standard asks for at least 1024
# bytes; pages with long heads of scripts and styles put the meta later, so we look further, as
# browsers in practice do.
_PRESCAN_BYTES = 4096
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"))
_HTTP_CHARSET = re.compile(r"""(?:^|[;\s])charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;,"']+))""", re.IGNORECASE)
_XML_DECLARATION = re.compile(
    rb"""\s*<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)')""", re.IGNORECASE
)


def _undefined_as_c1(error: UnicodeError) -> tuple[str, int]:
    """The WHATWG reading of bytes a Python single-byte codec leaves undefined: U+0080-U+009F for
    bytes 0x80-0x9F (so that nothing vanishes or raises), U+FFFD for any other."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    undefined = error.object[error.start:error.end]
    return "".join(chr(byte) if 0x80 <= byte <= 0x9F else "\ufffd" for byte in undefined), error.end


codecs.register_error(_ERRORS_SINGLE_BYTE, _undefined_as_c1)


def whatwg_encoding(label: str) -> str | None:
    """The WHATWG name of the encoding a label means (e.g. "latin1" -> "windows-1252"), None if the label
    is unknown. Labels are matched as browsers match them: ASCII white space trimmed, case ignored."""
    return _LABELS.get(label.strip(_ASCII_WHITESPACE).lower())


def whatwg_codec(label: str) -> str | None:
    """The Python codec that decodes what a WHATWG label means (e.g. "iso-8859-1" -> "cp1252"); None for
    a label that is unknown, or that means the "replacement" or "x-user-defined" encodings, which no
    Python codec implements (decode_page decodes those itself)."""
    name = whatwg_encoding(label)
    return _ENCODINGS[name][0] if name else None


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value (e.g. "text/html; charset=UTF-8" -> "UTF-8"),
    unquoted and trimmed; None when there is none."""
    if not content_type:
        return None
    match = _HTTP_CHARSET.search(content_type)
    if not match:
        return None
    value = next(group for group in match.groups() if group is not None).strip(_ASCII_WHITESPACE)
    return value or None


def decode_page(data: bytes, content_type: str | None = None) -> str:
    """Text from the bytes of a page or feed, decoded as a browser would decode them: byte-order mark,
    then the Content-Type charset, then a <meta> charset, then an XML declaration, else UTF-8 when valid,
    else windows-1252. Unknown labels are passed over. Never raises; invalid bytes become U+FFFD."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], codec)
    name = whatwg_encoding(charset_of(content_type) or "")
    if name is None:
        name = _declared_in_document(data)
    if name is not None:
        return _decode_as(data, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(data, "cp1252")


def _declared_in_document(data: bytes) -> str | None:
    """The WHATWG encoding a document declares in itself: an XML declaration at its start (feeds), else a
    <meta> in its head (pages). A declaration read from ASCII bytes cannot be UTF-16 whatever it says,
    so UTF-16 there means UTF-8, as in browsers (and x-user-defined means windows-1252)."""
    head = data[:_PRESCAN_BYTES]
    if head[:4] in (b"<\x00?\x00", b"\x00<\x00?"):  # an XML declaration in UTF-16 without a mark
        return "UTF-16LE" if head[0] == 0x3C else "UTF-16BE"
    match = _XML_DECLARATION.match(head)
    if match:
        name = whatwg_encoding((match.group(1) or match.group(2) or b"").decode("latin-1"))
    else:
        name = _prescan(head)
    if name in ("UTF-16BE", "UTF-16LE"):
        return "UTF-8"
    if name == "x-user-defined":
        return "windows-1252"
    return name


def _decode_as(data: bytes, name: str) -> str:
    """Bytes decoded with a WHATWG encoding (by its name), including the two no Python codec has."""
    if name == "replacement":
        return "\ufffd" if data else ""
    if name == "x-user-defined":
        return "".join(chr(byte) if byte < 0x80 else chr(0xF780 + byte - 0x80) for byte in data)
    codec = _ENCODINGS[name][0]
    assert codec is not None  # only the two above have none
    return _decode(data, codec)


def _decode(data: bytes, codec: str) -> str:
    """Bytes decoded with a Python codec, never raising: undefined bytes as WHATWG reads them."""
    errors = _ERRORS_SINGLE_BYTE if codec in _SINGLE_BYTE else "replace"
    return data.decode(codec, errors=errors)


# --- The HTML prescan for a <meta> charset (https://html.spec.whatwg.org/#prescan-a-byte-stream) ---


def _prescan(head: bytes) -> str | None:
    """The WHATWG encoding a <meta charset> or <meta http-equiv="content-type" content="...charset=...">
    in the head declares, found as the HTML standard's prescan finds it: comments and other tags' attribute
    values are skipped, so a "charset" inside them does not count."""
    text = head.decode("latin-1")  # one character per byte: positions are byte positions
    lowered = text.lower()
    position, end = 0, len(text)
    while position < end:
        if lowered.startswith("<!--", position):
            close = text.find("-->", position + 2)  # "<!-->" closes at once, hence + 2
            if close < 0:
                return None
            position = close + 3
        elif lowered.startswith("<meta", position) and position + 5 < end and text[position + 5] in "\t\n\f\r /":
            found, position = _meta(text, position + 6)
            if found is not None:
                return found
        elif text.startswith("<", position) and position + 1 < end and (
            text[position + 1].isascii() and text[position + 1].isalpha()
            or text[position + 1] == "/" and position + 2 < end and text[position + 2].isascii()
            and text[position + 2].isalpha()
        ):
            # Another tag: step over its name and its attributes (whose values may say "charset").
            position += 2 if text[position + 1] == "/" else 1
            while position < end and text[position] not in "\t\n\f\r >":
                position += 1
            attribute, position = _attribute(text, position)
            while attribute is not None:
                attribute, position = _attribute(text, position)
            position += 1
        elif lowered.startswith(("<!", "</", "<?"), position):
            close = text.find(">", position + 2)
            if close < 0:
                return None
            position = close + 1
        else:
            position += 1
    return None


def _meta(text: str, position: int) -> tuple[str | None, int]:
    """The encoding one <meta> tag (attributes from position) declares, and the position after it."""
    seen: set[str] = set()
    got_pragma = False
    need_pragma: bool | None = None  # None until a charset or a content attribute decided
    charset: str | None = None
    attribute, position = _attribute(text, position)
    while attribute is not None:
        name, value = attribute
        if name not in seen:  # the first of repeated attributes counts
            seen.add(name)
            if name == "http-equiv" and value == "content-type":
                got_pragma = True
            elif name == "content" and need_pragma is None:
                declared = whatwg_encoding(_charset_in_content(value) or "")
                if declared is not None:
                    charset, need_pragma = declared, True
            elif name == "charset":
                # An unknown label here still decides: a later content attribute does not count.
                charset, need_pragma = whatwg_encoding(value), False
        attribute, position = _attribute(text, position)
    if need_pragma is None or (need_pragma and not got_pragma):
        return None, position
    return charset, position


def _attribute(text: str, position: int) -> tuple[tuple[str, str] | None, int]:
    """One attribute (lower-case name, value) read as the prescan reads it, and the position after it;
    None at the end of the tag (position then at its ">")."""
    end = len(text)
    while position < end and text[position] in "\t\n\f\r /":
        position += 1
    if position >= end or text[position] == ">":
        return None, position
    name = []
    while position < end:  # the name, up to "=", white space, "/" or ">"
        char = text[position]
        if char == "=" and name:
            break
        if char in "\t\n\f\r ":
            while position < end and text[position] in "\t\n\f\r ":
                position += 1
            if position >= end or text[position] != "=":
                return ("".join(name).lower(), ""), position
            break
        if char in "/>":
            return ("".join(name).lower(), ""), position
        name.append(char)
        position += 1
    if position >= end:
        return ("".join(name).lower(), ""), position
    position += 1  # past "="
    while position < end and text[position] in "\t\n\f\r ":
        position += 1
    if position >= end:
        return ("".join(name).lower(), ""), position
    quote = text[position]
    if quote in "\"'":
        close = text.find(quote, position + 1)
        if close < 0:
            return ("".join(name).lower(), text[position + 1:].lower()), end
        return ("".join(name).lower(), text[position + 1:close].lower()), close + 1
    if quote == ">":
        return ("".join(name).lower(), ""), position
    start = position
    while position < end and text[position] not in "\t\n\f\r >":
        position += 1
    return ("".join(name).lower(), text[start:position].lower()), position


def _charset_in_content(content: str) -> str | None:
    """The encoding label in a meta content value such as "text/html; charset=windows-1252" (the HTML
    standard's algorithm for extracting a character encoding from a meta element)."""
    position = 0
    while True:
        found = content.lower().find("charset", position)
        if found < 0:
            return None
        position = found + 7
        while position < len(content) and content[position] in _ASCII_WHITESPACE:
            position += 1
        if position < len(content) and content[position] == "=":
            break
    position += 1
    while position < len(content) and content[position] in _ASCII_WHITESPACE:
        position += 1
    if position >= len(content):
        return None
    if content[position] in "\"'":
        close = content.find(content[position], position + 1)
        return content[position + 1:close] if close >= 0 else None
    value = re.match(r"[^\t\n\f\r ;]*", content[position:])
    return value.group(0) if value and value.group(0) else None
