"""Jira wiki markup → Markdown (what the detail pane renders), for the markup people use.

Converted: `{code}`/`{code:lang}` and `{noformat}` blocks (kept verbatim, fenced), `{quote}`
and `bq.`, `{panel}`, `{color}` (dropped, text kept), headings `h1.`–`h6.`, lists `*` `#`
(nested, mixed), tables `||head||` `|cell|`, `----`, `*bold*`, `_italic_`, `{{monospace}}`,
links `[text|url]` and `[url]`, mentions `[~user]` / `[~accountid:…]` (named when the export
tells who that is), attachments `[^file]`, images `!file.png!`, and the (/) (x) (!) icons.
Anything else stays as written: still readable, and never lost.

Written here rather than taken from jira2markdown: that library builds a pyparsing grammar
that needs 0.1–0.3 s per description (13 s for Hive's 59 issues), where an import of a few
thousand issues must take seconds. This converter is linear: regexes over lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_OPEN_BLOCK = re.compile(r"\{(code|noformat)(?::([^}\n]*))?\}")
_HEADING = re.compile(r"^\s*h([1-6])\.\s*(.*)$")
_BQ = re.compile(r"^\s*bq\.\s?(.*)$")
_LIST = re.compile(r"^\s*([*#-]+)\s+(.*)$")
_RULER = re.compile(r"^\s*-{4,}\s*$")
_PANEL = re.compile(r"\{panel(?::([^}\n]*))?\}")
_COLOR = re.compile(r"\{color(?::[^}\n]*)?\}")
_MONO = re.compile(r"\{\{(.{1,500}?)\}\}")
_BOLD = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.{1,300}?)(?<=[^\s\\])\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w\\])_(?=[^\s_])(.{1,300}?)(?<=[^\s\\])_(?!\w)")
_LINK = re.compile(r"\[([^\[\]\n]*?)\]")
_IMAGE = re.compile(
    r"!((?:https?://[^\s!|]+)|(?:[^\s!|][^!|\n]*?\.(?:png|jpe?g|gif|svg|bmp|webp)))(?:\|[^!\n]*)?!",
    re.IGNORECASE,
)
# Spans are bounded (a bold phrase is not 300 characters long) so that a line full of `*` or
# `{{` costs linear time, not quadratic: descriptions may be 200,000 characters.
_ICONS = {"(/)": "✓", "(x)": "✗", "(!)": "⚠", "(i)": "ℹ", "(?)": "?", "(on)": "●", "(off)": "○",
          "(*)": "★", "(y)": "👍", "(n)": "👎"}
_ICON = re.compile(r"(?<!\S)(\(/\)|\(x\)|\(!\)|\(i\)|\(\?\)|\(on\)|\(off\)|\(\*\)|\(y\)|\(n\))(?!\w)")
_URL_START = ("http://", "https://", "ftp://", "mailto:", "file:")


def to_markdown(text: str, people: Mapping[str, str] | None = None) -> str:
    """Markdown for a Jira wiki text. `people` maps user names / account ids to display names."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    people = people or {}
    out: list[str] = []
    position = 0
    for start, end, body, language in _blocks(text):
        out.append(_convert_text(text[position:start], people))
        out.append(_fence(body, language))
        position = end
    out.append(_convert_text(text[position:], people))
    joined = "".join(out)
    return re.sub(r"\n{3,}", "\n\n", joined).strip("\n")


def _blocks(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, body, language) of each closed {code}/{noformat} block. Linear: once a kind
    has no closing tag left, its later openings are not searched again."""
    blocks = []
    position, unclosed = 0, set()
    while True:
        opening = _OPEN_BLOCK.search(text, position)
        if opening is None:
            return blocks
        kind = opening.group(1)
        closing = -1 if kind in unclosed else text.find("{" + kind + "}", opening.end())
        if closing < 0:
            unclosed.add(kind)
            position = opening.end()
            continue
        end = closing + len(kind) + 2
        blocks.append((opening.start(), end, text[opening.end():closing], _language(kind, opening.group(2))))
        position = end


def _language(kind: str, params: str | None) -> str:
    if kind != "code" or not params:
        return ""
    first = params.split("|")[0]
    return "" if "=" in first else first.strip().lower()


def _fence(body: str, language: str) -> str:
    if "\n" not in body and "`" not in body and body.strip():
        return f"`{body.strip()}`"
    fence = "~~~~" if "```" in body else "```"
    return f"\n{fence}{language}\n{body.strip(chr(10))}\n{fence}\n"


_FORCED_BREAK = re.compile(r"(?<!\\)\\\\[ \t]*\n?")


def _convert_text(text: str, people: Mapping[str, str]) -> str:
    """Convert text outside code blocks line by line, keeping Markdown's blocks apart: a blank
    line between a table, a quote, a list and a paragraph, and line breaks inside paragraphs
    (Jira shows a newline as a line break; Markdown would join the lines)."""
    if not text:
        return ""
    text = _FORCED_BREAK.sub("\n", text)  # Jira's \\ is a line break
    blocks: list[tuple[str, str]] = []  # (kind, Markdown line)
    in_quote = False
    header_done = False
    for raw in text.split("\n"):
        pieces = raw.split("{quote}")  # {quote} toggles quoting and may sit anywhere in a line
        for index, piece in enumerate(pieces):
            if index > 0:
                in_quote = not in_quote
                blocks.append(("break", ""))
            if len(pieces) > 1 and not piece.strip():
                continue
            kind, line = _convert_line(piece, people, header_done)
            header_done = kind == "table"
            if in_quote and kind != "blank":
                kind, line = "quote", f"> {line}"
            blocks.append((kind, line))
    out: list[str] = []
    previous = "blank"
    for kind, line in blocks:
        if kind == "break":
            if out and out[-1]:
                out.append("")
            previous = "blank"
            continue
        if kind != previous and "blank" not in (kind, previous) and out:
            out.append("")
        elif kind == previous and kind in ("text", "quote") and out:
            out[-1] += "  "  # a Markdown hard line break
        out.append(line)
        previous = kind
    joined = "\n".join(out)
    # Segments between code blocks join mid-line: keep a leading/trailing newline as it was.
    if text.startswith("\n"):
        joined = "\n" + joined
    if text[-1] in " \t":
        joined += " "
    return joined


def _convert_line(line: str, people: Mapping[str, str], header_done: bool) -> tuple[str, str]:
    """One line: (the kind of Markdown block it belongs to, its Markdown)."""
    if "{" in line:
        line = _PANEL.sub(lambda m: _panel_title(m.group(1)), line)
        line = _COLOR.sub("", line)
    stripped = line.strip()
    if not stripped:
        return "blank", ""
    if _RULER.match(line):
        return "rule", "---"
    heading = _HEADING.match(line)
    if heading:
        return "heading", "#" * int(heading.group(1)) + " " + _inline(heading.group(2).strip(), people)
    quote = _BQ.match(line)
    if quote:
        return "quote", "> " + _inline(quote.group(1), people)
    if stripped.startswith("||"):
        cells = _cells(stripped.strip("|"), "||")
        row = "| " + " | ".join(_inline(c, people) for c in cells) + " |"
        return "table", row + "\n|" + "---|" * len(cells)
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        cells = _cells(stripped[1:-1], "|")
        row = "| " + " | ".join(_inline(c, people) for c in cells) + " |"
        if not header_done:  # Markdown tables need a header row; give it an empty one
            row = "|" + " |" * len(cells) + "\n|" + "---|" * len(cells) + "\n" + row
        return "table", row
    listed = _LIST.match(line)
    if listed and (set(listed.group(1)) != {"-"} or len(listed.group(1)) == 1):
        markers = listed.group(1)
        depth = len(markers) - 1
        bullet = "1." if markers[-1] == "#" else "-"
        indent = "   " * depth if bullet == "1." else "  " * depth
        return "list", f"{indent}{bullet} {_inline(listed.group(2), people)}"
    return "text", _inline(line.rstrip(), people)


def _panel_title(params: str | None) -> str:
    if not params:
        return ""
    for part in params.split("|"):
        key, _, value = part.partition("=")
        if key.strip().lower() == "title" and value.strip():
            return f"**{value.strip()}**\n"
    return ""


def _cells(row: str, separator: str) -> list[str]:
    """Split a table row on `separator`, not inside [links] or {{monospace}}."""
    cells, current, depth, i = [], [], 0, 0
    while i < len(row):
        char = row[i]
        if char in "[{":
            depth += 1
        elif char in "]}" and depth:
            depth -= 1
        if depth == 0 and row.startswith(separator, i):
            cells.append("".join(current).strip())
            current = []
            i += len(separator)
            continue
        current.append(char)
        i += 1
    cells.append("".join(current).strip())
    return [cell.replace("|", "\\|") if "[" not in cell else cell for cell in cells]


def _inline(text: str, people: Mapping[str, str]) -> str:
    if not text:
        return text
    if "{{" not in text:
        return _inline_plain(text, people)
    # Monospace first: its content is code, nothing inside it is converted.
    parts = _MONO.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            tick = "``" if "`" in part else "`"
            out.append(f"{tick}{part}{tick}")
        else:
            out.append(_inline_plain(part, people))
    return "".join(out)


# Jira escapes that Markdown does not need: keep the text as a person would write it.
_NEEDLESS_ESCAPE = re.compile(r"(?<=\S)\\-|\\([{}@])|(?<=\w)\\_(?=\w)")


def _unescape(match: re.Match[str]) -> str:
    return match.group(1) or match.group(0)[1:]


def _inline_plain(text: str, people: Mapping[str, str]) -> str:
    # Each pattern runs only when its marker character is there: most lines have none.
    if "\\" in text:
        text = _NEEDLESS_ESCAPE.sub(_unescape, text)
    if "!" in text:
        text = _IMAGE.sub(lambda m: f"(image: {m.group(1)})", text)
    if "[" in text:
        text = _LINK.sub(lambda m: _link(m, people), text)
    if "*" in text:
        text = _BOLD.sub(r"**\1**", text)
    if "_" in text:
        text = _ITALIC.sub(r"*\1*", text)
    if "(" in text:
        text = _ICON.sub(lambda m: _ICONS[m.group(1)], text)
    return text


def _link(match: re.Match[str], people: Mapping[str, str]) -> str:
    inner = match.group(1)
    if inner.startswith("~"):
        user = inner[1:]
        name = people.get(user) or people.get(user.removeprefix("accountid:"))
        return "@" + (name or user.removeprefix("accountid:"))
    if inner.startswith("^"):
        return f"(attachment: {inner[1:]})"
    label, bar, target = inner.rpartition("|")
    if bar:
        target = target.strip()
        if target.startswith("~"):
            return "@" + (people.get(target[1:]) or label or target[1:])
        if target.startswith(_URL_START) or target.startswith("www."):
            return f"[{label.strip() or target}]({target})"
        return label  # a link to a Jira page or anchor: the words are what matter here
    if inner.strip().startswith(_URL_START):
        return f"<{inner.strip()}>"
    return match.group(0)  # plain brackets, e.g. "[WIP]" or "[bold]": literal text
