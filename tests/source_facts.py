"""Facts counted from the source documents' text, independently of the graph.

Tests compare the graph and the query answers with these; nothing here reads the RDF data.
"""

from __future__ import annotations

import re

from tests.conftest import KALISZ, LIBEREC_STRATEGY, MINUTES, PRESS_RELEASE, REGION_WORKSHOP, source_lines


def _between(lines: list[str], start: str, end: str) -> list[str]:
    first = next(i for i, line in enumerate(lines) if start in line)
    last = next(i for i, line in enumerate(lines) if i > first and end in line)
    return lines[first + 1 : last]


def liberec_strategic_goals() -> list[str]:
    """Notations of the strategic goals in the summary ('1 – Vzdělávání, ...')."""  # noqa: RUF002 (en dash as in the source)
    summary = _between(source_lines(LIBEREC_STRATEGY), "Souhrnný přehled", "Návrh specifických cílů")
    return [m.group(1) for line in summary if (m := re.match(r"^(\d) – ", line))]  # noqa: RUF001 (en dash as in the source)


def liberec_specific_goals() -> list[str]:
    """Notations of the specific goals in the summary ('2.1 – Optimalizujeme ...')."""  # noqa: RUF002 (en dash as in the source)
    summary = _between(source_lines(LIBEREC_STRATEGY), "Souhrnný přehled", "Návrh specifických cílů")
    return [m.group(1) for line in summary if (m := re.match(r"^(\d\.\d) – ", line))]  # noqa: RUF001 (en dash as in the source)


def liberec_measures_and_bullets() -> dict[str, int]:
    """Each measure notation (2.1.1 ...) of the detailed part with the number of ▶ bullets under it."""
    lines = source_lines(LIBEREC_STRATEGY)
    detail = lines[next(i for i, line in enumerate(lines) if line.startswith("Návrh specifických cílů")) :]
    measures: dict[str, int] = {}
    current = None
    for line in detail:
        found = re.match(r"^-?\s*(\d\.\d\.\d+)\b", line.strip())
        if found:
            current = found.group(1)
            measures[current] = 0
        elif "▶" in line and current is not None:
            measures[current] += 1
        elif "Specifický cíl" in line:
            current = None
    return measures


def liberec_bullets_mentioning(word: str) -> list[str]:
    """The texts of the ▶ bullets that contain `word`."""
    return [line.split("▶", 1)[1].strip() for line in source_lines(LIBEREC_STRATEGY) if "▶" in line and word in line]


def region_activities_per_area() -> dict[str, int]:
    """Number of proposed activities ('- ' lines) under each capitalised area heading of NÁVRHY AKTIVIT."""
    lines = source_lines(REGION_WORKSHOP)
    start = next(i for i, line in enumerate(lines) if line.strip() == "NÁVRHY AKTIVIT")
    counts: dict[str, int] = {}
    area = None
    for line in lines[start + 1 :]:
        if line.strip().isupper() and line.strip():
            area = line.strip()
            counts[area] = 0
        elif line.startswith("- ") and area is not None:
            counts[area] += 1
    return counts


def kalisz_tasks() -> list[str]:
    """Notations of the Kalisz tasks ('Zadanie II-4.1.')."""
    return [m.group(1) for line in source_lines(KALISZ) if (m := re.match(r"^Zadanie (II-4\.\d)\.", line.strip()))]


def kalisz_responsible_units() -> list[str]:
    rows = _between(source_lines(KALISZ), "Podmiot odpowiedzialny", "Współrealizatorzy")
    return [row.strip() for row in rows if row.strip()]


def kalisz_co_implementers() -> list[str]:
    rows = _between(source_lines(KALISZ), "Współrealizatorzy", "Spodziewane efekty")
    return [row.strip() for row in rows if row.strip()]


def kalisz_expected_effects() -> list[str]:
    lines = source_lines(KALISZ)
    return [line.strip(" ·;.") for line in lines if line.lstrip().startswith("·")]


def kalisz_convergence_leaves() -> dict[str, list[str]]:
    """The sub-priorities ('1.4. Bezpieczeństwo') listed under each higher strategy named in 'Zbieżność programu z'."""
    rows = _between(source_lines(KALISZ), "Zbieżność programu z", "Podmiot odpowiedzialny")
    leaves: dict[str, list[str]] = {}
    current = ""
    for row in rows:
        text = row.strip()
        if text.startswith("Strategią") or text.startswith("Zintegrowanym"):
            current = text
            leaves[current] = []
        elif (m := re.match(r"^(\d\.\d)\. ", text)) and current:
            leaves[current].append(m.group(1))
    return leaves


def municipalities_joining_2014() -> list[str]:
    """The municipalities and the city district that newly joined the 2014-2016 plan (press release)."""
    line = next(line for line in source_lines(PRESS_RELEASE) if "Nově do komunitního plánování vstoupily obce" in line)
    listed = line.split("vstoupily obce", 1)[1].split(".", 1)[0]
    names = re.split(r",\s*|\s+a\s+městský obvod\s+", listed)
    return [n.strip() for n in names if n.strip()]


def municipalities_leaving_2023() -> list[str]:
    """The surrounding municipalities the 2023-2027 plan no longer includes (minutes, in parentheses)."""
    line = next(line for line in source_lines(MINUTES) if "již nebude zahrnovat okolní obce" in line)
    inside = line.split("(", 1)[1].split("–", 1)[0]  # noqa: RUF001 (en dash as in the minutes)
    return [n.strip() for n in inside.split(",") if n.strip()]


def working_groups() -> list[str]:
    return [line.split("\t")[0] for line in source_lines(MINUTES) if line.startswith("Pracovní skupina pro")]


def opz_city_projects() -> list[str]:
    """The city's OPZ+ applications named in the minutes: the continuations (APK III, CBL II) and the new project."""
    lines = source_lines(MINUTES)
    continuation = next(line for line in lines if "na pokračování stávajících projektů" in line)
    names = re.search(r"\(([^)]*)\)", continuation).group(1).split(" a ")  # type: ignore[union-attr]
    new = next(line for line in lines if "nový projekt" in line)
    names.append(re.search(r"„([^“]+)“", new).group(1))  # type: ignore[union-attr]
    return [n.strip() for n in names]
