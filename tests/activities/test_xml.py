"""The XML safety layer: preamble clean-up, and entity attacks refused before expansion."""

from __future__ import annotations

import time

import pytest

from hamstride.activities.xml import (
    XmlDocument,
    clean_xml,
    document_text,
    local_name,
    parse_xml,
    strip_preamble,
)
from hamstride.errors import ActivityFileError

BOM = b"\xef\xbb\xbf"
BODY = b'<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1"/>'

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1"><trk><name>&lol9;</name></trk></gpx>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gpx version="1.1"><trk><name>&secret;</name></trk></gpx>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE gpx SYSTEM "http://example.invalid/gpx.dtd">
<gpx version="1.1"/>"""


@pytest.mark.parametrize(
    "data",
    [
        BODY,
        BOM + BODY,
        b"\n\n   " + BODY,            # Strava writes whitespace before <?xml
        b" \t\r\n" + BOM + BODY,
        BOM + b"\n  " + BODY,
    ],
    ids=["plain", "bom", "whitespace", "whitespace-bom", "bom-whitespace"],
)
def test_clean_xml_strips_bom_and_leading_whitespace(data: bytes) -> None:
    assert clean_xml(data, "a.gpx") == BODY


def test_strip_preamble_keeps_the_body_untouched() -> None:
    assert strip_preamble(BOM + b"  <a> x </a>  ") == b"<a> x </a>  "


@pytest.mark.parametrize(
    "data",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD],
    ids=["billion-laughs", "external-entity", "external-dtd"],
)
def test_parse_xml_refuses_doctype_quickly(data: bytes) -> None:
    began = time.perf_counter()
    with pytest.raises(ActivityFileError, match="DOCTYPE or entities") as info:
        parse_xml(data, "bomb.gpx")
    assert time.perf_counter() - began < 1.0
    assert str(info.value).startswith("bomb.gpx: ")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (BOM + b"  \n", "the file is empty"),
        (b"\x00\x01binary\xff", "not a well-formed XML file"),
        (b"<gpx><trk></gpx>", "not a well-formed XML file"),
        (b'<?xml version="1.0" encoding="no-such-codec"?><gpx/>', "not a well-formed XML file"),
        (b'{"type": "json"}', "not a well-formed XML file"),
    ],
)
def test_parse_xml_refuses_what_is_not_xml(data: bytes, reason: str) -> None:
    with pytest.raises(ActivityFileError, match=reason):
        parse_xml(data, "a.gpx")


def test_parse_xml_gives_the_tree() -> None:
    document = parse_xml(b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk/></gpx>', "a")
    assert local_name(document.root.tag) == "gpx"
    assert [local_name(child.tag) for child in document.root] == ["trk"]


def test_document_text_uses_the_declared_encoding() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><gpx><name>Sée</name></gpx>'
    document = parse_xml(data.encode("latin-1"), "a.gpx")
    assert "Sée" in document_text(document, "a.gpx")


def test_document_text_defaults_to_utf8() -> None:
    document = parse_xml("<gpx><name>Zürich</name></gpx>".encode(), "a.gpx")
    assert document_text(document, "a.gpx") == "<gpx><name>Zürich</name></gpx>"


def test_document_text_refuses_bytes_that_do_not_decode() -> None:
    document = XmlDocument(data=b"<gpx>\xff</gpx>", root=parse_xml(b"<gpx/>", "a").root)
    with pytest.raises(ActivityFileError, match="not valid utf-8"):
        document_text(document, "a.gpx")


@pytest.mark.parametrize(
    ("tag", "name"),
    [("{http://www.topografix.com/GPX/1/0}gpx", "gpx"), ("gpx", "gpx"), ("{}trk", "trk")],
)
def test_local_name(tag: str, name: str) -> None:
    assert local_name(tag) == name
