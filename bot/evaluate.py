"""`newsbot eval`: score retrieval, answers and refusals on a JSONL question set.

Each line: {"question", "expected_files": [...], "expected_terms": [...], "unanswerable": bool}.
Metrics: hit@k and MRR (does retrieval find an expected file, how high), citation precision
(cited sources that are expected files; an answer to an unanswerable question counts all its
citations wrong), refusal accuracy (refused exactly when unanswerable), answer-term recall
(expected terms found in the answer text) and latency p50/p95 of retrieval + answer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from bot.answer import clean_question, judged_answer
from bot.generator import Generator
from bot.models import Answer
from bot.retrieve import Retriever
from ingest.lexical import fold


class EvalSetError(ValueError):
    """A QA set that cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class EvalCase:
    question: str
    expected_files: tuple[str, ...] = ()
    expected_terms: tuple[str, ...] = ()
    unanswerable: bool = False


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: EvalCase
    answer: Answer
    retrieved: tuple[str, ...]  # file names of the retrieved passages, best first
    coverage: float
    similarity: float

    @property
    def rank(self) -> int | None:
        """1-based rank of the first retrieved passage from an expected file."""
        for i, name in enumerate(self.retrieved, start=1):
            if name in self.case.expected_files:
                return i
        return None

    @property
    def cited_files(self) -> list[str]:
        return [_name(c.file or c.article_id) for c in self.answer.citations]

    @property
    def term_recall(self) -> float:
        terms = self.case.expected_terms
        if not terms:
            return 1.0
        text = fold(self.answer.text)
        return sum(fold(t) in text for t in terms) / len(terms)

    @property
    def ms(self) -> float:
        return self.answer.retrieval_ms + self.answer.answer_ms


@dataclass(slots=True)
class EvalReport:
    k: int
    results: list[CaseResult] = field(default_factory=list)

    def metrics(self) -> dict[str, float]:
        answerable = [r for r in self.results if not r.case.unanswerable]
        cited = [f for r in self.results if not r.answer.refused for f in r.cited_files]
        good = sum(
            f in r.case.expected_files
            for r in self.results
            if not r.answer.refused
            for f in r.cited_files
        )
        latencies = sorted(r.ms for r in self.results)
        return {
            "questions": len(self.results),
            f"hit@{self.k}": _mean([r.rank is not None for r in answerable]),
            "mrr": _mean([1.0 / r.rank if r.rank else 0.0 for r in answerable]),
            "citation_precision": good / len(cited) if cited else 0.0,
            "refusal_accuracy": _mean(
                [r.answer.refused == r.case.unanswerable for r in self.results]
            ),
            "answer_term_recall": _mean(
                [r.term_recall for r in answerable if not r.answer.refused] or [0.0]
            ),
            "answered": _mean([not r.answer.refused for r in answerable]),
            "latency_p50_ms": percentile(latencies, 50),
            "latency_p95_ms": percentile(latencies, 95),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "metrics": {k: round(v, 4) for k, v in self.metrics().items()},
            "cases": [_case_json(r) for r in self.results],
        }


def load_cases(path: Path | None = None) -> list[EvalCase]:
    """Read a QA set; the bundled seeds set when no path is given."""
    if path is None:
        text = resources.files("bot").joinpath("evalset.jsonl").read_text(encoding="utf-8")
        where = "bundled evalset.jsonl"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EvalSetError(f"cannot read {path}: {exc}") from exc
        where = str(path)
    cases = [_case(line, where, n) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not cases:
        raise EvalSetError(f"{where} holds no questions")
    return cases


def _case(line: str, where: str, n: int) -> EvalCase:
    try:
        row = json.loads(line)
        return EvalCase(
            question=str(row["question"]),
            expected_files=tuple(_name(str(f)) for f in row.get("expected_files", [])),
            expected_terms=tuple(str(t) for t in row.get("expected_terms", [])),
            unanswerable=bool(row.get("unanswerable", False)),
        )
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise EvalSetError(f"{where}:{n}: not a QA line ({exc})") from exc


def evaluate(
    cases: Sequence[EvalCase], retriever: Retriever, generator: Generator, k: int
) -> EvalReport:
    """Ask every question and score it; one warm-up question first so loading is not timed."""
    report = EvalReport(k)
    if cases:
        retriever.retrieve(cases[0].question, k)
    for case in cases:
        question = clean_question(case.question)
        retrieval = retriever.retrieve(question, k)
        answer, verdict = judged_answer(question, retrieval, generator)
        retrieved = tuple(_name(p.file or p.article_id) for p in retrieval.passages)
        coverage, similarity = (verdict.coverage, verdict.similarity) if verdict else (0.0, 0.0)
        report.results.append(CaseResult(case, answer, retrieved, coverage, similarity))
    return report


def format_report(report: EvalReport) -> str:
    """A per-question table then the metrics, for people."""
    lines = []
    for r in report.results:
        status = "ok " if r.answer.refused == r.case.unanswerable else "BAD"
        kind = "refused " if r.answer.refused else "answered"
        rank = str(r.rank) if r.rank else "-"
        lines.append(
            f"{status} {kind} rank={rank:>2} terms={r.term_recall:4.2f} "
            f"cov={r.coverage:4.2f} sim={r.similarity:4.2f} {r.ms:6.1f}ms  {r.case.question[:70]}"
        )
    lines.append("")
    for name, value in report.metrics().items():
        shown = f"{value:.0f}" if name == "questions" else f"{value:.3f}"
        lines.append(f"{name:>20}: {shown}")
    return "\n".join(lines)


def _case_json(r: CaseResult) -> dict[str, Any]:
    return {
        "question": r.case.question,
        "unanswerable": r.case.unanswerable,
        "refused": r.answer.refused,
        "rank": r.rank,
        "cited_files": r.cited_files,
        "term_recall": round(r.term_recall, 3),
        "coverage": r.coverage,
        "similarity": r.similarity,
        "ms": round(r.ms, 2),
        "answer": r.answer.text,
    }


def _name(file: str) -> str:
    return PurePosixPath(file).name


def _mean(values: Sequence[float | bool]) -> float:
    return sum(float(v) for v in values) / len(values) if values else 0.0


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; 0 for no values. The benchmarks report the same way."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]
