"""A tiny .docx writer for the reader tests: raw WordprocessingML in a zip, no library.

``build_docx(paragraphs, footnotes)`` where each paragraph is ``(style, runs)``: style a
Word style name ("Title", "Subtitle", "Heading 1", "Quote", "Normal") or "indented"
(a Normal paragraph indented 1.5 cm), runs a list of strings, ``("i", text)`` italics,
``("a", text, url)`` a hyperlink, or ``("fn", n)`` a footnote reference.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
STYLES = ("Title", "Subtitle", "Heading 1", "Quote", "Normal")


def _run(text: str, italic: bool = False) -> str:
    props = "<w:rPr><w:i/></w:rPr>" if italic else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def build_docx(
    paragraphs: list[tuple[str, list]], footnotes: dict[int, str] | None = None
) -> bytes:
    footnotes = footnotes or {}
    links: list[str] = []
    body = []
    for style, runs in paragraphs:
        props = ""
        if style == "indented":
            props = '<w:pPr><w:ind w:left="851" w:right="851"/></w:pPr>'
        elif style != "Normal":
            props = f'<w:pPr><w:pStyle w:val="{style.replace(" ", "")}"/></w:pPr>'
        parts = []
        for run in runs:
            if isinstance(run, str):
                parts.append(_run(run))
            elif run[0] == "i":
                parts.append(_run(run[1], italic=True))
            elif run[0] == "a":
                links.append(run[2])
                rid = f"rLink{len(links)}"
                parts.append(f'<w:hyperlink r:id="{rid}">{_run(run[1])}</w:hyperlink>')
            elif run[0] == "fn":
                parts.append(
                    '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:footnoteReference w:id="{run[1]}"/></w:r>'
                )
        body.append(f"<w:p>{props}{''.join(parts)}</w:p>")
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{"".join(body)}</w:body></w:document>'
    )
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="{s.replace(" ", "")}"><w:name w:val="{s}"/>'
        "</w:style>"
        for s in STYLES
    )
    notes = "".join(
        f'<w:footnote w:id="{n}"><w:p>{_run(" " + text)}</w:p></w:footnote>'
        for n, text in footnotes.items()
    )
    rels = [
        f'<Relationship Id="rStyles" Type="{R}/styles" Target="styles.xml"/>',
        f'<Relationship Id="rNotes" Type="{R}/footnotes" Target="footnotes.xml"/>',
        *(
            f'<Relationship Id="rLink{i}" Type="{R}/hyperlink" Target="{escape(url)}" '
            'TargetMode="External"/>'
            for i, url in enumerate(links, 1)
        ),
    ]
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
            f'<Relationship Id="rDoc" Type="{R}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": document,
        "word/styles.xml": f'<?xml version="1.0"?><w:styles xmlns:w="{W}">{styles}</w:styles>',
        "word/footnotes.xml": (
            f'<?xml version="1.0"?><w:footnotes xmlns:w="{W}">{notes}</w:footnotes>'
        ),
        "word/_rels/document.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}">{"".join(rels)}</Relationships>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
