"""Answers drafted by a local GGUF model through llama-cpp-python (the optional `local` extra).

The package is imported when the generator is built, so a missing install is a setup error
with one line saying what to install; the model file is loaded at the first question and kept.
One llama.cpp context is not thread-safe, so calls are serialised.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from bot.core.evidence import Evidence
from bot.generators.base import Draft, GeneratorFailed, GeneratorUnavailable, draft_from_reply
from bot.generators.prompt import MAX_TOKENS, TEMPERATURE, build_messages

N_CTX = 4096


class LocalGenerator:
    """llama.cpp chat completion on the GGUF file named by NEWSBOT_LOCAL_MODEL."""

    name = "local"

    def __init__(self, model_path: Path | None, *, n_ctx: int = N_CTX) -> None:
        try:
            import llama_cpp
        except ImportError as exc:
            raise GeneratorUnavailable(
                "NEWSBOT_LLM=local needs llama-cpp-python: pip install 'newsbot[local]'"
            ) from exc
        if model_path is None:
            raise GeneratorUnavailable("NEWSBOT_LLM=local needs NEWSBOT_LOCAL_MODEL=<file.gguf>")
        if not model_path.is_file():
            raise GeneratorUnavailable(f"NEWSBOT_LOCAL_MODEL: no such file: {model_path}")
        self.model_path = model_path
        self.n_ctx = n_ctx
        self._llama_cpp = llama_cpp
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            try:
                self._model = self._llama_cpp.Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.n_ctx,
                    n_threads=max(1, (os.cpu_count() or 2) - 1),
                    verbose=False,
                )
            except Exception as exc:  # a corrupt or foreign file
                raise GeneratorFailed(f"cannot load {self.model_path.name}: {exc}") from exc
        return self._model

    def draft(self, question: str, evidence: Evidence) -> Draft:
        messages = build_messages(question, evidence.passages, context=evidence.context)
        with self._lock:
            model = self._load()
            try:
                out = model.create_chat_completion(
                    messages=messages, temperature=TEMPERATURE, max_tokens=MAX_TOKENS
                )
            except Exception as exc:  # context overflow, decode failure
                raise GeneratorFailed(f"local model failed: {exc}") from exc
        text = str(out["choices"][0]["message"].get("content") or "")
        return draft_from_reply(text, "the local model returned an empty answer")
