"""The source documents as pages: which files may be shown, how a cited line range is read from a request,
and the link from any excerpt (file path and lines) to its lines on /sources/<file>.

Only a file the graph knows (a kgo:SourceFile's kgo:filePath) is shown, and only from the two folders
sources live in: `data/sources/` of the project and `sources/` of the user data directory. A name is
a bare file name; anything with a separator, a leading dot or other characters is refused before any
path is built, and the resolved path must still lie in its folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlencode

from kgservice.errors import NotFound, PayloadTooLarge
from kgservice.project.layout import Layout
from kgservice.translation import N_

MAX_BYTES = 4 * 1024 * 1024
"""The largest source file shown (the bundled ones are a few kB)."""
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
_RANGE = re.compile(r"^L?(\d{1,7})(?:-L?(\d{1,7}))?$")


def file_name(path: str) -> str:
    """The file name of a kgo:filePath ("data/sources/002_x.txt" -> "002_x.txt")."""
    return PurePosixPath(path).name


def source_href(path: str | None, start: object = None, end: object = None, lang: str | None = None) -> str | None:
    """The page of a source file's lines: /sources/<name>?lines=<start>-<end>#L<start>, None without a path."""
    if not path:
        return None
    params: dict[str, str] = {}
    if start:
        params["lines"] = f"{start}-{end}" if end and str(end) != str(start) else str(start)
    if lang:
        params["lang"] = lang
    query = f"?{urlencode(params)}" if params else ""
    return f"/sources/{quote(file_name(path))}{query}" + (f"#L{start}" if start else "")


def folders(layout: Layout) -> list[Path]:
    """The folders sources are shown from: the project's data/sources/, then the user data directory's sources/."""
    found = [layout.data_dir / "sources"]
    if layout.user_dir is not None:
        found.append(layout.user_dir / "sources")
    return found


def resolve(name: str, known: set[str], layout: Layout) -> Path:
    """The file of a source name the graph knows, in one of the source folders; NotFound otherwise."""
    if not _NAME.match(name) or ".." in name or name not in known:
        raise NotFound(N_("no source file %(name)s in the graph"), name=repr(name))
    for folder in folders(layout):
        candidate = (folder / name).resolve()
        if candidate.parent == folder.resolve() and candidate.is_file():
            return candidate
    where = ", ".join(map(str, folders(layout)))
    raise NotFound(N_("the graph names the source file %(name)s, but it is not in %(folders)s"), name=repr(name), folders=where)


def read_lines(path: Path) -> list[str]:
    """The lines of a source file (UTF-8, undecodable bytes shown as U+FFFD), refused past MAX_BYTES."""
    if path.stat().st_size > MAX_BYTES:
        raise PayloadTooLarge(
            N_("the source file %(name)s is larger than %(limit)s bytes and is not shown"), name=path.name, limit=MAX_BYTES
        )
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


@dataclass(frozen=True)
class LineRange:
    """A 1-based inclusive range of lines to highlight."""

    start: int
    end: int

    def __contains__(self, line: object) -> bool:
        return isinstance(line, int) and self.start <= line <= self.end


def line_range(text: str | None, total: int) -> LineRange | None:
    """The range asked for by ?lines=71 or ?lines=71-73 (or L71-L73), clipped to the file; None if absent or unreadable."""
    match = _RANGE.match((text or "").strip())
    if not match:
        return None
    start = int(match.group(1))
    end = int(match.group(2) or start)
    start, end = sorted((start, end))
    if start > total or end < 1:
        return None
    return LineRange(max(start, 1), min(end, total))
