"""Safe parsing of the XML activity formats (GPX, TCX) before any library sees them.

Two things go wrong with XML from the wild. Harmless: a UTF-8 byte-order mark or
whitespace before ``<?xml`` (Strava writes the latter), which a strict parser rejects.
Dangerous: a DOCTYPE that declares entities, which can expand a few hundred bytes into
gigabytes ("billion laughs") or read local files (external entities). gpxpy and
tcxreader parse with the standard library, which does neither check, so every document
goes through ``parse_xml`` first: defusedxml, with any DOCTYPE refused outright (no
activity format needs one), fails at the declaration before any expansion starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_tree
from defusedxml import DefusedXmlException

from hamstride.errors import ActivityFileError

_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass(frozen=True)
class XmlDocument:
    data: bytes      # the bytes, BOM and leading whitespace removed
    root: Element    # the parsed tree, for readers that walk it themselves


def clean_xml(data: bytes, label: str) -> bytes:
    """The document's bytes ready for a parsing library, after the safety checks."""
    return parse_xml(data, label).data


def parse_xml(data: bytes, label: str) -> XmlDocument:
    """Strip the preamble and parse with defusedxml; refuse DOCTYPE and entities."""
    cleaned = strip_preamble(data)
    if not cleaned:
        raise ActivityFileError(f"{label}: the file is empty.")
    try:
        root = safe_tree.fromstring(cleaned, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ActivityFileError(
            f"{label}: the file declares a DOCTYPE or entities, which are refused "
            "for safety (no activity format needs them).") from exc
    except (ParseError, ValueError, LookupError) as exc:
        raise ActivityFileError(f"{label}: not a well-formed XML file ({exc}).") from exc
    return XmlDocument(data=cleaned, root=root)


def strip_preamble(data: bytes) -> bytes:
    """Remove any mix of UTF-8 byte-order marks and whitespace before the first tag."""
    while True:
        stripped = data.removeprefix(_BOM).lstrip(_WHITESPACE)
        if stripped == data:
            return data
        data = stripped


def document_text(document: XmlDocument, label: str) -> str:
    """The document as text, decoded with the encoding its declaration names (UTF-8 else)."""
    match = _DECLARED_ENCODING.match(document.data)
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        return document.data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ActivityFileError(f"{label}: the text is not valid {encoding}.") from exc


def local_name(tag: str) -> str:
    """``{namespace}name`` -> ``name``: GPX 1.0, 1.1 and TCX variants use several."""
    return tag.rpartition("}")[2]
