"""Reading sources: encodings, binary and empty files, PDFs, folders and stdin."""

from __future__ import annotations

import io

import pytest

from projektatlas.sources.decode import decode_text
from projektatlas.sources.errors import SourceError
from projektatlas.sources.readers import SourceFailure, discover, iter_sources, read_item

SWEDISH = "Samordningsförbundet i Östra Mellansverige ger stöd åt unga i Växjö."


def _read(path):
    (item,) = list(discover([str(path)]))
    return read_item(item)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_swedish_text_decodes_correctly_in_every_common_encoding(encoding):
    text, used = decode_text(SWEDISH.encode(encoding))
    assert text == SWEDISH
    assert used


def test_windows_line_endings_and_combining_characters_are_normalised():
    text, _ = decode_text("Va\u0308rmland\r\nrad två\r\n".encode())
    assert text == "Värmland\nrad två\n"


def test_binary_data_is_refused_with_a_reason():
    with pytest.raises(SourceError, match="binary"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_empty_and_whitespace_files_are_refused(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n \t")
    results = list(iter_sources(discover([str(tmp_path)])))
    assert all(isinstance(r, SourceFailure) and "empty" in r.reason for r in results)
    assert len(results) == 2


def test_content_hash_is_of_the_bytes_and_stable(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(SWEDISH, encoding="utf-8")
    first, second = _read(a), _read(a)
    assert first.content_hash == second.content_hash
    a.write_text(SWEDISH + " Ny mening.", encoding="utf-8")
    assert _read(a).content_hash != first.content_hash


def test_folders_are_read_recursively_and_hidden_files_skipped(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "x.txt").write_text("Ett dokument om Gävleborg.")
    (tmp_path / "y.md").write_text("# Rubrik\n\nText om Dalarna.")
    (tmp_path / ".hidden.txt").write_text("ska inte läsas")
    names = sorted(item.path_or_url for item in discover([str(tmp_path)]))
    assert [n.rsplit("/", 1)[-1] for n in names] == ["x.txt", "y.md"]


def test_unsupported_file_type_gets_a_clear_reason(tmp_path):
    (tmp_path / "data.xlsx").write_bytes(b"PK\x03\x04 not really")
    (result,) = list(iter_sources(discover([str(tmp_path)])))
    assert isinstance(result, SourceFailure)
    assert "unsupported file type" in result.reason or "binary" in result.reason


def test_stdin_is_read_as_a_document():
    stream = io.BytesIO("Nyhet från Värmland\n\nEn text.".encode())
    (doc,) = list(iter_sources(discover(["-"], stdin=stream)))
    assert doc.path_or_url == "<stdin>"
    assert "Värmland" in doc.text


def test_too_large_file_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    (item,) = list(discover([str(big)]))
    with pytest.raises(SourceError, match="too large"):
        read_item(item, max_bytes=1024)


def test_missing_path_is_reported(tmp_path):
    (result,) = list(iter_sources(discover([str(tmp_path / "nope.txt")])))
    assert isinstance(result, SourceFailure) and "no such file" in result.reason


def _pdf(tmp_path, text: str | None):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if text is not None:
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    path = tmp_path / "doc.pdf"
    pdf.output(str(path))
    return path


def test_pdf_with_a_text_layer_gives_its_text(tmp_path):
    doc = _read(_pdf(tmp_path, "Slutrapport för projektet Jobbvägen i Örebro län."))
    assert "Jobbvägen" in doc.text and "Örebro" in doc.text
    assert doc.media_type == "application/pdf"


def test_scanned_pdf_without_text_is_reported_as_such(tmp_path):
    with pytest.raises(SourceError, match="scanned PDF"):
        _read(_pdf(tmp_path, None))


def test_broken_pdf_is_reported(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj <<>> garbage")
    with pytest.raises(SourceError, match="PDF"):
        _read(path)
