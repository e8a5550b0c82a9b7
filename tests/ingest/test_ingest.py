"""The front door: every kind of input becomes an article or a clear InputError, never a crash."""
from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings, strategies as st

from presslens.errors import InputError
from presslens.ingest import Failure, IngestSettings, RawArticle, check_published, guard_text, read, read_document

SETTINGS = IngestSettings()
ENGLISH = "The council said on Monday that the new bridge would open in the spring of next year."


def only(items):
    items = list(items)
    assert len(items) == 1
    return items[0]


def test_plain_utf8_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Headline\n\n" + ENGLISH, encoding="utf-8")
    article = only(read(path))
    assert isinstance(article, RawArticle)
    assert article.id == "story" and article.text.endswith("next year.")


def test_bom_and_crlf_are_normalised(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffLine one.\r\nLine two.".encode("utf-8"))
    assert only(read(path)).text == "Line one.\nLine two."


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(ENGLISH.encode("utf-16"))
    assert only(read(path)).text == ENGLISH


def test_legacy_encoding_is_decoded_with_a_warning(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("The café’s owner said it was “a disaster”.".encode("cp1252"))
    article = only(read(path))
    assert "café’s" in article.text
    assert any("not valid UTF-8" in w for w in article.warnings)


@pytest.mark.parametrize("payload,code,words", [
    (b"", "I10", "empty"),
    (b"   \n\n ", "I10", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "I12", "PNG"),
    (b"%PDF-1.7\n...", "I12", "PDF"),
    (b"abc\x00\x00\x01\x02def", "I12", "binary"),
])
def test_unreadable_files_get_a_clear_error(tmp_path, payload, code, words):
    path = tmp_path / "bad.txt"
    path.write_bytes(payload)
    failure = only(read(path))
    assert isinstance(failure, Failure)
    assert failure.error.code == code and words in failure.error.message
    assert failure.error.hint


def test_html_article_is_extracted_with_metadata(tmp_path):
    body = "".join(f"<p>{ENGLISH} Paragraph {i} adds more words about the bridge and its cost.</p>" for i in range(6))
    html = (f"<!doctype html><html><head><title>Bridge opens</title><meta name='author' content='Jo Doe'>"
            f"<meta property='article:published_time' content='2024-03-05'></head><body><nav>Home | Sport</nav>"
            f"<article><h1>Bridge opens</h1>{body}</article><footer>Subscribe now</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    article = only(read(path))
    assert "new bridge" in article.text and "Home | Sport" not in article.text
    assert article.title == "Bridge opens" and article.published == "2024-03-05"


def test_html_keeps_where_bold_text_opens_a_paragraph(tmp_path):
    turns = ("<p><b>Q</b> Why does the bridge cost so much more than the council first said it would?</p>"
             "<p><strong>Dace</strong> Because steel doubled in price &amp; the river bed was softer than we thought.</p>"
             "<p>The <b>council</b> meets on Friday. <b>Dace</b> will not attend the meeting at the town hall.</p>"
             "<p><b>A whole bold paragraph with nothing after it, which is no label.</b></p>")
    path = tmp_path / "talk.html"
    path.write_text(f"<html><head><title>Bridge talk</title></head><body><article><h1>Bridge talk</h1>{turns}"
                    f"</article></body></html>", encoding="utf-8")
    article = only(read(path))
    assert [article.text[s:e] for s, e in article.bold_leads] == ["Q", "Dace"]
    assert all(s == 0 or article.text[s - 1] == "\n" for s, _ in article.bold_leads)


def test_plain_text_has_no_bold_leads(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Headline\n\n**Dace** " + ENGLISH, encoding="utf-8")
    assert only(read(path)).bold_leads == []  # Markdown marks stay in the text, where the quotes layer reads them


def test_html_without_article_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><script>var a=1;</script></body></html>")
    failure = only(read(path))
    assert isinstance(failure, Failure) and failure.error.code == "I15"


def test_jsonl_bad_line_does_not_stop_the_others(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [json.dumps({"id": "a", "text": ENGLISH, "published": "2024-03-05"}), "{not json", "",
             json.dumps({"id": "b", "html": f"<html><body><article><p>{ENGLISH}</p></article></body></html>"}),
             json.dumps({"id": "c", "title": "no body"})]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read(path))
    assert [i.id for i in items if isinstance(i, RawArticle)] == ["a", "b"]
    failures = [i for i in items if isinstance(i, Failure)]
    assert [f.error.code for f in failures] == ["I30", "I32"]
    assert failures[0].source.endswith("batch.jsonl:2")


def test_gzipped_jsonl(tmp_path):
    path = tmp_path / "batch.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps({"id": "z", "text": ENGLISH}) + "\n").encode()))
    assert only(read(path)).id == "z"


def test_directory_mixes_good_and_bad(tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH)
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    items = list(read(tmp_path))
    assert sorted(type(i).__name__ for i in items) == ["Failure", "RawArticle"]


def test_missing_path_and_empty_glob(tmp_path):
    assert only(read(tmp_path / "nope.txt")).error.code == "I03"
    assert only(read(str(tmp_path / "*.txt"))).error.code == "I02"


def test_publication_date_must_be_a_date():
    assert check_published("2022-05-25T10:00:00Z") == "2022-05-25"
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        check_published("25/05/2022")


def test_too_long_text_is_refused():
    article = RawArticle.from_text("word " * 300_000)
    with pytest.raises(InputError, match="more than the"):
        guard_text(article, SETTINGS)


def test_non_english_is_flagged_but_kept():
    article = RawArticle.from_text("Der Bürgermeister sagte am Montag, dass die neue Brücke im Frühjahr "
                                   "eröffnet werden soll, und die Stadt plant weitere Projekte für die Bürger.")
    guard_text(article, SETTINGS)
    assert article.language == "de"
    assert any("not English" in w for w in article.warnings)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_become_an_article_or_an_input_error(data):
    try:
        article = read_document(data, "fuzz.txt", None)
    except InputError as exc:
        assert exc.code and exc.hint
    else:
        assert isinstance(article.text, str) and article.text.strip()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=40), st.just("{"), st.integers().map(str)), max_size=5))
def test_any_jsonl_lines_never_crash(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("j") / "x.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    for item in read(path):
        assert isinstance(item, (RawArticle, Failure))
