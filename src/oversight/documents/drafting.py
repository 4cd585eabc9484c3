"""The first draft of a document: its Chinese wording lives in the text templates
``documents/drafts/<kind>.txt``, filled with the figures; this module only turns the
rendered text into the document's fields.

A template writes one paragraph per line; ``=== key`` starts a field and
``=== part HEADING`` a part of the body. Blank lines (left by template tags) are dropped.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

FIELDS = ("masthead", "issue_number", "series", "issuer", "date", "title", "lead", "closing")
PART = "part "
MARK = "=== "


def parse(rendered: str) -> dict[str, Any]:
    content: dict[str, Any] = {name: "" for name in FIELDS}
    content["parts"] = []
    content["distribution"] = ""
    lines: list[str] | None = None
    for raw in rendered.splitlines():
        line = raw.strip()
        if line.startswith(MARK):
            key = line.removeprefix(MARK)
            lines = []
            if key.startswith(PART):
                content["parts"].append({"heading": key.removeprefix(PART), "lines": lines})
            else:
                content[key] = lines
        elif line and lines is not None:
            lines.append(line)
    for name in (*FIELDS, "distribution"):
        value = content[name]
        content[name] = "\n".join(value) if isinstance(value, list) else value
    content["parts"] = [
        {"heading": part["heading"], "text": "\n".join(part["lines"])} for part in content["parts"]
    ]
    return content


def draft_content(kind: str, context: dict[str, Any]) -> dict[str, Any]:
    return parse(render_to_string(f"documents/drafts/{kind}.txt", context))


def plain_text(content: dict[str, Any]) -> str:
    """The document as plain text, stored with an issued version (search, diff, archive)."""
    head = [content.get("masthead", ""), f"（{content.get('issue_number', '')}）"]
    head += [content.get("series", ""), f"{content.get('issuer', '')}　{content.get('date', '')}"]
    body = [content.get("title", ""), content.get("lead", "")]
    for part in content.get("parts", []):
        body += [part["heading"], part["text"]]
    body += [content.get("closing", ""), content.get("distribution", "")]
    return "\n".join(line for line in head + body if line)
