"""Page headers and footers of a PDF never end up in a rationale or a service."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.reader import read_letter
from pipeline.reader.sources import read_pdf

from letters_for_tests import LETTERS


def _paged_pdf(path: Path, text: str) -> Path:
    """A letter over several pages, each with a case-number header and a page footer."""
    from fpdf import FPDF

    class Letterhead(FPDF):
        def header(self):
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, "IMR Case Number: CM17-0123456", new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Letterhead(format=(216, 70))  # short pages: every rationale runs over a page break
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in text.split("\n"):
        pdf.multi_cell(0, 5, line.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("layout", sorted(LETTERS))
def test_pdf_page_furniture_stays_out_of_items(tmp_path, layout):
    raw = read_pdf(_paged_pdf(tmp_path / f"{layout}.pdf", LETTERS[layout]), layout)
    assert raw.text.count("Page ") >= 3  # the furniture is really there, page after page
    letter = read_letter(raw)
    assert letter.items and not letter.error
    for item in letter.items:
        for field in (item.rationale or "", item.service):
            assert "Page " not in field and "CM17-0123456" not in field, (item.service, field)
        start, end = item.rationale_range
        assert len(item.rationale) == end - start  # blanked in place: offsets still index the letter
