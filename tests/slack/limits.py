"""Slack's Block Kit limits, checked over any payload the builders make."""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000


def walk(node: Any) -> list[dict[str, Any]]:
    """Every dict in a payload, depth first."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += walk(value)
    elif isinstance(node, list):
        for value in node:
            found += walk(value)
    return found


def check_limits(payload: dict[str, Any], *, view: bool = False) -> None:
    blocks = payload["blocks"]
    assert blocks, "a payload without blocks"
    assert len(blocks) <= (VIEW_BLOCKS if view else MESSAGE_BLOCKS)
    if not view:
        text = payload["text"]
        assert 0 < len(text) <= 150 and "\n" not in text
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    for block in blocks:
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= SECTION_TEXT
        if block["type"] == "actions":
            assert 0 < len(block["elements"]) <= 25
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids))
    for node in walk(payload):
        if node.get("type") == "button":
            assert len(node["text"]["text"]) <= 75
            assert len(node.get("value", "")) <= 2000
        if node.get("type") == "header":
            assert len(node["text"]["text"]) <= 150


def texts(payload: dict[str, Any]) -> str:
    """All the words a person would read in a payload, joined."""
    return "\n".join(n["text"] for n in walk(payload) if n.get("type") in ("mrkdwn", "plain_text"))


def action_ids(payload: dict[str, Any]) -> list[str]:
    return [n["action_id"] for n in walk(payload) if "action_id" in n]
