"""The summary of one sync, printed by the CLI (`--json`) and by Discord's /reingest."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.models import Skipped


@dataclass(slots=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    chunks: int = 0  # chunks written in this run
    reused: int = 0  # ... of which took a stored vector (a renamed file's) instead of embedding
    seconds: float = 0.0

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
        return ", ".join(parts) + f" in {self.seconds:.1f}s"
