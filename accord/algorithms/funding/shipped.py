"""The rule sets Accord ships (``rulesets/*.json``): Erasmus+ KA131 (calls 2021–2023 and 2024 on),
KA171, and examples of other funders' rules that need no code (a fixed stipend with actual costs up
to caps, a monthly stipend by destination country, a tuition waiver)."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from accord.algorithms.funding.rules import RuleSet, RuleSetError, parse_rule_set

_PACKAGE = "accord.algorithms.funding"


def shipped_keys() -> list[str]:
    folder = files(_PACKAGE) / "rulesets"
    return sorted(item.name.removesuffix(".json") for item in folder.iterdir() if item.name.endswith(".json"))


def shipped_data(key: str) -> dict[str, Any]:
    """The JSON form of a shipped rule set (what an institution copies into its own first version)."""
    if key not in shipped_keys():
        raise RuleSetError("rules", f"There is no shipped rule set {key!r}.")
    text = (files(_PACKAGE) / "rulesets" / f"{key}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def shipped_rule_set(key: str) -> RuleSet:
    return parse_rule_set(shipped_data(key))


def organisational_support(rules: RuleSet, participants: int) -> Decimal:
    """Organisational support of a project for ``participants`` mobilities: each tier's rate for the
    participants up to its limit (KA131: 400 EUR each up to the 100th, 230 EUR beyond)."""
    total = Decimal(0)
    counted = 0
    for up_to, figure in rules.organisational_support:
        in_tier = participants - counted if up_to is None else max(0, min(participants, up_to) - counted)
        total += figure.amount * in_tier
        counted += in_tier
    return total


def bip_organisational_support(rules: RuleSet, participants: int) -> Decimal:
    """A blended intensive programme's organisational support: the rate for each participant up to
    the most the Guide funds, nothing below the fewest it requires."""
    if rules.bip_organisational_support is None:
        raise RuleSetError(
            "bip_organisational_support", f"{rules.key} does not fund blended intensive programmes."
        )
    rate, fewest, most = rules.bip_organisational_support
    if participants < fewest:
        return Decimal(0)
    return rate.amount * min(participants, most)
