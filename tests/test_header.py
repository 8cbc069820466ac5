"""Header: title, publication date, outlet, editor and keywords."""

import pytest

from pipeline.header import read_header


def test_title_date_and_outlet():
    text = "推进会在汕尾召开\n\n时间: 2024-02-05 08:42:24 来源: 本网\n【打印】\n\n  近日,会议召开。"
    h = read_header(text)
    assert h.title == "推进会在汕尾召开"
    assert h.published_at == "2024-02-05T08:42:24"
    assert h.origin == "本网"
    assert text[h.title_span[0]:h.title_span[1]] == h.title


@pytest.mark.parametrize(
    "line, expected",
    [
        ("发布日期：2017年05月19日", "2017-05-19"),
        ("发布时间：2023/3/8 10:05", "2023-03-08T10:05:00"),
        ("日期: 2021.12.01", "2021-12-01"),
        ("2022-07-27", "2022-07-27"),
        ("时间：2024-13-45", None),
    ],
)
def test_published_at_formats(line, expected):
    assert read_header(f"某地召开座谈会\n{line}\n正文。").published_at == expected


def test_breadcrumb_is_skipped_and_the_fuller_headline_wins():
    text = "首页>党派·声音>统一战线\n宁海县举行推进会\n宁海县举行“6G星空”启动仪式暨推进会\n7月27日上午,会议举行。"
    assert read_header(text).title == "宁海县举行“6G星空”启动仪式暨推进会"


def test_body_first_line_is_not_a_title():
    text = "5月17日,中央统战部在成都召开片会。重庆、四川等省区市参加。\n第二段。"
    assert read_header(text).title is None


@pytest.mark.parametrize(
    "tail, field, value",
    [
        ("(宁波市委统战部供稿)", "origin", "宁波市委统战部"),
        ("文章转载自自微信号统战新语(tongzhanxinyu) |", "origin", "统战新语"),
        ("来源：新华社", "origin", "新华社"),
        ("编辑:李晨阳", "editor", "李晨阳"),
        ("责任编辑：王小明", "editor", "王小明"),
        ("关键词:阶层 人士 统战工作", "keywords", ["阶层", "人士", "统战工作"]),
    ],
)
def test_metadata_at_the_end(tail, field, value):
    h = read_header(f"标题在这里\n正文第一句。\n{tail}")
    assert getattr(h, field) == value
    assert h.meta_spans


def test_long_body_line_mentioning_a_source_is_not_metadata():
    body = "据悉，" + "这项工作的资金来源：财政拨款和社会捐助，" * 5
    assert read_header(f"标题\n{body}").origin is None


@pytest.mark.parametrize(
    "line",
    ["会议时间：2019年3月2日，参会人员80人。", "项目资金来源：省级财政补助300万元。", "活动编辑：暂无安排"],
    ids=["meeting-time", "funding-source", "label-inside-a-word"],
)
def test_a_label_inside_a_body_noun_is_not_metadata(line):
    h = read_header(f"某地召开座谈会\n正文第一句。\n{line}\n正文最后一句。")
    assert (h.published_at, h.origin, h.editor, h.meta_spans) == (None, None, None, [])
