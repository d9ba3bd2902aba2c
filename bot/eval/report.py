"""The figures of an eval run, per question kind and overall, as a table for people or JSON.

Per kind and for "all", separately for each split asked:
- recall: mean over answerable questions of the share of expected terms found in the answer.
  A refused answerable question scores 0 here, so recall falls when the bot refuses what it
  should answer; `answered` (share of answerable questions answered) tells the two apart.
- ref.P / ref.R: refusal precision (refused and unanswerable / refused) and recall (refused and
  unanswerable / unanswerable); None ("-") when nothing was refused / nothing is unanswerable.
- cite.P: share of quoted sentences (the citations' quotes of answered, answerable questions
  with expected terms) that carry an expected term: a quote without one is padding or noise.
- words: median answer length in words, [n] markers out, answered questions only.
- p50/p95 ms: retrieval + answer latency, nearest rank.
Overall only: hit@k and MRR (answerable questions with expected files), the file-level citation
precision of the first eval (cited files that are expected files; an answer to an unanswerable
question counts every citation wrong), refusal accuracy, and the answers saying "Sources differ"
with their ids, for a person to review (`differ_suspect`: those on a question that is not a
comparison and whose expected terms do not ask for it).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeAlias

from bot.eval.evaluate import KINDS, SPLITS, CaseResult, percentile

ANSWER_PREVIEW = 160
Figure: TypeAlias = float | int | None


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a table: the figures of a group of questions."""

    n: int
    recall: float | None
    answered: float | None
    refusal_precision: float | None
    refusal_recall: float | None
    citation_precision: float | None
    median_words: float | None
    p50_ms: float
    p95_ms: float


@dataclass(slots=True)
class EvalReport:
    """The scored answers of one run and what was asked for (set, split, kind, k)."""

    set_name: str
    where: str
    k: int
    split: str
    results: list[CaseResult]
    kind: str | None = None

    def sections(self) -> list[tuple[str, list[CaseResult]]]:
        """One group per split present, then every split together when there are several."""
        groups = [(s, [r for r in self.results if r.case.split == s]) for s in SPLITS]
        present = [(label, rs) for label, rs in groups if rs]
        if len(present) > 1:
            present.append(("+".join(label for label, _ in present), list(self.results)))
        return present

    def metrics(self) -> dict[str, Figure]:
        """Every figure over all the questions asked (the JSON's `metrics`)."""
        rs = self.results
        answerable = [r for r in rs if not r.case.unanswerable]
        with_files = [r for r in answerable if r.case.expected_files]
        overall = row(rs)
        return {
            "questions": len(rs),
            f"hit@{self.k}": _mean([r.rank is not None for r in with_files]),
            "mrr": _mean([1.0 / r.rank if r.rank else 0.0 for r in with_files]),
            "citation_precision": file_precision(rs),
            "citation_precision_quotes": overall.citation_precision,
            "refusal_accuracy": _mean([r.refusal_ok for r in rs]),
            "refusal_precision": overall.refusal_precision,
            "refusal_recall": overall.refusal_recall,
            "answer_term_recall": overall.recall,
            "answered": overall.answered,
            "median_words": overall.median_words,
            "latency_p50_ms": overall.p50_ms,
            "latency_p95_ms": overall.p95_ms,
            "sources_differ": sum(r.differs for r in rs),
            "differ_suspect": sum(r.differ_suspect for r in rs),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "set": self.set_name,
            "where": self.where,
            "k": self.k,
            "split": self.split,
            "kind": self.kind,
            "metrics": {name: _round(v) for name, v in self.metrics().items()},
            "tables": {
                label: {kind: _row_json(r) for kind, r in table(rs).items()}
                for label, rs in self.sections()
            },
            "sources_differ": {
                "ids": [r.case.id for r in self.results if r.differs],
                "suspect": [r.case.id for r in self.results if r.differ_suspect],
            },
            "cases": [case_json(r) for r in self.results],
        }


def row(results: Sequence[CaseResult]) -> Row:
    """The figures of one group of answers (see the module docstring for each)."""
    answerable = [r for r in results if not r.case.unanswerable]
    refused = [r for r in results if r.answer.refused]
    unanswerable = [r for r in results if r.case.unanswerable]
    correct_refusals = sum(r.case.unanswerable for r in refused)
    quotes = [
        hit
        for r in answerable
        if not r.answer.refused and r.case.expected_terms
        for hit in r.quote_hits
    ]
    words = [r.words for r in results if not r.answer.refused]
    latencies = [r.ms for r in results]
    return Row(
        n=len(results),
        recall=_mean([r.term_recall for r in answerable]),
        answered=_mean([not r.answer.refused for r in answerable]),
        refusal_precision=_ratio(correct_refusals, len(refused)),
        refusal_recall=_ratio(correct_refusals, len(unanswerable)),
        citation_precision=_mean(quotes),
        median_words=statistics.median(words) if words else None,
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
    )


def table(results: Sequence[CaseResult]) -> dict[str, Row]:
    """A row per kind present (the documented kinds first, in their order), then "all"."""
    present = {r.case.kind for r in results}
    kinds = [k for k in KINDS if k in present] + sorted(present - set(KINDS))
    rows = {kind: row([r for r in results if r.case.kind == kind]) for kind in kinds}
    rows["all"] = row(results)
    return rows


def file_precision(results: Sequence[CaseResult]) -> float | None:
    """Cited files that are expected files, over every answered question's citations."""
    answered = [r for r in results if not r.answer.refused]
    cited = [f in r.case.expected_files for r in answered for f in r.cited_files]
    return _mean(cited)


def failures(results: Sequence[CaseResult]) -> list[CaseResult]:
    """Answers worth reading: a wrong refusal, or an answerable question missing a term."""
    return [
        r for r in results if not r.refusal_ok or (not r.case.unanswerable and r.term_recall < 1.0)
    ]


def format_report(report: EvalReport, verbose: bool = False) -> str:
    """The failures (when `verbose`), one table per split, then the overall figures."""
    heading = f"{report.set_name} set ({report.where}), split {report.split}, k={report.k}"
    lines = [heading + (f", kind {report.kind}" if report.kind else "")]
    if verbose:
        lines += ["", *_failure_lines(failures(report.results))]
    for label, results in report.sections():
        lines += ["", *_table_lines(label, table(results))]
    lines += ["", *_overall_lines(report)]
    return "\n".join(lines)


_COLUMNS = ("n", "recall", "answered", "ref.P", "ref.R", "cite.P", "words", "p50 ms", "p95 ms")


def _table_lines(label: str, rows: dict[str, Row]) -> list[str]:
    width = max(10, len(label), *(len(k) for k in rows))
    lines = [f"{label:<{width}} " + " ".join(f"{c:>8}" for c in _COLUMNS)]
    for kind, r in rows.items():
        cells = [
            str(r.n),
            _fmt(r.recall),
            _fmt(r.answered),
            _fmt(r.refusal_precision),
            _fmt(r.refusal_recall),
            _fmt(r.citation_precision),
            _fmt(r.median_words, "{:.0f}"),
            _fmt(r.p50_ms, "{:.1f}"),
            _fmt(r.p95_ms, "{:.1f}"),
        ]
        lines.append(f"{kind:<{width}} " + " ".join(f"{c:>8}" for c in cells))
    return lines


def _overall_lines(report: EvalReport) -> list[str]:
    m = report.metrics()
    hit = f"hit@{report.k}"
    lines = [
        f"overall: {hit} {_fmt(m[hit])}  MRR {_fmt(m['mrr'])}  "
        f"cite.P(files) {_fmt(m['citation_precision'])}  "
        f"refusal acc {_fmt(m['refusal_accuracy'])}  "
        f"sources_differ {m['sources_differ']} (suspect {m['differ_suspect']})"
    ]
    differ = [f"{r.case.id}{'?' if r.differ_suspect else ''}" for r in report.results if r.differs]
    if differ:
        lines.append("sources differ in (? = suspect): " + " ".join(differ))
    return lines


def _failure_lines(bad: Sequence[CaseResult]) -> list[str]:
    if not bad:
        return ["failures: none"]
    lines = [f"failures ({len(bad)}):"]
    for r in bad:
        state = "refused " if r.answer.refused else "answered"
        wrong = {True: "", False: " SHOULD-ANSWER" if r.answer.refused else " SHOULD-REFUSE"}
        recall = "-" if r.case.unanswerable else f"{r.term_recall:.2f}"
        preview = " ".join(r.answer.text.split())[:ANSWER_PREVIEW]
        lines.append(
            f"  {r.case.id} {r.case.kind} {state} recall={recall}{wrong[r.refusal_ok]}: {preview}"
        )
    return lines


def case_json(r: CaseResult) -> dict[str, Any]:
    """Everything about one question: what was expected, what came back, how it scored."""
    c = r.case
    found = r.terms_found
    return {
        "id": c.id,
        "question": c.question,
        "kind": c.kind,
        "split": c.split,
        "follow_up_of": c.follow_up_of,
        "unanswerable": c.unanswerable,
        "refused": r.answer.refused,
        "refusal_ok": r.refusal_ok,
        "rank": r.rank,
        "retrieved": list(r.retrieved),
        "cited_files": r.cited_files,
        "expected_files": list(c.expected_files),
        "terms_found": [t for t, hit in zip(c.expected_terms, found, strict=True) if hit],
        "terms_missing": [t for t, hit in zip(c.expected_terms, found, strict=True) if not hit],
        "term_recall": round(r.term_recall, 3),
        "quotes": [
            {"n": cit.n, "file": cit.file, "quote": cit.quote, "carries_term": hit}
            for cit, hit in zip(r.answer.citations, r.quote_hits, strict=True)
        ],
        "words": r.words,
        "sources_differ": r.differs,
        "differ_suspect": r.differ_suspect,
        "coverage": round(r.coverage, 4),
        "similarity": round(r.similarity, 4),
        "meaning": r.meaning,
        "retrieval_ms": round(r.answer.retrieval_ms, 2),
        "answer_ms": round(r.answer.answer_ms, 2),
        "ms": round(r.ms, 2),
        "generator": r.answer.generator,
        "note": r.answer.note,
        "answer": r.answer.text,
    }


def _row_json(r: Row) -> dict[str, Figure]:
    return {name: _round(v) for name, v in asdict(r).items()}


def _mean(values: Sequence[float | bool]) -> float | None:
    return sum(float(v) for v in values) / len(values) if values else None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _round(value: Figure) -> Figure:
    return round(value, 4) if isinstance(value, float) else value


def _fmt(value: Figure, pattern: str = "{:.3f}") -> str:
    return "-" if value is None else pattern.format(value)
