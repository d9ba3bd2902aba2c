"""`newsbot eval`: ask every question of a JSONL set and score each answer.

One line per question:
    {"id": "s001", "question": "...", "kind": "how_many", "expected_files": ["x.txt"],
     "expected_terms": ["seven|7", "leaders"], "unanswerable": false, "split": "tune",
     "why": "...", "follow_up_of": "<optional: the earlier question>"}

Only `question` is required, so the first set (bot/eval/evalset.jsonl, no id/kind/split) still loads
as kind "other", split "tune". An expected term may hold alternatives joined by `|`; it is found
when any alternative is a substring of the folded answer text. The bundled sets are named:
`basic` (bot/eval/evalset.jsonl), `seeds`, `reuters`, `reuters-fresh`, `reuters-more`,
`reuters-blind` and `reuters-blind2` (bot/eval/evalsets/); anything else is a path.
Held-out questions exist so that tuning on the set does not also grade the tuning: they are asked
only when the caller selects them. The per-kind and overall figures live in `bot.eval.report`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from bot.core.answer import clean_question, judged_answer, retrieve_for
from bot.core.records import Answer
from bot.core.retrieve import Retriever
from bot.generators.base import Generator
from ingest.errors import NewsbotError
from ingest.text.words import fold

KINDS = ("how_many", "when", "where", "who", "why", "yes_no", "said", "comparison", "summary")
SPLITS = ("tune", "heldout")
BUNDLED = {
    "basic": "evalset.jsonl",
    "seeds": "evalsets/seeds.jsonl",
    "reuters": "evalsets/reuters.jsonl",
    "reuters-fresh": "evalsets/reuters_fresh.jsonl",
    "reuters-more": "evalsets/reuters_more.jsonl",
    "reuters-blind": "evalsets/reuters_blind.jsonl",
    "reuters-blind2": "evalsets/reuters_blind2.jsonl",
}
DIFFER = "sources differ"
_MARKERS = re.compile(r"\s*\[\d+(?:\s*[,;]\s*\d+)*\]")


class EvalSetError(NewsbotError, ValueError):
    """A QA set that cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class EvalCase:
    question: str
    expected_files: tuple[str, ...] = ()
    expected_terms: tuple[str, ...] = ()
    unanswerable: bool = False
    id: str = ""
    kind: str = "other"
    split: str = "tune"
    follow_up_of: str | None = None
    why: str = ""


@dataclass(frozen=True, slots=True)
class EvalSet:
    """A loaded question set and where it came from (for the report's heading)."""

    name: str
    where: str
    cases: list[EvalCase]


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: EvalCase
    answer: Answer
    retrieved: tuple[str, ...]  # file names of the retrieved passages, best first
    coverage: float
    similarity: float
    meaning: float | None = None  # the leading sentence's similarity to the question

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
    def plain_text(self) -> str:
        """The answer without its [n] markers, so a term "2" is not found in "[2]"."""
        return _MARKERS.sub("", self.answer.text)

    @property
    def terms_found(self) -> list[bool]:
        """For each expected term, whether the answer holds one of its alternatives."""
        text = fold(self.plain_text)
        return [term_found(t, text) for t in self.case.expected_terms]

    @property
    def term_recall(self) -> float:
        """Share of expected terms in the answer; a refusal finds none (0), no terms is 1."""
        if self.answer.refused:
            return 0.0
        found = self.terms_found
        return sum(found) / len(found) if found else 1.0

    @property
    def quote_hits(self) -> list[bool]:
        """For each cited quote, whether it carries an expected term (any alternative)."""
        terms = self.case.expected_terms
        return [any(term_found(t, fold(c.quote)) for t in terms) for c in self.answer.citations]

    @property
    def words(self) -> int:
        return len(self.plain_text.split())

    @property
    def differs(self) -> bool:
        return DIFFER in self.answer.text.casefold()

    @property
    def differ_suspect(self) -> bool:
        """A disagreement on a question that is no comparison and whose set does not expect it:
        likely two outlets' unrelated figures taken for a conflict."""
        expected = any(DIFFER in t.casefold() for t in self.case.expected_terms)
        return self.differs and self.case.kind != "comparison" and not expected

    @property
    def refusal_ok(self) -> bool:
        return self.answer.refused == self.case.unanswerable

    @property
    def ms(self) -> float:
        return self.answer.retrieval_ms + self.answer.answer_ms


def term_found(term: str, folded_text: str) -> bool:
    """Whether any `|`-separated alternative of `term` is a substring of the folded text."""
    return any(alt and alt in folded_text for alt in (fold(a.strip()) for a in term.split("|")))


def load_cases(path: Path | None = None) -> list[EvalCase]:
    """Read a QA set; the bundled `basic` set (bot/eval/evalset.jsonl) when no path is given."""
    if path is None:
        return load_set("basic").cases
    return _parse(_read_path(path), str(path))


def load_set(spec: str | Path | None = None) -> EvalSet:
    """A bundled set by name (`basic`, `seeds`, `reuters`) or a JSONL file by path.

    None means `seeds` when that set is bundled, else `basic`; a Path is always a file."""
    if spec is None:
        spec = "seeds" if _bundled("seeds").is_file() else "basic"
    if isinstance(spec, str) and spec in BUNDLED:
        name = spec
        resource = _bundled(name)
        if not resource.is_file():
            raise EvalSetError(
                f"the {name} set is not bundled (bot/eval/{BUNDLED[name]} is missing)"
            )
        where = f"bot/eval/{BUNDLED[name]}"
        return EvalSet(name, where, _parse(resource.read_text(encoding="utf-8"), where))
    path = Path(spec)
    return EvalSet(path.stem, str(path), _parse(_read_path(path), str(path)))


def select(
    cases: Iterable[EvalCase], split: str = "tune", kind: str | None = None
) -> list[EvalCase]:
    """The cases of one split (`all`: every split) and, if given, one kind."""
    return [
        c
        for c in cases
        if (split == "all" or c.split == split) and (kind is None or c.kind == kind)
    ]


def _bundled(name: str) -> Traversable:
    return resources.files("bot.eval").joinpath(BUNDLED[name])


def _read_path(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalSetError(f"cannot read {path}: {exc}") from exc


def _parse(text: str, where: str) -> list[EvalCase]:
    cases = [_case(line, where, n) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not cases:
        raise EvalSetError(f"{where} holds no questions")
    return cases


def _case(line: str, where: str, n: int) -> EvalCase:
    try:
        row = json.loads(line)
        case = EvalCase(
            question=str(row["question"]),
            expected_files=tuple(_name(str(f)) for f in row.get("expected_files", [])),
            expected_terms=tuple(str(t) for t in row.get("expected_terms", [])),
            unanswerable=bool(row.get("unanswerable", False)),
            id=str(row.get("id") or f"line{n}"),
            kind=str(row.get("kind") or "other"),
            split=str(row.get("split") or "tune"),
            follow_up_of=str(row["follow_up_of"]) if row.get("follow_up_of") else None,
            why=str(row.get("why", "")),
        )
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise EvalSetError(f"{where}:{n}: not a QA line ({exc})") from exc
    if case.split not in SPLITS:
        raise EvalSetError(f"{where}:{n}: split must be one of {', '.join(SPLITS)}")
    return case


def evaluate(
    cases: Sequence[EvalCase], retriever: Retriever, generator: Generator, k: int
) -> list[CaseResult]:
    """Ask every question and keep what scoring needs; one warm-up retrieval first so loading
    is not timed. Retrieval and answer are timed apart, as `newsbot ask --json` reports them."""
    if cases:
        retriever.retrieve(clean_question(cases[0].question), k)
    return [ask_case(case, retriever, generator, k) for case in cases]


def ask_case(case: EvalCase, retriever: Retriever, generator: Generator, k: int) -> CaseResult:
    """One question, asked the way `answer_question` asks it (same query, same evidence pool):
    a follow-up searches with the earlier question joined on, and weighs it as context."""
    question, context, retrieval = retrieve_for(
        case.question, retriever, k, follow_up_of=case.follow_up_of
    )
    answer, verdict = judged_answer(question, retrieval, generator, context=context)
    # hit@k and MRR judge the top k; the answer may weigh a few passages more
    retrieved = tuple(_name(p.file or p.article_id) for p in retrieval.passages[:k])
    if verdict is None:
        return CaseResult(case, answer, retrieved, 0.0, 0.0)
    return CaseResult(
        case, answer, retrieved, verdict.coverage, verdict.similarity, verdict.meaning
    )


def _name(file: str) -> str:
    return PurePosixPath(file).name


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; 0 for no values. The benchmarks report the same way."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]
