"""Word, PDF and spreadsheet renderings of the sources give the same tree as the .txt; their excerpts
name the page or the sheet and row; hostile or unreadable files are refused naming the file."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from openpyxl import Workbook

from kgservice.errors import ImportRefused
from kgservice.project.importing import DocumentMeta, ImportedDocument, Limits, parse_document
from tests.conftest import KALISZ, LIBEREC_STRATEGY, REGION_WORKSHOP, SOURCES, source_lines

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MEASURE = re.compile(r"^- (\d+\.\d+\.\d+)\**\s+(.*)$")


def tree(document: ImportedDocument) -> list[tuple[str, str, str, str]]:
    return [(e.type, e.notation, e.parent.rsplit("/", 1)[-1], e.label) for e in document.elements]


def from_txt(stem: str) -> ImportedDocument:
    return parse_document(f"{stem}.txt", (SOURCES / f"{stem}.txt").read_bytes(), DocumentMeta(slug="doc"))


def numbered_docx(lines: list[str]) -> bytes:
    """Each line a paragraph; the measures of the form "- 2.1.1 ..." become Word list paragraphs whose
    number Word draws (decimal, three levels), so the number is not in the text."""
    document = docx.Document()
    for line in lines:
        match = MEASURE.match(line.strip())
        if match:
            paragraph = document.add_paragraph(match.group(2), style="List Number")
            _three_level_number(paragraph, match.group(1))
        else:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _three_level_number(paragraph: Paragraph, notation: str) -> None:
    """Give the paragraph its own list (numId) starting at the notation's last part, drawn as %1.%2.%3."""
    from docx.oxml import parse_xml

    part = paragraph.part.numbering_part  # type: ignore[attr-defined]
    numbering = part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    first, second, third = (int(x) for x in notation.split("."))
    abstract_id = num_id = str(900 + len(numbering.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")))
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{v}"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (v, text) in enumerate(((first, "%1"), (second, "%1.%2"), (third, "%1.%2.%3")))
    )
    numbering.insert(0, parse_xml(f'<w:abstractNum {ns} w:abstractNumId="{abstract_id}">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    paragraph._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {ns}><w:ilvl w:val="2"/><w:numId w:val="{num_id}"/></w:numPr>'))


def pdf(lines: list[str], per_page: int = 40) -> bytes:
    document = FPDF()
    document.add_font("DejaVu", fname=str(FONT))
    document.set_font("DejaVu", size=9)
    for index, line in enumerate(lines):
        if index % per_page == 0:
            document.add_page()
        document.cell(0, 5, line.replace("\t", " ").strip() or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


@pytest.mark.parametrize("stem", [LIBEREC_STRATEGY, KALISZ, REGION_WORKSHOP])
def test_word_rendering_gives_the_same_tree(stem: str) -> None:
    word = parse_document("doc.docx", numbered_docx(source_lines(stem)), DocumentMeta(slug="doc"))
    assert tree(word) == tree(from_txt(stem))


def test_word_numbers_not_in_the_text_are_read_from_numbering() -> None:
    lines = source_lines(LIBEREC_STRATEGY)
    data = numbered_docx(lines)
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert not any(t.startswith("2.1.1") for t in texts)
    word = parse_document("doc.docx", data, DocumentMeta(slug="doc"))
    printed = [m.group(1) for line in lines if (m := MEASURE.match(line.strip()))]
    assert [e.notation for e in word.elements if e.type == "Measure"][: len(printed)] == printed


@pytest.mark.skipif(not FONT.is_file(), reason="needs fonts-dejavu-core")
@pytest.mark.parametrize("stem", [LIBEREC_STRATEGY, KALISZ, REGION_WORKSHOP])
def test_pdf_rendering_gives_the_same_tree_with_pages(stem: str) -> None:
    lines = source_lines(stem)
    document = parse_document("doc.pdf", pdf(lines), DocumentMeta(slug="doc"))
    assert tree(document) == tree(from_txt(stem))
    # 40 source lines a page: each element is on the page its line of the .txt falls on
    expected = [(e.source.start_line - 1) // 40 + 1 for e in from_txt(stem).elements]
    assert [e.source.page for e in document.elements] == expected


def test_pdf_without_text_is_refused_as_scanned() -> None:
    document = FPDF()
    document.add_page()
    document.rect(10, 10, 50, 50)
    with pytest.raises(ImportRefused, match="scanned"):
        parse_document("scan.pdf", bytes(document.output()), DocumentMeta(language="cs"))


def _rows() -> list[list[str]]:
    """The Kalisz programme and its tasks as rows, as the .txt prints them."""
    lines = source_lines(KALISZ)
    rows = [["Oznaczenie", "Nazwa", "Typ", "Grupa docelowa", "Odpowiedzialny"]]
    rows.append(["II-4", "Program Strategiczny II-4", "Program", "", ""])
    for n, line in enumerate(lines):
        if line.startswith("Zadanie II-4."):
            label = next(x for x in lines[n + 1 :] if x.strip()).replace("[image: image4.wmf]", "")
            rows.append(
                [
                    line.split()[1].rstrip("."),
                    re.sub(r"\[image:[^\]]*\]", "", label).strip(),
                    "Zadanie",
                    "seniorzy",
                    "Nieznany Urząd",
                ]
            )
    return rows


def test_xlsx_rows_become_elements_with_sheet_and_row() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Program"
    for row in _rows():
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    document = parse_document("program.xlsx", out.getvalue(), DocumentMeta(language="pl", slug="doc"))
    assert tree(document) == tree(from_txt(KALISZ))
    task = document.elements[1]
    assert (task.source.row, task.source.sheet) == (3, "Program")
    assert task.target_groups == ("https://w3id.org/kgservice/id/target-group/seniors",)
    assert task.responsible == () and any("Nieznany Urząd" in w.message for w in document.warnings)
    assert task.label in document.rendering.splitlines()[task.source.start_line - 1]


def test_csv_without_a_label_column_is_refused_with_the_row() -> None:
    out = io.StringIO()
    csv.writer(out).writerows([["Kód", "Popis"], ["1", "Doprava"]])
    with pytest.raises(ImportRefused, match="no label column") as caught:
        parse_document("t.csv", out.getvalue().encode(), DocumentMeta(language="cs"))
    assert caught.value.row == 1


def test_csv_parent_from_the_notation_and_missing_parent() -> None:
    rows = "Kód;Název\n1;Doprava\n1.1;Silnice\n"
    document = parse_document("t.csv", rows.encode(), DocumentMeta(language="cs", slug="t"))
    assert [(e.notation, e.parent.rsplit("/", 1)[-1], e.type) for e in document.elements] == [
        ("1", "t", "StrategicGoal"),
        ("1.1", "1", "SpecificGoal"),
    ]
    with pytest.raises(ImportRefused, match="parent 2") as caught:
        parse_document("t.csv", (rows + "2.1;Bydlení\n").encode(), DocumentMeta(language="cs"))
    assert caught.value.row == 4


def test_ods_is_read() -> None:
    from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]
    from odf.table import Table, TableCell, TableRow  # type: ignore[import-untyped]
    from odf.text import P  # type: ignore[import-untyped]

    document = OpenDocumentSpreadsheet()
    table = Table(name="List1")
    for values in (["Číslo", "Název"], ["1", "Sociální oblast"], ["1.1", "Podpora bydlení"]):
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    imported = parse_document("t.ods", out.getvalue(), DocumentMeta(slug="t"))
    assert [(e.notation, e.label) for e in imported.elements] == [("1", "Sociální oblast"), ("1.1", "Podpora bydlení")]
    assert imported.language == "cs"


def test_zip_bomb_and_bad_containers_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (2 * 1024 * 1024))
    with pytest.raises(ImportRefused, match="unpacks to"):
        parse_document("bomb.docx", out.getvalue(), DocumentMeta(language="cs"), limits=Limits(max_unpacked_bytes=1024 * 1024))
    with pytest.raises(ImportRefused, match="not a valid zip"):
        parse_document("broken.xlsx", b"not a zip", DocumentMeta(language="cs"))


def test_word_heading_levels_nest_unnumbered_headings() -> None:
    document = docx.Document()
    document.add_heading("Doprava", level=1)
    document.add_heading("Silnice a mosty", level=2)
    document.add_paragraph("oprava mostů", style="List Bullet")
    document.add_paragraph("nové chodníky", style="List Bullet")
    document.add_heading("Bydlení", level=1)
    document.add_paragraph("sociální byty", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    imported = parse_document("plan.docx", out.getvalue(), DocumentMeta(language="cs", slug="plan"))
    assert tree(imported) == [
        ("StrategicArea", "D", "plan", "Doprava"),
        ("StrategicGoal", "D.S", "D", "Silnice a mosty"),
        ("Activity", "D.S.1", "D.S", "oprava mostů"),
        ("Activity", "D.S.2", "D.S", "nové chodníky"),
        ("StrategicArea", "B", "plan", "Bydlení"),
        ("Activity", "B.1", "B", "sociální byty"),
    ]


@pytest.mark.skipif(not FONT.is_file(), reason="needs fonts-dejavu-core")
def test_pdf_over_the_page_cap_is_refused() -> None:
    with pytest.raises(ImportRefused, match="2 pages, over the cap of 1"):
        parse_document(
            "long.pdf",
            pdf(["1 \u2013 Doprava", "1.1 Silnice"], per_page=1),
            DocumentMeta(language="cs"),
            limits=Limits(max_pages=1),
        )


def test_a_spreadsheet_notation_that_cannot_be_an_iri_is_refused_with_the_row() -> None:
    with pytest.raises(ImportRefused, match="notation '1 a'") as caught:
        parse_document("t.csv", "Kód;Název\n1;Doprava\n1 a;Silnice\n".encode(), DocumentMeta(language="cs"))
    assert caught.value.row == 3


def test_spreadsheet_row_cap_and_broken_csv() -> None:
    with pytest.raises(ImportRefused, match="over 3 rows"):
        parse_document("t.csv", b"Nazwa\nA\nB\nC\nD\n", DocumentMeta(language="pl"), limits=Limits(max_lines=3))
    with pytest.raises(ImportRefused, match="unreadable spreadsheet") as caught:
        parse_document("t.csv", b'Nazwa\n"' + b"x" * 200_000 + b'"\n', DocumentMeta(language="pl"))
    assert caught.value.row == 2


def test_docx_whose_xml_is_over_the_cap_is_refused() -> None:
    data = numbered_docx(["1 \u2013 Doprava"] * 50)
    with pytest.raises(ImportRefused, match="XML unpacks to"):
        parse_document("big.docx", data, DocumentMeta(language="cs"), limits=Limits(max_xml_bytes=1000))


@pytest.mark.parametrize("name", ["broken.docx", "broken.xlsx"])
def test_a_container_with_broken_xml_is_refused(name: str) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types><unclosed></Types>")
        archive.writestr("word/document.xml", b"<w:document><w:body>")
    with pytest.raises(ImportRefused, match="unreadable"):
        parse_document(name, out.getvalue(), DocumentMeta(language="cs"))
