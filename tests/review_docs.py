"""Hand-made documents for the review page's tests (text written by the team
for these tests, facts set by hand as an extractor would give them).

- NINGHAI: a traditional-script report of a meeting whose facts are all there
  but one: 陳思遠, a person the "extractor" missed (the tests add him).
- SCRIPT: an article whose text and title hold markup and scripts, which the
  page must show as text.
"""

from __future__ import annotations

from pipeline.kb.reviews import sentence_of
from pipeline.normalize import to_simplified
from pipeline.records import Brand, Count, Document, Figure, Location, Meeting, Mention, Region

NINGHAI_TEXT = (
    "寧海縣召開新的社會階層人士統戰工作推進會\n"
    "7月27日上午，寧海縣新的社會階層人士統戰工作推進會在岔路鎮召開，近80人參會。"
    "縣委常委、統戰部部長周文華出席會議並講話。縣民政局局長陳思遠介紹了社會組織參與基層治理的做法。\n"
    "會議指出，要把“同心驛站”打造成服務新的社會階層人士的平台。"
)
NINGHAI_ID = "ninghai-test-1"
MISSING_PERSON = "陳思遠"

SCRIPT_TEXT = (
    "<script>window.__pwned = 1; alert('pwned')</script>\n"
    "活動在<b>寧海縣</b>舉行。<img src=x onerror=\"window.__pwned = 2\">"
)
SCRIPT_TITLE = "<script>window.__pwned = 3</script>標題"
SCRIPT_ID = "script-test-1"


def mention(text: str, surface: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(start=start, end=start + len(surface), text=surface, sentence=sentence_of(text, start))


def ninghai() -> Document:
    t = NINGHAI_TEXT
    meeting = "寧海縣新的社會階層人士統戰工作推進會"
    return Document(
        doc_id=NINGHAI_ID, source="tests/ninghai_meeting.txt", title=to_simplified(t.splitlines()[0]),
        published_at="2024-07-28", script="traditional", text=t, normalized_text=to_simplified(t),
        regions=[
            Region(name="宁海县", code="330226", level="county", path=["浙江省", "宁波市", "宁海县"],
                   mentions=[mention(t, "寧海縣"), mention(t, "寧海縣", 1)], method="gazetteer", confidence=0.95),
            Region(name="岔路镇", code=None, level="township", path=["浙江省", "宁波市", "宁海县", "岔路镇"],
                   mentions=[mention(t, "岔路鎮")], method="gazetteer", confidence=0.8),
        ],
        figures=[Figure(name="周文华", titles=["县委常委", "统战部部长"], roles=["出席会议并讲话"],
                        mentions=[mention(t, "周文華")], method="title", confidence=0.9)],
        brands=[Brand(name="同心驿站", kind="platform", mentions=[mention(t, "同心驛站")], method="quoted",
                      confidence=0.85)],
        counts=[Count(value=80, unit="人", qualifier="nearly", text="近80人", mentions=[mention(t, "近80人")],
                      method="counts", confidence=0.6)],
        meetings=[Meeting(name=to_simplified(meeting), kind="推进会", date="--07-27", date_text="7月27日上午",
                          location=Location(name="宁海县", code="330226"), organizer=None,
                          mentions=[mention(t, meeting)], method="meetings", confidence=0.7)],
    )


def script_article() -> Document:
    t = SCRIPT_TEXT
    return Document(
        doc_id=SCRIPT_ID, source="tests/script.txt", title=SCRIPT_TITLE, script="traditional", text=t,
        normalized_text=to_simplified(t), url="javascript:alert('pwned')",
        regions=[Region(name="宁海县", code="330226", level="county", path=["浙江省", "宁波市", "宁海县"],
                        mentions=[mention(t, "寧海縣")], method="gazetteer", confidence=0.95)],
        brands=[Brand(name="<script>", kind="other", mentions=[mention(t, "<script>")], method="quoted",
                      confidence=0.3)],
    )
