"""Queries without torch: each model's text tower exported once to ONNX (int8) with its
tokenizer, so a search after a launch (or `framefind search` alone) answers before torch loads.

The vectors are compared with the model's own encode_query on texts that are not among the
export's probes, for the three kinds of model a space holds (CLIP, CLAP, a sentence model)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from indexer import build_engine
from indexer.models.embed import Embedder
from indexer.models.query_tower import CARD, GRAPH, QueryTower
from indexer.models.query_tower_child import start_export
from indexer.search.query import Query
from indexer.settings import SpaceSpec
from tests.support.media import write_photo
from tests.support.models import SHAPES_CLIP, SOUNDS_CLAP

WORDS = Path(__file__).parent / "models" / "words-paraphrase"
QUERIES = [  # none of them is a probe of the export's own check
    "a dog barking at night",
    "the blue square next to the green triangle",
    "Überraschung! ça marche 🎉",
    "会议记录",
    "",
]

SEARCH_ALONE = """
import json, sys
from pathlib import Path
from indexer import build_engine, load_settings
from indexer.search.query import Query
settings = load_settings(
    {{}}, data_dir=Path({data!r}), image_model={image!r}, audio_model={audio!r},
    device="cpu", words_model="none",
)
with build_engine(settings, writer=False) as engine:
    ready = engine.queries_ready()
    found = [(r.path.name, round(r.score, 2)) for r in engine.search(Query(text="a red circle")).results]
heavy = {{"torch", "sentence_transformers", "transformers"}} & set(sys.modules)
print(json.dumps([ready, found, sorted(heavy)]))
"""


# A sabotaged export, in a process of its own as every export runs (query_tower_export.py).
SABOTAGED = """
import sys
from pathlib import Path
from sentence_transformers import SentenceTransformer
from indexer.models import query_tower_export
from indexer.models.query_tower import QueryTokens
{sabotage}
model = SentenceTransformer({model!r}, device="cpu")
sys.exit(0 if query_tower_export.export_query_tower(model, Path({folder!r})) else 1)
"""
LOSES_THE_LAST_WORD = """
real = QueryTokens.__call__
QueryTokens.__call__ = lambda self, texts: real(self, [" ".join(t.split()[:-1]) for t in texts])
"""
ANOTHER_MODELS_GRAPH = """
other = SentenceTransformer({other!r}, device="cpu")
real = query_tower_export._TextGraph
query_tower_export._TextGraph = lambda _model, names: real(other, names)
"""


def _exported(model: Path, folder: Path) -> QueryTower:
    child = start_export(str(model), None, folder)
    assert child.wait(300) == 0, (folder.parent / "export.log").read_text()
    tower = QueryTower.find(folder)
    assert tower is not None
    return tower


def _sabotaged(sabotage: str, model: Path, folder: Path) -> bool:
    code = SABOTAGED.format(sabotage=sabotage, model=str(model), folder=str(folder))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300).returncode == 0


@pytest.mark.parametrize("model", [SHAPES_CLIP, SOUNDS_CLAP, WORDS], ids=["clip", "clap", "words"])
def test_the_exported_tower_gives_the_models_own_query_vectors(model, tmp_path):
    from sentence_transformers import SentenceTransformer

    tower = _exported(model, tmp_path / "tower")
    float_model = SentenceTransformer(str(model), device="cpu")  # what the tower is made from
    assert tower.dim == float_model.get_embedding_dimension()
    expected = float_model.encode_query(QUERIES, normalize_embeddings=True)
    together = tower.encode(QUERIES)  # padded as one batch
    alone = np.stack([tower.encode([q])[0] for q in QUERIES])
    assert np.min(np.sum(expected * together, axis=1)) > 0.99
    assert np.min(np.sum(expected * alone, axis=1)) > 0.99
    assert together.dtype == np.float32 and np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)


def test_a_tokenizer_that_reads_otherwise_than_the_model_is_not_kept(tmp_path):
    """Sabotage: the tower's tokens lose the last word. The export's own check must refuse it."""
    assert _sabotaged("", SHAPES_CLIP, tmp_path / "control")  # the same script, unsabotaged, keeps it
    assert not _sabotaged(LOSES_THE_LAST_WORD, SHAPES_CLIP, tmp_path / "tower")
    assert not (tmp_path / "tower").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["control"]  # no half-made folder is left


def test_a_graph_that_gives_other_vectors_is_not_kept(tmp_path):
    """Sabotage: the graph is traced from another model (random weights of the same shape)."""
    from tests.support.models import build_tiny_clip

    model, other = build_tiny_clip(tmp_path / "a", seed=1), build_tiny_clip(tmp_path / "b", seed=2)
    assert not _sabotaged(ANOTHER_MODELS_GRAPH.format(other=str(other)), model, tmp_path / "tower")


def test_a_damaged_tower_is_passed_over_and_queries_use_the_model(tmp_path, caplog):
    _exported(SHAPES_CLIP, tmp_path / "tower")
    (tmp_path / "tower" / GRAPH).write_bytes(b"not a graph")
    assert QueryTower.find(tmp_path / "tower") is None
    assert "is not used" in caplog.text
    card = json.loads((tmp_path / "tower" / CARD).read_text())
    (tmp_path / "tower" / CARD).write_text(json.dumps(card | {"format": 99}))
    assert QueryTower.find(tmp_path / "tower") is None  # a tower from a newer Framefind


def test_the_embedder_exports_once_on_its_first_load_and_answers_from_the_tower_after(tmp_path):
    spec = SpaceSpec("image", str(SHAPES_CLIP))
    first = Embedder(spec, device="cpu", towers=tmp_path / "towers")
    assert first.query_tower is None  # nothing exported yet
    with_model = first.encode_text(["a red circle"])[0]  # loads the model, which starts an export
    assert first.tower_ready(wait_s=300)
    (folder,) = [p for p in (tmp_path / "towers").iterdir() if p.is_dir()]
    made = (folder / GRAPH).stat().st_mtime_ns

    later = Embedder(spec, device="cpu", towers=tmp_path / "towers")  # the next launch
    assert float(later.encode_text(["a red circle"])[0] @ with_model) > 0.99
    assert later.dim == first.dim and later._model is None  # answered without loading the model
    later.model  # noqa: B018 - loading again does not export again
    later.tower_ready(wait_s=300)  # (an export it started would be waited for here)
    assert (folder / GRAPH).stat().st_mtime_ns == made


def test_a_search_after_indexing_answers_without_importing_torch(settings, tmp_path):
    """`framefind search` with nothing running, and the window's first search: the same ranks
    as through the model, in a process that never imports torch or sentence-transformers."""
    library = tmp_path / "library"
    for i in (3, 11, 17, 29):
        write_photo(library / f"p{i}.jpg", i)
    with build_engine(replace(settings, folders=(library,))) as engine:
        engine.index()
        assert engine.queries_ready(wait_s=300)
        expected = [
            (r.path.name, round(r.score, 2)) for r in engine.search(Query(text="a red circle")).results
        ]
    code = SEARCH_ALONE.format(
        data=str(settings.data_dir), image=settings.spaces[0].model, audio=settings.spaces[1].model
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    ready, found, imported = json.loads(done.stdout)
    assert ready and imported == []
    assert [name for name, _ in found] == [name for name, _ in expected]
    assert [score for _, score in found] == pytest.approx([score for _, score in expected], abs=0.05)


def test_the_bundle_runs_the_export_when_the_app_starts_itself_as_the_child(tmp_path, monkeypatch):
    """In the PyInstaller bundle sys.executable is Framefind itself: its launcher (launch.py)
    must run the export for the flag the app gives, not the command."""
    from indexer.models import query_tower_child

    python = sys.executable  # (the one sys module is patched below)
    monkeypatch.setattr(query_tower_child.sys, "frozen", True, raising=False)
    monkeypatch.setattr(query_tower_child.sys, "executable", "framefind")
    command = query_tower_child.child_command(str(SHAPES_CLIP), None, tmp_path / "tower")
    assert command[:2] == ["framefind", query_tower_child.CHILD_FLAG]
    launcher = Path(__file__).parents[1] / "packaging" / "launch.py"
    done = subprocess.run([python, str(launcher), *command[1:]], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert QueryTower.find(tmp_path / "tower") is not None


def test_an_export_for_a_model_replaced_since_it_was_asked_keeps_no_tower(tmp_path):
    folder = tmp_path / "tower"
    child = start_export(str(SHAPES_CLIP), None, folder, digest="what-the-folder-held-when-asked")
    assert child.wait(300) == 1 and QueryTower.find(folder) is None
