"""Bytes to text, and legacy Vietnamese font encodings to Unicode.

Used by every reader: plain-text files are decoded here, and the text any reader extracts
(DOCX, PDF, DOC …) goes through :func:`convert_legacy`, because a document typed in a
TCVN3 (.VnTime) or VNI font gives Latin-looking letters whatever the container.

Decisions, each with its reason:

* UTF-8 (optional BOM) and UTF-16 (BOM) are decoded strictly; nothing is replaced.
* Bytes that are not UTF-8 are tried as the 8-bit forms legacy files are saved in
  (Windows-1258; TCVN3/VNI as cp1252; VISCII as Latin-1) and accepted only when the result
  is recognisably Vietnamese (Windows-1258) or ``viparse``'s detector names the legacy
  encoding (it answers None when unsure); otherwise the UTF-8 error stands.
* Text that already has the letters only Unicode Vietnamese has (ạ ế ư ơ đ …) in the
  proportion Vietnamese prose has them is left alone without asking the slower detector;
  anything else that is not ASCII is shown to the detector. VNI saved as Unicode uses
  â ê ô (which Latin-1 also has), so a check on "any Vietnamese-looking letter" lets it
  through; the check counts only letters no legacy encoding produces.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

# detection looks at this many characters (the detector costs ~1 s per MB)
LEGACY_SAMPLE = 6000

# letters that exist only in Unicode Vietnamese: the Latin Extended Additional block
# (ạ ả ấ … ỹ) and ă đ ơ ư with their capitals; no legacy font encoding produces them
# (the stdlib ``re`` counts a plain character class ~2x faster than ``regex``)
_UNICODE_ONLY_VI = re.compile(r"[\u1ea0-\u1ef9ăđơưĂĐƠƯ]")
# In Vietnamese prose about 15-25% of letters are such letters; 4% leaves room for
# headings in capitals and embedded English while staying far above legacy text (0%).
UNICODE_VI_SHARE = 0.04

# Windows-1258 is accepted when this share of letters are Unicode-only Vietnamese ones
# (Vietnamese prose: 15-25%; other 8-bit bytes read as cp1258 give a few percent by chance)
CP1258_SHARE = 0.10


class DecodeError(ValueError):
    """Bytes that are not text in any encoding we accept (message names the offset)."""


def unicode_vi_share(text: str) -> float:
    letters = sum(map(str.isalpha, text))  # the letters (\p{L}), counted in C: 3x a regex findall
    return len(_UNICODE_ONLY_VI.findall(text)) / letters if letters else 0.0


def looks_unicode_vietnamese(sample: str) -> bool:
    # the share of letters is at least the share of characters: Vietnamese prose (10-20% of its
    # characters) passes on the one count of Unicode-only letters, without counting the letters
    if sample and len(_UNICODE_ONLY_VI.findall(sample)) >= UNICODE_VI_SHARE * len(sample):
        return True
    return unicode_vi_share(sample) >= UNICODE_VI_SHARE


def detect_legacy(sample: str) -> str | None:
    """Name of the legacy encoding ``sample`` is written in (viparse), or None."""
    if sample.isascii() or looks_unicode_vietnamese(sample):
        return None
    import viparse

    return viparse.detect_text_encoding(sample) or None


def convert_legacy(text: str) -> tuple[str, str | None]:
    """Convert TCVN3/VNI/VISCII text to Unicode; return (text, encoding or None)."""
    enc = detect_legacy(text[:LEGACY_SAMPLE])
    if not enc:
        return text, None
    import viparse

    return viparse.fix(text, encoding=enc), enc


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, str | None]:
    """Decode plan bytes; return (text, note or None). Raise DecodeError when not text."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as e:
            raise DecodeError(f"invalid UTF-16 at byte offset {e.start}: {e.reason}") from None
    offset = 0
    if data.startswith(codecs.BOM_UTF8):
        data, offset = data[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        utf8_error = (f"not valid UTF-8 at byte offset {e.start + offset} ({data[e.start:e.start + 4]!r}): "
                      f"{e.reason}")
    found = _decode_8bit(data)
    if found is None:
        raise DecodeError(utf8_error + "; not Windows-1258, TCVN3, VNI or VISCII text either")
    return found


# 8-bit decoding is tried only on this many letters or more (a detector needs text to judge)
MIN_LETTERS_8BIT = 200
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _decode_8bit(data: bytes) -> tuple[str, str] | None:
    """Windows-1258 or a legacy font's 8-bit bytes, when recognisably Vietnamese; else None.

    Not tried on bytes with NULs (binary), on short texts, or on bytes that are mostly valid
    UTF-8 sequences (UTF-8 text with a damaged byte is an error to report, not a legacy file).
    """
    high = sum(1 for b in data[:LEGACY_SAMPLE * 2] if b >= 0x80)
    utf8 = sum(len(m) for m in _UTF8_SEQ.findall(data[:LEGACY_SAMPLE * 2]))
    if b"\x00" in data or (high and utf8 >= high / 2):
        return None
    if sum(map(str.isalpha, data[:LEGACY_SAMPLE].decode("latin-1"))) < MIN_LETTERS_8BIT:
        return None
    # legacy fonts first: the detector names them confidently (and says None on cp1258 text)
    enc = detect_legacy(data[:LEGACY_SAMPLE * 2].decode("latin-1"))
    if enc:
        import viparse

        # VISCII's tables key on the Latin-1 reading of its bytes; TCVN3 and VNI fonts were
        # used through Windows-1252, so their text is that code page's reading
        codec = "latin-1" if enc == "viscii" else "cp1252"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            codec, text = "latin-1", data.decode("latin-1")
        converted = viparse.fix(text, encoding=enc)
        if looks_unicode_vietnamese(converted[:LEGACY_SAMPLE]):
            return converted, f"decoded as 8-bit {enc.upper()} ({codec} bytes) and converted to Unicode"
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    if unicode_vi_share(text[:LEGACY_SAMPLE]) >= CP1258_SHARE:
        return text, "decoded from Windows-1258 bytes"
    return None


def drop_nuls(text: str) -> tuple[str, str | None]:
    """Drop a few stray NUL characters (noted); many NULs mean binary content (DecodeError)."""
    n = text.count("\x00")
    if not n:
        return text, None
    if n > max(1, len(text) // 10_000):
        raise DecodeError(f"binary content ({n} NUL characters, the first at offset {text.index(chr(0))})")
    return text.replace("\x00", ""), f"dropped {n} NUL character{'s' if n > 1 else ''}"
