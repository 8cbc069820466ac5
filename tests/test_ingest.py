"""Ingest: decoding with detection, error records for bad input, inputs of every kind."""

import io
import json

import pytest

from pipeline.errors import Codes, InputError
from pipeline.ingest import decode, read_bytes, read_inputs, read_jsonl_lines, Skipped

SIMPLIFIED = "市委统战部召开新的社会阶层人士座谈会，近80人参会。会议强调，要发挥作用。"
TRADITIONAL = "黑龍江省委統戰部召開新的社會階層人士座談會，與會代表積極發言，會議強調要發揮組織作用。"


@pytest.mark.parametrize(
    "codec, text",
    [
        ("utf-8", SIMPLIFIED),
        ("utf-8-sig", SIMPLIFIED),
        ("gbk", SIMPLIFIED),
        ("gb18030", SIMPLIFIED),
        ("big5", TRADITIONAL),
        ("utf-16", SIMPLIFIED),
        ("utf-16-le", SIMPLIFIED),
        ("utf-16-be", TRADITIONAL),
    ],
)
def test_decode_detects_encoding(codec, text):
    decoded, _, warnings = decode(text.encode(codec))
    assert decoded == text
    assert warnings == []


def test_big5_is_not_read_as_gbk():
    _, codec, _ = decode(TRADITIONAL.encode("big5"))
    assert codec == "big5"


def test_gbk_is_not_read_as_big5():
    _, codec, _ = decode(SIMPLIFIED.encode("gbk"))
    assert codec == "gb18030"


@pytest.mark.parametrize(
    "data, code",
    [
        (b"", Codes.EMPTY),
        (b"  \n\t ", Codes.EMPTY),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), Codes.BINARY),
        (b"\x00\x01\x02\x03abc\x00\xff\xfe\x00\x10" * 20, Codes.BINARY),
        (bytes(range(1, 32)) * 10, Codes.BINARY),
    ],
    ids=["empty", "blank", "png", "nul-bytes", "control-chars"],
)
def test_bad_bytes_raise_input_error(data, code):
    with pytest.raises(InputError) as err:
        decode(data, "x.txt")
    assert err.value.code == code
    assert "x.txt" in err.value.message


def test_random_high_bytes_are_undecodable():
    data = bytes([0x81, 0x30, 0xFF, 0xFE, 0xC0]) * 50
    with pytest.raises(InputError) as err:
        decode(data, "noise.txt")
    assert err.value.code in (Codes.UNDECODABLE, Codes.BINARY)


def test_a_few_bad_bytes_are_replaced_and_reported():
    data = (SIMPLIFIED * 40).encode("utf-8")
    data = data[:300] + b"\xff" + data[300:]
    text, _, warnings = decode(data)
    assert "\ufffd" in text
    assert [w.code for w in warnings] == ["decode_replaced"]


def test_read_bytes_error_is_a_record_not_an_exception():
    doc = read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", "img.txt")
    assert doc.error is not None and doc.error.code == Codes.BINARY
    assert doc.source == "img.txt" and len(doc.doc_id) == 40


def test_doc_id_is_sha1_of_raw_bytes():
    import hashlib

    data = SIMPLIFIED.encode("gbk")
    assert read_bytes(data, "a.txt").doc_id == hashlib.sha1(data).hexdigest()


def test_html_is_reduced_to_article_text():
    html = (
        "<html><head><title>推进会召开</title><style>p{}</style></head><body>"
        "<nav>首页 | 新闻</nav><div class='article-content'><p>近日，推进会在汕尾召开。</p>"
        "<p>近80人参会。</p></div><footer>版权所有</footer><script>var a=1;</script></body></html>"
    )
    doc = read_bytes(html.encode("utf-8"), "page.html", html=True)
    assert doc.text == "近日，推进会在汕尾召开。\n近80人参会。"
    assert doc.page.title == "推进会召开"
    assert doc.page.extractor == "trafilatura"


def test_jsonl_lines_give_one_document_each_with_errors_located():
    lines = [
        json.dumps({"id": "a1", "text": SIMPLIFIED, "title": "标题"}, ensure_ascii=False).encode(),
        b'{"id": "a2", "text": "broken',
        b'{"id": "a3"}',
        b"",
        json.dumps({"text": "第二篇文章。"}, ensure_ascii=False).encode(),
    ]
    docs = list(read_jsonl_lines(lines, "in.jsonl"))
    assert [d.error.code if d.error else None for d in docs] == [None, Codes.BAD_JSON, Codes.MISSING_TEXT, None]
    assert docs[0].doc_id == "a1" and docs[0].fields == {"title": "标题"}
    assert "in.jsonl:2" in docs[1].error.message
    assert docs[3].source == "in.jsonl:5"


def test_folder_walk_reads_articles_and_reports_other_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "a.html").write_text("<html><body><p>正文。</p></body></html>", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    skipped = Skipped()
    docs = list(read_inputs([str(tmp_path)], skipped=skipped))
    assert [d.source.rsplit("/", 1)[-1] for d in docs] == ["a.html", "b.txt"]
    assert skipped.paths == [str(tmp_path / "notes.docx")]


def test_missing_file_is_an_error_record(tmp_path):
    (doc,) = read_inputs([str(tmp_path / "nope.txt")])
    assert doc.error.code == Codes.NOT_FOUND


def test_stdin_plain_text_and_jsonl():
    (doc,) = read_inputs(["-"], stdin=io.BytesIO(SIMPLIFIED.encode("gbk")))
    assert doc.text == SIMPLIFIED and doc.source is None
    lines = b'{"id": "x", "text": "\xe4\xb8\x80"}\n{"id": "y", "text": "\xe4\xba\x8c"}\n'
    docs = list(read_inputs(["-"], stdin=io.BytesIO(lines)))
    assert [d.doc_id for d in docs] == ["x", "y"]


def _page(charset, body):
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>t</title></head><body><h1>News</h1><p>{body}</p></body></html>")


@pytest.mark.parametrize(
    "head, expected",
    [
        (b'<meta charset="gbk">', "gbk"),
        (b"<meta charset=GB2312>", "gb2312"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=big5">', "big5"),
        (b"<meta name='x'><p>charset</p>", None),
    ],
)
def test_declared_charset(head, expected):
    from pipeline.ingest import declared_charset

    assert declared_charset(b"<html><head>" + head + b"</head>") == expected


@pytest.mark.parametrize(
    "charset, body, codec, expected",
    [
        ("gbk", SIMPLIFIED, "gbk", "gb18030"),
        ("gb2312", "赵孟𫖯书画展开幕，吴䶮研究会成立，共展出作品六十余件。", "gb18030", "gb18030"),
        ("big5", "屋邨居民參加座談會，大家都話𨋢好用，會議強調要發揮組織作用。", "big5hkscs", "big5hkscs"),
        ("gb2312", SIMPLIFIED, "utf-8", "utf-8"),
        ("big5", SIMPLIFIED, "gbk", "gb18030"),
    ],
    ids=["gbk", "gb2312-declared-gb18030-bytes", "big5-declared-hkscs-bytes", "utf8-bytes-old-meta",
         "declared-big5-but-gbk-bytes"],
)
def test_html_declared_charsets(charset, body, codec, expected):
    doc = read_bytes(_page(charset, body).encode(codec), "page.html", html=True)
    assert doc.error is None and doc.encoding == expected
    assert body in doc.text


def test_utf8_read_as_latin1_is_repaired_and_reported():
    broken = SIMPLIFIED.encode("utf-8").decode("latin-1")
    doc = read_bytes(("标题\n" + broken).encode("utf-8"), "old.txt")
    assert doc.text == "标题\n" + SIMPLIFIED
    assert [w.code for w in doc.warnings] == ["mojibake_repaired"]


def test_european_accents_are_not_mojibake():
    text = "Café résumé naïve: 某地举办中法文化交流活动。"
    doc = read_bytes(text.encode("utf-8"), "fr.txt")
    assert doc.text == text and doc.warnings == []
