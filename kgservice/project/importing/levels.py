"""Which kgo: class each level of an outline becomes: the documented defaults, `--levels` and profile files.

An element's class comes from its level keyword when it prints one ("Opatření 2.1.1", "Zadanie II-4.1"),
else from the level below its parent's in `depths` (a numbered element under the document takes the class
of its notation's depth). Unnumbered headings that hold items are `unnumbered` (default kgo:StrategicArea),
bullets take `bullets` when set, else the level below their parent's. A profile (YAML or TOML) or
`--levels` overrides any of these (docs/import.md).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from kgservice.errors import ImportRefused

TYPES = ("Vision", "StrategicArea", "StrategicGoal", "SpecificGoal", "Measure", "Activity", "Project")
"""The concrete element classes of kgo: an outline may map to."""

GENERIC = ""
"""A keyword that marks an item but not its level ("Cíl", "Cel", "Goal"): the level comes from its place."""

# What a user reads, in one place (named arguments, so that the texts can be translated).
TEXT = {
    "unknown_level": "unknown level %(name)s: use one of %(types)s",
    "profile_syntax": "the profile does not parse: %(error)s",
    "profile_shape": "a profile is a table of levels, keywords, unnumbered and bullets",
    "profile_levels": "`levels` is a list of classes, top down",
}

# Level keywords as printed at the start of a heading, case-insensitive, singular and plural; the longest
# match wins ("Specifický cíl" before "Cíl"). The value is the kgo: class, or GENERIC.
KEYWORDS: dict[str, str] = {
    # Czech
    "vize": "Vision",
    "prioritní oblast": "StrategicArea",
    "prioritní oblasti": "StrategicArea",
    "oblast": "StrategicArea",
    "oblasti": "StrategicArea",
    "strategický cíl": "StrategicGoal",
    "strategické cíle": "StrategicGoal",
    "priorita": "StrategicGoal",
    "priority": "StrategicGoal",
    "specifický cíl": "SpecificGoal",
    "specifické cíle": "SpecificGoal",
    "cíl": GENERIC,
    "cíle": GENERIC,
    "opatření": "Measure",
    "aktivita": "Activity",
    "aktivity": "Activity",
    "projekt": "Project",
    "projekty": "Project",
    # Polish
    "wizja": "Vision",
    "obszar": "StrategicArea",
    "obszary": "StrategicArea",
    "obszar strategiczny": "StrategicArea",
    "cel strategiczny": "StrategicGoal",
    "cele strategiczne": "StrategicGoal",
    "priorytet": "StrategicGoal",
    "priorytety": "StrategicGoal",
    "cel operacyjny": "SpecificGoal",
    "cele operacyjne": "SpecificGoal",
    "cel szczegółowy": "SpecificGoal",
    "cele szczegółowe": "SpecificGoal",
    "cel": GENERIC,
    "cele": GENERIC,
    "program": "SpecificGoal",
    "program strategiczny": "SpecificGoal",
    "program operacyjny": "SpecificGoal",
    "zadanie": "Measure",
    "zadania": "Measure",
    "działanie": "Measure",
    "działania": "Measure",
    "kierunek działań": "Measure",
    "kierunki działań": "Measure",
    # English
    "vision": "Vision",
    "area": "StrategicArea",
    "priority area": "StrategicArea",
    "strategic goal": "StrategicGoal",
    "strategic goals": "StrategicGoal",
    "strategic objective": "StrategicGoal",
    "priorities": "StrategicGoal",
    "specific goal": "SpecificGoal",
    "specific objective": "SpecificGoal",
    "objective": "SpecificGoal",
    "goal": GENERIC,
    "measure": "Measure",
    "measures": "Measure",
    "action": "Activity",
    "actions": "Activity",
    "activity": "Activity",
    "activities": "Activity",
    "project": "Project",
}


@dataclass(frozen=True)
class LevelMap:
    """How levels become classes: `depths` top down, the keyword table, and the class of unnumbered headings
    and (if set) of bullets."""

    depths: tuple[str, ...] = ("StrategicGoal", "SpecificGoal", "Measure", "Activity")
    keywords: Mapping[str, str] = field(default_factory=lambda: dict(KEYWORDS))
    unnumbered: str = "StrategicArea"
    bullets: str | None = None

    def below(self, parent_type: str | None, depth: int) -> str | None:
        """The class of an item under an element of `parent_type` (None: under the document, at notation
        depth `depth`); None when the outline goes deeper than `depths`."""
        if parent_type is None:
            return self.depths[min(depth, len(self.depths)) - 1]
        if parent_type not in self.depths:
            return self.depths[0]
        index = self.depths.index(parent_type) + 1
        return self.depths[index] if index < len(self.depths) else None

    def preview(self) -> dict[str, Any]:
        return {"depths": list(self.depths), "unnumbered": self.unnumbered, "bullets": self.bullets}


def _type(name: str, where: str) -> str:
    local = name.strip().removeprefix("kgo:")
    if local not in TYPES:
        raise ImportRefused(where, TEXT["unknown_level"], name=repr(name), types=", ".join(TYPES))
    return local


def parse_levels(text: str, base: LevelMap | None = None) -> LevelMap:
    """Read `--levels`: comma-separated classes top down (`StrategicGoal,SpecificGoal,Measure,Activity`),
    and/or `keyword=Class`, `unnumbered=Class`, `bullets=Class` entries."""
    levels = base or LevelMap()
    depths: list[str] = []
    keywords = dict(levels.keywords)
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        name, sep, value = entry.partition("=")
        if not sep:
            depths.append(_type(name, "--levels"))
        elif name.strip().lower() == "unnumbered":
            levels = replace(levels, unnumbered=_type(value, "--levels"))
        elif name.strip().lower() == "bullets":
            levels = replace(levels, bullets=_type(value, "--levels"))
        else:
            keywords[name.strip().casefold()] = GENERIC if value.strip() == "" else _type(value, "--levels")
    return replace(levels, depths=tuple(depths) or levels.depths, keywords=keywords)


def _read_profile(path: Path) -> Mapping[str, Any]:
    text = path.read_text(encoding="utf-8")
    try:
        loaded: Any = tomllib.loads(text) if path.suffix.lower() == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        raise ImportRefused(str(path), TEXT["profile_syntax"], error=str(error)) from None
    if not isinstance(loaded, Mapping):
        raise ImportRefused(str(path), TEXT["profile_shape"])
    return loaded


def load_profile(path: Path, base: LevelMap | None = None) -> LevelMap:
    """Read a profile file (YAML, or TOML by its .toml suffix): `levels` (list of classes top down),
    `keywords` (keyword -> class), `unnumbered` and `bullets` (a class each)."""
    profile, where = _read_profile(path), str(path)
    levels = base or LevelMap()
    depths = profile.get("levels")
    if depths is not None:
        if not isinstance(depths, list) or not depths:
            raise ImportRefused(where, TEXT["profile_levels"])
        levels = replace(levels, depths=tuple(_type(str(d), where) for d in depths))
    keywords = dict(levels.keywords)
    for keyword, value in dict(profile.get("keywords") or {}).items():
        keywords[str(keyword).casefold()] = GENERIC if not value else _type(str(value), where)
    levels = replace(levels, keywords=keywords)
    if profile.get("unnumbered"):
        levels = replace(levels, unnumbered=_type(str(profile["unnumbered"]), where))
    if profile.get("bullets"):
        levels = replace(levels, bullets=_type(str(profile["bullets"]), where))
    return levels
