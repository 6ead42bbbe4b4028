"""How well `kgservice import` reads the bundled sources: each data/sources/*.txt is imported and compared
with the curated graph made from it by hand, and a synthetic 500-element document is timed.

    python -m benchmarks.import_eval [--markdown]

Elements are compared on (class, notation, parent's notation, label), labels with case and spaces folded:
precision is the share of imported elements found so in the curated graph, recall the share of curated
elements found among the imported. For the elements whose notation both have, the cited lines are
compared (mean Jaccard of the sets of lines their excerpts cite, and the share with the same set).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from kgservice.analysis.importing import save
from kgservice.errors import ImportRefused
from kgservice.project.importing import DocumentMeta, ImportedDocument, parse_document
from kgservice.project.layout import Layout

ROOT = Path(__file__).resolve().parent.parent
KGO, PROV, OA = (
    Namespace("https://w3id.org/kgservice/ontology#"),
    Namespace("http://www.w3.org/ns/prov#"),
    Namespace("http://www.w3.org/ns/oa#"),
)
SRC = "https://w3id.org/kgservice/id/source/"
Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class Element:
    type: str
    notation: str
    parent: str
    label: str
    lines: frozenset[int]

    @property
    def key(self) -> Key:
        return (self.type, self.notation, self.parent, " ".join(self.label.casefold().split()))


@dataclass(frozen=True)
class Score:
    source: str
    strategy: str
    curated: int
    imported: int
    matched: int
    jaccard: float
    same_lines: float
    error: str | None = None

    @property
    def precision(self) -> float:
        return self.matched / self.imported if self.imported else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.curated if self.curated else 0.0


def _lines(graph: Graph, subject: URIRef, source: URIRef | None) -> frozenset[int]:
    lines: set[int] = set()
    for excerpt in graph.objects(subject, PROV.wasDerivedFrom):
        if source is not None and graph.value(excerpt, OA.hasSource) != source:
            continue
        start, end = graph.value(excerpt, KGO.startLine), graph.value(excerpt, KGO.endLine)
        if start is not None and end is not None:
            lines.update(range(int(str(start)), int(str(end)) + 1))
    return frozenset(lines)


def elements(graph: Graph, document: URIRef, language: str, source: URIRef | None = None) -> dict[str, Element]:
    """The elements below `document`, by notation: class, notation, parent's notation ('' for the document),
    the label in the document's language, the lines cited."""
    found: dict[str, Element] = {}
    for subject in graph.transitive_subjects(KGO.partOf, document):
        if subject == document or not isinstance(subject, URIRef):
            continue
        notation, parent = graph.value(subject, SKOS.notation), graph.value(subject, KGO.partOf)
        kind = next((str(t).rsplit("#", 1)[-1] for t in graph.objects(subject, RDF.type)), "")
        labels = [str(v) for v in graph.objects(subject, SKOS.prefLabel) if getattr(v, "language", None) == language]
        parent_notation = "" if parent == document else str(graph.value(parent, SKOS.notation) or parent)
        found[str(notation)] = Element(
            kind, str(notation), parent_notation, labels[0] if labels else "", _lines(graph, subject, source)
        )
    return found


def curated_documents() -> dict[str, tuple[Path, URIRef, str]]:
    """For each source stem, the curated file whose strategy document it is: the document citing it with
    the most elements below it, and the document's language."""
    best: dict[str, tuple[int, Path, URIRef, str]] = {}
    for path in sorted((ROOT / "data" / "strategies").glob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        for document in graph.subjects(RDF.type, KGO.StrategyDocument):
            if graph.value(document, KGO.knownOnlyByReference) is not None or not isinstance(document, URIRef):
                continue
            language = {"CES": "cs", "POL": "pl", "ENG": "en"}.get(
                str(graph.value(document, URIRef("http://purl.org/dc/terms/language"))).rsplit("/", 1)[-1], "cs"
            )
            sources = {str(graph.value(e, OA.hasSource)) for e in graph.objects(document, PROV.wasDerivedFrom)}
            size = len(elements(graph, document, language))
            for source in sources:
                stem = source.removeprefix(SRC)
                if stem not in best or size > best[stem][0]:
                    best[stem] = (size, path, document, language)
    return {stem: (path, doc, lang) for stem, (_, path, doc, lang) in best.items()}


def score(stem: str, path: Path, document: URIRef, language: str) -> Score:
    curated_graph = Graph().parse(path, format="turtle")
    curated = elements(curated_graph, document, language, URIRef(SRC + stem))
    try:
        imported_doc = parse_document(
            f"{stem}.txt",
            (ROOT / "data" / "sources" / f"{stem}.txt").read_bytes(),
            DocumentMeta(iri=str(document), language=language),
        )
    except ImportRefused as refused:
        return Score(stem, path.stem, len(curated), 0, 0, 0.0, 0.0, str(refused))
    imported = elements(imported_doc.graph(), document, language)
    matched = len({e.key for e in imported.values()} & {e.key for e in curated.values()})
    common = [n for n in imported if n in curated]
    jaccards = [
        len(imported[n].lines & curated[n].lines) / len(imported[n].lines | curated[n].lines) for n in common if curated[n].lines
    ]
    same = sum(imported[n].lines == curated[n].lines for n in common)
    return Score(
        stem,
        path.stem,
        len(curated),
        len(imported),
        matched,
        sum(jaccards) / len(jaccards) if jaccards else 0.0,
        same / len(common) if common else 0.0,
    )


def synthetic(goals: int = 5, specific: int = 5, measures: int = 4, bullets: int = 4) -> bytes:
    """A numbered strategy of goals, specific goals, measures and activity bullets, in Czech."""
    lines = ["Strategie rozvoje obce (syntetická)", ""]
    for g in range(1, goals + 1):
        lines += [f"{g} \u2013 Rozvoj území v oblasti {g}", ""]
        for s in range(1, specific + 1):
            lines += [
                f"{g}.{s} Specifický cíl \u2013 Rozvoj oblasti {g}.{s}",
                "",
                f"Popis specifického cíle {g}.{s}, jak jej dokument uvádí.",
                "",
            ]
            for m in range(1, measures + 1):
                lines.append(f"- {g}.{s}.{m} Podpora opatření {g}.{s}.{m} v oblasti služeb")
                lines += [f" - ▶ rozvoj služeb typu {b} v rámci {g}.{s}.{m}" for b in range(1, bullets + 1)]
            lines.append("")
    return "\n".join(lines).encode()


@dataclass(frozen=True)
class Timing:
    """Elements of the synthetic document; wall-clock and CPU seconds to read it, and to validate and store it."""

    elements: int
    parse_wall: float
    parse_cpu: float
    store_wall: float
    store_cpu: float


def timing() -> Timing:
    """Read the synthetic document and build its graph, then validate and store it in a scratch user directory.
    CPU time is given beside wall-clock time: on a machine shared with other work they differ."""
    data = synthetic()
    meta = DocumentMeta(
        title="Strategie rozvoje obce (syntetická)",
        language="cs",
        level="municipal",
        territory=("liberec",),
        issuer="statutarni-mesto-liberec",
        slug="synthetic-import-benchmark",
    )
    wall, cpu = time.perf_counter(), time.process_time()
    document: ImportedDocument = parse_document("synthetic.txt", data, meta)
    document.graph()
    parse_wall, parse_cpu = time.perf_counter() - wall, time.process_time() - cpu
    with tempfile.TemporaryDirectory() as user:
        wall, cpu = time.perf_counter(), time.process_time()
        save(document, Layout(ROOT, Path(user)))
        store_wall, store_cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Timing(len(document.elements), parse_wall, parse_cpu, store_wall, store_cpu)


def table(scores: list[Score], timed: Timing) -> str:
    rows = [
        "| source | curated graph | curated | imported | matched | precision | recall | lines (Jaccard) | same lines |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        if s.error:
            rows.append(f"| {s.source} | {s.strategy} | {s.curated} | refused: {s.error} | | | | | |")
            continue
        counts = f"{s.curated} | {s.imported} | {s.matched}"
        ratios = f"{s.precision:.3f} | {s.recall:.3f} | {s.jaccard:.3f} | {s.same_lines:.3f}"
        rows.append(f"| {s.source} | {s.strategy} | {counts} | {ratios} |")
    rows += [
        "",
        f"Synthetic document of {timed.elements} elements: read and its graph built in {timed.parse_wall:.2f} s"
        f" ({timed.parse_cpu:.2f} s CPU); validated with the bundled graph and stored in {timed.store_wall:.2f} s"
        f" ({timed.store_cpu:.2f} s CPU).",
    ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    documents = curated_documents()
    scores = [score(stem, *documents[stem]) for stem in sorted(documents)]
    sys.stdout.write(table(scores, timing()) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
