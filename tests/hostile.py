"""Hostile input files, generated (some would be large to commit): each must give a clear error
(or read correctly) quickly and in bounded memory, never a traceback or minutes of work.

``HOSTILE`` maps a file name to ``(make, expected)``: ``make(path)`` writes the file and
``expected`` is a piece of the one-line message :func:`influence.validate` must give (``None``:
the file reads without errors). ``tests/test_io.py`` runs them all.
"""

from __future__ import annotations

import json
import zipfile

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="actors" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
}
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _col(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _xlsx(path, rows, strings=("id", "kind", "ann", "resident"), dimension=None):
    """A minimal workbook: one sheet "actors" with inline rows [(row, [(col, value)])]."""
    def cell(r, c, v):
        ref = f"{_col(c)}{r}"
        if isinstance(v, int):
            return f'<c r="{ref}" t="s"><v>{v}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'

    body = "".join(f'<row r="{r}">' + "".join(cell(r, c, v) for c, v in cells) + "</row>"
                   for r, cells in rows)
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}">{dim}'
             f"<sheetData>{body}</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _XLSX_PARTS.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if callable(strings):
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                strings(fh)
        else:
            sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
            z.writestr("xl/sharedStrings.xml",
                       f'<sst xmlns="{_NS}" count="{len(strings)}">{sst}</sst>')


_GOOD = [(1, [(1, 0), (2, 1)]), (2, [(1, 2), (2, 3)])]


def xlsx_far_cell(path):  # a 5 KB workbook with a stray value in the last cell of the sheet
    _xlsx(path, _GOOD + [(1048576, [(16384, "x")])], dimension="A1:XFD1048576")


def xlsx_far_row(path):  # a value far down in column A: read, row number kept
    _xlsx(path, _GOOD + [(1048576, [(1, "zed"), (2, 3)])], dimension="A1:B1048576")


def xlsx_16k_columns(path):
    _xlsx(path, [(1, [(1, 0), (2, 1)] + [(c, f"h{c}") for c in range(3, 16385)]),
                 (2, [(1, 2), (2, 3)])])


def xlsx_shared_strings_bomb(path):  # ~15 KB zipped, 300 MB of shared strings
    def strings(fh):
        fh.write(f'<sst xmlns="{_NS}" count="4">'.encode())
        for s in ("id", "kind", "ann"):
            fh.write(f"<si><t>{s}</t></si>".encode())
        fh.write(b"<si><t>")
        chunk = b"A" * 2**20
        for _ in range(300):
            fh.write(chunk)
        fh.write(b"</t></si></sst>")
    _xlsx(path, _GOOD, strings=strings)


def xlsx_not_a_zip(path):
    path.write_bytes(b"PK\x03\x04 this is not really a zip file")


def csv_huge_cell(path):
    path.mkdir()
    (path / "actors.csv").write_text("id,kind,notes\nann,resident,\"" + "x" * 200_000 + "\"\n")
    (path / "ties.csv").write_text("source,target\n")


def csv_unclosed_quote(path):
    path.mkdir()
    (path / "actors.csv").write_text('id,kind\nann,"resident\n' + "bob,resident\n" * 20_000)
    (path / "ties.csv").write_text("source,target\n")


def csv_100k_columns(path):
    path.mkdir()
    (path / "actors.csv").write_text(",".join(["id", "kind"] + [f"c{i}" for i in range(100_000)])
                                     + "\nann,resident\n")
    (path / "ties.csv").write_text("source,target\n")


def csv_100k_unheaded_values(path):
    path.mkdir()
    (path / "actors.csv").write_text("id,kind\nann,resident," + ",".join(["x"] * 100_000)
                                     + "\n")
    (path / "ties.csv").write_text("source,target\n")


def csv_nul_bytes(path):
    path.mkdir()
    (path / "actors.csv").write_bytes(b"id,kind\nann,resi\x00dent\n")
    (path / "ties.csv").write_text("source,target\n")


def csv_non_finite(path):
    path.mkdir()
    (path / "actors.csv").write_text("id,kind,influence,giving\nann,resident,inf,1e400\n"
                                     "bob,resident,-inf,2\n")
    (path / "ties.csv").write_text("source,target,strength,hours\nann,bob,Infinity,3\n")


def graphml_20k_attributes(path):
    keys = "".join(f'<key id="d{i}" for="node" attr.name="a{i}" attr.type="string"/>'
                   for i in range(20_000))
    path.write_text('<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
                    f'{keys}<graph edgedefault="undirected"><node id="a"/></graph></graphml>')


def graphml_duplicates(path):
    path.write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="k" for="node" attr.name="kind" attr.type="string"/>'
        '<graph edgedefault="undirected"><node id="a"><data key="k">resident</data></node>'
        '<node id="b"/><node id="a"><data key="k">mp</data></node>'
        '<edge source="a" target="b"/><edge source="b" target="zed"/></graph></graphml>')


def graphml_entity_expansion(path):  # "billion laughs": expat refuses it
    ents = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};">'
        for i in range(1, 12))
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE graphml [{ents}]>'
                    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph '
                    'edgedefault="undirected"><node id="&a11;"/></graph></graphml>')


def json_20k_attributes(path):
    path.write_text(json.dumps({"nodes": [{"id": "a", **{f"a{i}": 1 for i in range(20_000)}}],
                               "edges": []}))


def json_duplicates_and_infinity(path):
    path.write_text('{"nodes": [{"id": "a"}, {"id": "b"}, {"id": "a", "kind": "mp"}], '
                    '"edges": [{"source": "a", "target": "b", "strength": Infinity}, '
                    '{"source": "b", "target": "zed"}]}')


def json_deep_nesting(path):
    path.write_text("[" * 100_000 + "]" * 100_000)


def kumu_json_20k_attributes(path):
    path.write_text(json.dumps({"elements": [{"attributes": {"label": "a", **{
        f"a{i}": 1 for i in range(20_000)}}}], "connections": []}))


def _ods(path, table_xml):
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
               'office:version="1.2"><office:body><office:spreadsheet>'
               f'{table_xml}</office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                   'manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
                   'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                   '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')


def _cell(v):
    return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'


_ODS_GOOD = ("<table:table-row>" + _cell("id") + _cell("kind") + "</table:table-row>"
             "<table:table-row>" + _cell("ann") + _cell("resident") + "</table:table-row>")


def ods_far_cell(path):
    _ods(path, '<table:table table:name="actors">' + _ODS_GOOD +
         '<table:table-row table:number-rows-repeated="1048570"><table:table-cell/>'
         '</table:table-row><table:table-row><table:table-cell '
         'table:number-columns-repeated="16383"/>' + _cell("x") +
         "</table:table-row></table:table>")


def ods_far_row(path):  # 95,000 rows x 900 columns of nothing but one value: 85 million cells
    _ods(path, '<table:table table:name="actors">' + _ODS_GOOD +
         '<table:table-row table:number-rows-repeated="95000"><table:table-cell/>'
         '</table:table-row><table:table-row><table:table-cell '
         'table:number-columns-repeated="899"/>' + _cell("x") +
         "</table:table-row></table:table>")


def ods_title_row(path):
    _ods(path, '<table:table table:name="actors"><table:table-row>'
         + _cell("Wykeham Parish Contacts 2024") + "</table:table-row>" + _ODS_GOOD
         + "</table:table>")


def ods_content_bomb(path):  # 300 MB of content.xml in a few hundred KB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("content.xml", "w", force_zip64=True) as fh:
            for _ in range(300):
                fh.write(b" " * 2**20)


def xlsx_named_ods(path):
    _xlsx(path, _GOOD)


def xlsx_empty_formatted_rows(path):  # formatted but empty rows, as Excel writes them
    rows = [(r, []) for r in range(3, 200_000)]
    _xlsx(path, _GOOD + rows)


#: name -> (writer, a piece of the expected message; None = reads without errors)
HOSTILE = {
    "far_cell.xlsx": (xlsx_far_cell, "cell XFD1048576 is beyond column 1,000"),
    "far_row.xlsx": (xlsx_far_row, None),
    "16k_columns.xlsx": (xlsx_16k_columns, "row 1 has headers in 16,384 columns"),
    "shared_strings_bomb.xlsx": (xlsx_shared_strings_bomb, "MB when unzipped, over the 256 MB"),
    "not_a_zip.xlsx": (xlsx_not_a_zip, "Cannot read not_a_zip.xlsx as an Excel workbook"),
    "huge_cell": (csv_huge_cell, "a cell starting on line 2 is longer than 131,072 characters"),
    "unclosed_quote": (csv_unclosed_quote, "a cell starting on line 2 is longer than 131,072"),
    "100k_columns": (csv_100k_columns, "row 1 has 100,002 columns"),
    "100k_unheaded": (csv_100k_unheaded_values, "row 2 has 100,002 columns"),
    "nul_bytes": (csv_nul_bytes, None),
    "non_finite": (csv_non_finite, "must be a finite number"),
    "20k_attributes.graphml": (graphml_20k_attributes, "declares more than 1,000 attributes"),
    "duplicates.graphml": (graphml_duplicates, "node id declared twice"),
    "entities.graphml": (graphml_entity_expansion, "Cannot read entities.graphml as GRAPHML"),
    "20k_attributes.json": (json_20k_attributes, "its nodes and edges have 20,001 columns"),
    "duplicates.json": (json_duplicates_and_infinity, "node id declared twice"),
    "deep.json": (json_deep_nesting, "Cannot read deep.json as JSON"),
    "kumu_20k.json": (kumu_json_20k_attributes, "its records have 20,002 columns"),
    "far_cell.ods": (ods_far_cell, "its values reach 16,384 columns"),
    "far_row.ods": (ods_far_row, "over the 2,000,000 a sheet may span"),
    "title.ods": (ods_title_row, None),
    "content_bomb.ods": (ods_content_bomb, "expands to 300 MB when unzipped"),
    "really_xlsx.ods": (xlsx_named_ods, "Cannot read really_xlsx.ods as a LibreOffice"),
    "empty_rows.xlsx": (xlsx_empty_formatted_rows, None),
}
