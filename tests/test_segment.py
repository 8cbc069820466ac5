"""Segment: sentences (quotes kept whole) and tokens from the project's jieba."""

import jieba
import pytest

from pipeline.segment import Span, TokenIndex, _spans_ending, segment, split_sentences, tokenize, tokenizer


def texts(text):
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("会议召开。近80人参会！要发挥作用？", ["会议召开。", "近80人参会！", "要发挥作用？"]),
        ("标题\n\n正文第一句。第二句", ["标题", "正文第一句。", "第二句"]),
        ("他说：“要团结。要奋斗。”大家表示赞同。", ["他说：“要团结。要奋斗。”", "大家表示赞同。"]),
        ("“唱支山歌给党听。”在庆祝之际", ["“唱支山歌给党听。”", "在庆祝之际"]),
        ("一是认识问题；二是工作问题。", ["一是认识问题；", "二是工作问题。"]),
        ("未完的引号“开始。下一句。", ["未完的引号“开始。下一句。"]),
        ("省略……然后", ["省略……", "然后"]),
        ("宁波市宁??h举行会议。", ["宁波市宁??h举行会议。"]),
        ("  缩进的段落。  ", ["缩进的段落。"]),
    ],
    ids=["ends", "lines", "quote-whole", "quote-first", "semicolon", "unclosed-quote",
         "ellipsis", "mojibake", "indent"],
)
def test_split_sentences(text, expected):
    assert texts(text) == expected


def test_sentence_offsets_index_the_text():
    text = "第一句。\n  第二句！第三句"
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text
    assert [s.index for s in split_sentences(text)] == [0, 1, 2]


def test_sentence_at():
    seg = segment("第一句。第二句。第三句。")
    assert [seg.sentence_at(i) for i in (0, 4, 5, 11)] == [0, 1, 1, 2]


def test_tokens_cover_the_text_in_order():
    text = "宁波市委统战部副部长卢文祥出席会议。"
    toks = tokenize(text)
    assert "".join(t.text for t in toks) == text
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_project_words_are_kept_whole():
    words = [t.text for t in tokenize("新的社会阶层人士统战工作推进会暨座谈会")]
    assert "新的社会阶层人士" in words and "推进会" in words


def _main_dictionary() -> set[str]:
    """The words of jieba's own main dictionary file (dict.txt), read from the file."""
    with jieba.dt.get_dict_file() as f:
        return {line.split(maxsplit=1)[0].decode("utf-8") for line in f if line.strip()}


def test_project_tokenizer_is_not_the_global_one():
    """The project's words go into its own jieba.Tokenizer only: after a document went
    through the pipeline, the global dictionary (jieba.dt, which other code in the same
    process uses) knows none of the words jieba's main dictionary lacks."""
    import pipeline
    from pipeline.segment import _user_words

    assert tokenizer() is not jieba.dt
    pipeline.extract("新的社会阶层人士统战工作推进会暨座谈会在宁海县召开。", ner=False)
    ours = {word for word, _, _ in _user_words()} - _main_dictionary()
    assert "新的社会阶层人士" in ours and tokenizer().FREQ["新的社会阶层人士"] > 0
    jieba.dt.check_initialized()  # the global dictionary, loaded here if nobody had loaded it
    assert sorted(w for w in ours if jieba.dt.FREQ.get(w)) == []  # prefixes of main words have 0
    assert "新的社会阶层人士" not in jieba.lcut("新的社会阶层人士统战工作推进会")



# --------------------------------------------------------------- one jieba pass


@pytest.mark.parametrize(
    "text",
    ["宁波市委统战部副部长卢文祥出席会议。", "20名有关人士参加了全联盟的活动", "iPhone 15在2024年发布,售价5999元",
     "  空格\t和\r\n换行  ", "", "mojibake 寧??h 县"],
    ids=["names", "hmm-new-words", "latin-digits", "white-space", "empty", "mojibake"],
)
def test_one_pass_equals_two_jieba_runs(text):
    seg = segment(text)
    with_hmm, without = seg.tokens, _spans_ending(text, seg.word_ends)
    assert [(t.text, t.start, t.end) for t in with_hmm] == list(tokenizer().tokenize(text, HMM=True))
    assert [(t.text, t.start, t.end) for t in without] == list(tokenizer().tokenize(text, HMM=False))


def test_segmentation_carries_both_views():
    text = "20名有关人士参加"
    seg = segment(text)
    assert "".join(t.text for t in seg.tokens) == "".join(t.text for t in _spans_ending(text, seg.word_ends)) == text


# --------------------------------------------------------------- token index

TOKENS = [Span(0, 2, "宁波"), Span(2, 3, "市"), Span(3, 7, "统战工作"), Span(7, 8, "。")]


@pytest.mark.parametrize(
    "method, pos, expected",
    [
        ("starting_at", 2, "市"), ("starting_at", 4, None), ("starting_at", 8, None),
        ("ending_at", 7, "统战工作"), ("ending_at", 5, None), ("ending_at", 0, None),
        ("holding", 0, "宁波"), ("holding", 5, "统战工作"), ("holding", 8, None), ("holding", -1, None),
    ],
)
def test_token_index_lookups(method, pos, expected):
    tok = getattr(TokenIndex(TOKENS), method)(pos)
    assert (tok.text if tok else None) == expected


def test_token_index_within_and_boundaries():
    index = TokenIndex(TOKENS)
    assert [t.text for t in index.within(2, 8)] == ["市", "统战工作", "。"]
    assert [t.text for t in index.within(1, 7)] == ["市", "统战工作"]
    assert [t.text for t in index.within(4, 6)] == []
    assert [i for i in range(-1, 10) if i in index.boundaries] == [0, 2, 3, 7, 8]
    assert 5 in (index.boundaries | {5}) and 5 not in index.boundaries
    assert [t.text for t in index] == ["宁波", "市", "统战工作", "。"] and len(index) == 4
