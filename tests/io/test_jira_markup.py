"""Jira wiki markup → Markdown, construct by construct."""

import pytest

from model.io.jira_markup import to_markdown


@pytest.mark.parametrize(("wiki", "markdown"), [
    ("h1. Title", "# Title"),
    ("h3. Steps", "### Steps"),
    ("some *bold* text", "some **bold** text"),
    ("an _italic_ word", "an *italic* word"),
    ("snake_case_name stays", "snake_case_name stays"),
    ("5 * 3 * 2", "5 * 3 * 2"),
    ("use {{git status}} here", "use `git status` here"),
    ("see [the docs|https://example.org/a]", "see [the docs](https://example.org/a)"),
    ("see [https://example.org]", "see <https://example.org>"),
    ("ask [~jdoe]", "ask @Jane Doe"),
    ("ask [~accountid:abc123]", "ask @Al B"),
    ("ask [~stranger]", "ask @stranger"),
    ("keep [bold] and [/] and [WIP]", "keep [bold] and [/] and [WIP]"),
    ("* one\n** two\n# first\n## second", "- one\n  - two\n1. first\n   1. second"),
    ("bq. wise words", "> wise words"),
    ("----", "---"),
    ("||a||b||\n|1|[x|http://y]|", "| a | b |\n|---|---|\n| 1 | [x](http://y) |"),
    ("!screen.png|thumbnail! and [^log.txt]", "(image: screen.png) and (attachment: log.txt)"),
    ("{color:red}red{color} text", "red text"),
    ("done (/) and not (x)", "done ✓ and not ✗"),
    ("line one\\\\line two", "line one  \nline two"),
    ("HIVE\\-123 and \\{x\\}", "HIVE-123 and {x}"),
    ("inline {code}x = 1{code} here", "inline `x = 1` here"),
])
def test_conversions(wiki, markdown):
    assert to_markdown(wiki, {"jdoe": "Jane Doe", "abc123": "Al B"}) == markdown


def test_code_and_noformat_blocks_are_fenced_and_verbatim():
    wiki = "Before\n{code:java}\nint *x* = [y|z];\n{code}\n{noformat}\nat Foo.bar(Foo.java:1)\n{noformat}\nafter"
    assert to_markdown(wiki) == (
        "Before\n\n```java\nint *x* = [y|z];\n```\n\n```\nat Foo.bar(Foo.java:1)\n```\n\nafter")


def test_quote_blocks_and_paragraph_line_breaks():
    assert to_markdown("{quote}\nfirst\nsecond\n{quote}\nafter") == "> first  \n> second\n\nafter"
    assert to_markdown("one\ntwo\n\nthree") == "one  \ntwo\n\nthree"


def test_crlf_and_cr_become_newlines():
    assert to_markdown("a\r\nb\rc") == "a  \nb  \nc"


def test_unclosed_code_block_is_left_as_text():
    assert to_markdown("{code}\nnever closed") == "{code}  \nnever closed"


@pytest.mark.parametrize("text", ["*a " * 20000, "_a " * 20000, "{{" * 30000, "{code:x}" * 10000,
                                  "{code}a" * 10001, "[a|" * 20000, "!a" * 30000])
def test_pathological_text_converts_in_linear_time(text):
    import time

    start = time.perf_counter()
    to_markdown(text)
    assert time.perf_counter() - start < 10  # 60 kB; quadratic matching took 20-95 s here
