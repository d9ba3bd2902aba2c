"""The summary of one sync, printed by the CLI (`--json`) and by Discord's /reingest."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.models import Skipped


@dataclass(frozen=True, slots=True)
class Added:
    """An article a sync added (not a copy): what an announcement of it shows."""

    title: str
    outlet: str
    url: str
    file: str


@dataclass(slots=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    chunks: int = 0  # chunks written in this run
    reused: int = 0  # ... of which took a stored vector (a renamed file's) instead of embedding
    copies: int = 0  # articles added or updated as a copy of another: not embedded
    seconds: float = 0.0
    new: list[Added] = field(default_factory=list)  # added articles that copy none

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def to_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "skipped": [{"file": s.file, "reason": s.reason} for s in self.skipped],
            "chunks": self.chunks,
            "reused": self.reused,
            "copies": self.copies,
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        """One line for people: what changed and how long it took."""
        parts = [
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.removed} removed",
            f"{self.unchanged} unchanged",
            f"{len(self.skipped)} skipped",
            f"{self.chunks - self.reused} chunks embedded",
        ]
        if self.reused:
            parts.append(f"{self.reused} chunks moved without embedding")
        if self.copies:
            parts.append(f"{self.copies} copies of other articles (not embedded)")
        return ", ".join(parts) + f" in {self.seconds:.1f}s"
