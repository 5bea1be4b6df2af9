"""Search latency in the window: from the last keystroke to the results painted.

    .venv/bin/python -m tests.bench.latency [--queries 30] [--out F.json] [--quick]

Full-size CLIP and CLAP (random weights: a model's cost does not depend on its weights) over
data folders of two sizes — 5,000 files (10,500 segments) and 100,000 segments — whose
catalog rows and vectors are made directly (no media is decoded), opened in the real window
offscreen. Each query is typed as a person types it; the time runs from the last key to
the end of the first paint of the result list after the answer arrived (the cards drawn,
photos' pictures read from the data folder's cache, as after indexing), and is split into the
debounce, encoding the text (both models), the rest of the search (store search,
calibration, grouping), and painting. Then again while the window's indexer embeds a
folder of 400 photos with the same CLIP, in the same process.

Every video and recording has a transcript (a line every 4 s over its 10 minutes: 75,000 and
183,000 lines, of words drawn as often as English uses them), so each text query also
searches the words index; `words` is the time it took.

`--german` types the queries in German, with picture queries embedded by a full-size
multilingual query model (clip-ViT-B-32-multilingual-v1's shape) beside full-size CLIP.

`--transcribing` adds a third case: the window's indexer transcribes eight one-minute talks
(espeak-ng) with a full-size Whisper base of random weights in faster-whisper's format, which
decodes nonsense to the longest length a window allows: the recogniser is busy on both cores
for the whole measurement, as it is (in shorter calls) on real speech.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from indexer import SpaceSpec, save_settings
from indexer.catalog import Catalog, Changes
from indexer.ingest.thumbs import save_thumbnail, thumbnail_path
from indexer.media.subtitles import Line
from indexer.vectors.faiss_store import FaissStore, Snapshot
from indexer.vectors.space import space_folder
from tests.bench.line_vectors import build_full_words_model
from tests.bench.run import _clustered
from tests.support.media import scene_image, write_photo
from tests.support.models import (
    build_full_clap,
    build_full_clip,
    build_full_multilingual_queries,
    build_full_whisper,
)

DIM = 512
WORDS_DIM = 384  # the default words model's (tests/bench/line_vectors.py builds its architecture)
QUERIES = (
    "a dog on the beach",
    "birthday cake",
    "sunset over the sea",
    "people dancing",
    "a red car",
    "snow in the mountains",
    "applause",
    "a cat sleeping",
    "the harbour at night",
    "a wedding",
    "children playing football",
    "rain on a window",
    "a man speaking",
    "fireworks",
    "a bridge",
    "flowers in a garden",
    "a train station",
    "a crowded market",
    "an old church",
    "a lake",
)
QUERIES_DE = (  # --german: the same, as a German speaker types them
    "ein Hund am Strand",
    "Geburtstagstorte",
    "Sonnenuntergang über dem Meer",
    "tanzende Menschen",
    "ein rotes Auto",
    "Schnee in den Bergen",
    "Applaus",
    "eine schlafende Katze",
    "der Hafen bei Nacht",
    "eine Hochzeit",
    "Kinder spielen Fußball",
    "Regen am Fenster",
    "ein Mann spricht",
    "Feuerwerk",
    "eine Brücke",
    "Blumen im Garten",
    "ein Bahnhof",
    "ein belebter Markt",
    "eine alte Kirche",
    "ein See",
)
SIZES = {  # name: (photos, videos × frames, recordings × windows)
    "5,000 files": (4_500, (400, 10), (100, 20)),
    "100,000 segments": (2_000, (900, 80), (200, 130)),
}


def _fill(
    data: Path, models: dict[str, Path], photos: int, videos: tuple[int, int], audio: tuple[int, int]
) -> int:
    """Catalog rows for made-up files under /bench (never on disk) and their vectors."""
    catalog = Catalog(data / "catalog.sqlite3")
    rows, segments = [], []
    for kind, count, per, modality in (
        ("photo", photos, 1, "image"),
        ("video", videos[0], videos[1], "image"),
        ("audio", audio[0], audio[1], "audio"),
    ):
        for _ in range(count):
            file_id = len(rows) + 1
            rows.append((file_id, f"/bench/{kind}/{file_id:06d}".encode(), kind))
            first = len(segments) + 1
            segments += [
                (first + j, file_id, modality, None if per == 1 else float(j * 2)) for j in range(per)
            ]
    db = sqlite3.connect(data / "catalog.sqlite3", isolation_level=None)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO files (id, path, size, mtime_ns, fingerprint, kind, status, duration) "
        "VALUES (?, ?, 1, 1, ?, ?, 'indexed', 600)",
        [(file_id, path, f"{file_id:032x}", kind) for file_id, path, kind in rows],
    )
    db.executemany("INSERT INTO segments (id, file_id, modality, start) VALUES (?, ?, ?, ?)", segments)
    db.execute("COMMIT")
    db.close()
    _transcripts(catalog, [file_id for file_id, _, kind in rows if kind != "photo"])
    _card_pictures(data, [file_id for file_id, _, kind in rows if kind == "photo"])
    lines = [r[0] for r in catalog.db.rows("SELECT segment_id FROM lines")]
    for name, modality, dim in (
        ("image", "image", DIM),
        ("audio", "audio", DIM),
        ("words", "text", WORDS_DIM),
    ):
        if name not in models:
            continue
        spec = SpaceSpec(name, str(models[name]))
        record = catalog.spaces.add(name, spec.identity, spec.model, None, dim, spec.answers, spec.embeds)
        catalog.spaces.set_needs_check(record.id, False)
        catalog.spaces.set_state(record.id, "active")
        ids = np.asarray(lines if name == "words" else [s[0] for s in segments if s[2] == modality], np.int64)
        store = FaissStore(dim)
        store.apply(Changes(1, ids, _clustered(len(ids), dim, seed=len(ids))))
        base = store.merge(compress_above=100_000).base
        # Saved at change 0: these vectors came with the rows, not through the catalog's log
        # (a checkpoint past the log's end is one the catalog lost, and is rebuilt).
        FaissStore(dim, Snapshot.empty(dim, 0, base)).save(space_folder(data, name, spec.identity))
    catalog.close()
    return len(segments)


def _transcripts(catalog: Catalog, file_ids: list[int], line_s: float = 4.0, length_s: float = 600) -> None:
    """A line of ten words every `line_s` seconds in each file: the query words among 5,000
    made-up ones, drawn by Zipf's law (the hundredth word a hundredth as often as the first)."""
    vocabulary = sorted({w for q in QUERIES for w in q.split()}) + [f"w{i}" for i in range(5_000)]
    rng = np.random.default_rng(0)
    odds = 1 / np.arange(1, len(vocabulary) + 1)
    order = rng.permutation(len(vocabulary))
    per_file = int(length_s / line_s)
    drawn = rng.choice(order, size=(len(file_ids), per_file, 10), p=odds / odds.sum())
    with catalog.transaction():
        for file_id, lines in zip(file_ids, drawn, strict=True):
            catalog.lines.replace(
                file_id,
                [
                    Line(j * line_s, (j + 1) * line_s, " ".join(vocabulary[w] for w in words), "en", "speech")
                    for j, words in enumerate(lines)
                ],
            )


def _card_pictures(data: Path, photo_ids: list[int]) -> None:
    """Real card pictures in the data folder's cache for the made-up photos, as indexing
    leaves them, so that the cards painted are cards with pictures. (Video and sound cards
    cut theirs from the files, which these made-up rows have not: they show no picture.)"""
    scenes = []
    for scene in range(50):
        work = data / f"scene-{scene}.jpg"
        save_thumbnail(scene_image(scene, (640, 480)), work)
        scenes.append(work.read_bytes())
        work.unlink()
    for file_id in photo_ids:
        path = thumbnail_path(data, f"{file_id:032x}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(scenes[file_id % len(scenes)])


def bench_settings(data: Path, models: dict[str, Path], folders: list[Path]) -> None:
    """The settings file of a benchmark's data folder: these models on the CPU, no reranker,
    speech recognised with models["speech"] where there is one."""
    save_settings(
        data,
        {
            "image_model": str(models["image"]),
            "audio_model": str(models["audio"]),
            "speech_model": str(models.get("speech", "none")),
            "words_model": str(models.get("words", "none")),
            "image_query_model": str(models.get("image_queries", "none")),
            "query_translator": "none",  # tests/bench/translator.py measures it on its own
            "device": "cpu",
            "reranker": "none",
            "folders": [str(f) for f in folders],
        },
    )


class _Clock:
    """Time spent in chosen functions, per search (by its query text), whatever thread runs it."""

    def __init__(self) -> None:
        self.searches: dict[str, dict[str, float]] = {}
        self._current = threading.local()

    def wrap(self, owner: Any, name: str, label: str, opens: bool = False) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            if opens:  # Engine.search(self, query): a new record for this query's text
                self._current.spent = self.searches[args[1].text] = defaultdict(float)
                self._current.spent["began"] = began
            try:
                return original(*args, **kwargs)
            finally:
                spent = getattr(self._current, "spent", None)
                if spent is not None:
                    spent[label] += time.perf_counter() - began

        setattr(owner, name, timed)


def _measure(
    data: Path, queries: int, clock: _Clock, busy: Callable[[], bool], key_s: float, texts: tuple[str, ...]
) -> dict:
    from PySide6.QtCore import QEvent, QEventLoop, QLocale, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.translation import install_translations
    from desktop.window import MainWindow
    from indexer import load_settings

    app = QApplication.instance() or QApplication([])
    install_translations(app, QLocale.system())  # as `framefind` does
    window = MainWindow(
        lambda _: load_settings({}, data_dir=data),
        QSettings(str(data / "ui.ini"), QSettings.Format.IniFormat),
    )
    window.resize(1360, 820)
    window.show()
    window.start(data)
    marks: dict[str, float] = {}

    class Painted(QObject):
        """The time the first paint after the answer has *finished*: a filter sees the event
        before the view paints, so the mark is taken by a zero timer, which runs once the
        paint (every card drawn) is done."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "answered" in marks and "painting" not in marks:
                marks["painting"] = time.perf_counter()
                QTimer.singleShot(0, lambda answered=marks["answered"]: self.done(answered))
            return False

        @staticmethod
        def done(answered: float) -> None:
            if marks.get("answered") == answered:  # not a paint of an answer since replaced
                marks.setdefault("painted", time.perf_counter())

    painted = Painted()
    window.view.viewport().installEventFilter(painted)
    from desktop.results_model import ResultsModel

    set_results = ResultsModel.set_results

    def on_answer(model: ResultsModel, *args: Any) -> None:
        marks["answered"] = time.perf_counter()  # (stale answers never get here)
        marks.pop("painted", None)
        marks.pop("painting", None)
        set_results(model, *args)

    ResultsModel.set_results = on_answer  # type: ignore[method-assign]
    submit = window.session.searcher.submit

    def sent(request: int, query: Any) -> None:
        marks["sent"] = time.perf_counter()  # the last one counts: it answers the whole text
        marks.pop("answered", None)
        marks.pop("painted", None)
        marks.pop("painting", None)
        submit(request, query)

    window.session.searcher.submit = sent  # type: ignore[method-assign]

    def settle(condition: Callable[[], bool], timeout: float = 120.0) -> None:
        """Run the event loop (asleep when idle, as the app's is) until `condition`."""
        loop, timer = QEventLoop(), QTimer()
        timer.timeout.connect(lambda: condition() and loop.quit())
        timer.start(2)
        deadline = QTimer(singleShot=True, interval=int(timeout * 1000))
        deadline.timeout.connect(loop.quit)
        deadline.start()
        if not condition():
            loop.exec()
        timer.stop()
        if not condition():
            raise SystemExit(f"latency: timed out; the window says {window.summary.text()!r}")

    settle(lambda: "Loading" not in window.status.label.text())
    samples: dict[str, list[float]] = defaultdict(list)
    for i in range(queries + 2):  # the first two warm up
        text = texts[i % len(texts)] + ("" if i < len(texts) else f" {i}")
        window.search_bar.field.clear()
        settle(lambda: not window.searching)
        marks.clear()
        for key in text:  # as a quick typist types: a search may start between keys
            _type(window.search_bar.field, key)
            typed = time.perf_counter()
            settle(lambda began=typed: time.perf_counter() - began >= key_s)
        settle(lambda: "painted" in marks)
        if i < 2:
            continue
        samples["total"].append(marks["painted"] - typed)
        samples["debounce"].append(marks["sent"] - typed)
        spent = clock.searches[text]  # the search of the whole text (earlier ones ran for prefixes)
        samples["waited_for_earlier_search"].append(spent["began"] - marks["sent"])
        for part in ("encode", "calibration", "grouping", "words"):
            samples[part].append(spent[part])
        samples["search_rest"].append(
            spent["search"] - spent["encode"] - spent["calibration"] - spent["grouping"] - spent["words"]
        )
        samples["painting"].append(marks["painted"] - marks["answered"])
        samples["indexing_meanwhile"].append(float(busy()))
    window.close()
    return {
        k: round(1000 * statistics.median(v), 1) for k, v in samples.items() if k != "indexing_meanwhile"
    } | {
        "p95_total_ms": round(1000 * float(np.percentile(samples["total"], 95)), 1),
        "share_of_queries_while_indexing": statistics.mean(samples["indexing_meanwhile"]),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--key-ms", type=float, default=120, help="time between keys (default 120)")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, few queries: check the script runs"
    )
    parser.add_argument("--transcribing", action="store_true", help="also measure while transcribing")
    parser.add_argument(
        "--german",
        action="store_true",
        help="German queries, picture queries through the multilingual query model (full size)",
    )
    parser.add_argument("--cases", nargs="+", help="only these cases (idle, indexing, transcribing)")
    parser.add_argument("--libraries", nargs="+", choices=list(SIZES), help="only these libraries")
    parser.add_argument(
        "--no-meaning", action="store_true", help="without the words space (lines by letters)"
    )
    args = parser.parse_args(argv)
    import desktop.window  # noqa: F401 - Qt first, before torch (as the app does)
    import indexer.search.searcher as search_module
    from indexer.engine import Engine
    from indexer.models.embed import Embedder
    from indexer.search.calibrate import Calibrator

    clock = _Clock()
    clock.wrap(Embedder, "encode_text", "encode")
    clock.wrap(Calibrator, "score", "calibration")
    clock.wrap(search_module, "group_moments", "grouping")
    clock.wrap(search_module, "fold_near_duplicates", "grouping")
    clock.wrap(search_module, "lines_in", "words")
    clock.wrap(Engine, "search", "search", opens=True)
    sizes = {"quick": (200, (20, 5), (10, 5))} if args.quick else SIZES
    if args.libraries:
        sizes = {name: SIZES[name] for name in args.libraries}
    queries = 3 if args.quick else args.queries
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        models = {"image": build_full_clip(work / "clip"), "audio": build_full_clap(work / "clap")}
        if not args.no_meaning:
            models["words"] = build_full_words_model(work / "words")
        if args.german:
            models["image_queries"] = build_full_multilingual_queries(work / "multilingual")
        photos = work / "photos"
        for i in range(40 if args.quick else 400):
            write_photo(photos / f"{i:04d}.jpg", i, size=(640, 480))
        cases: dict[str, list[Path]] = {"idle": [], "indexing": [photos]}
        if args.transcribing:
            models["speech"] = build_full_whisper(work / "whisper-base")
            cases["transcribing"] = [_talks(work / "talks", 8)]
        cases = {k: v for k, v in cases.items() if not args.cases or k in args.cases}
        for name, (n_photos, videos, audio) in sizes.items():
            for case, folders in cases.items():
                data = work / f"{name}-{case}"
                data.mkdir()
                segments = _fill(data, models, n_photos, videos, audio)
                bench_settings(data, models, folders)
                busy = _busy_probe(data, case)
                texts = QUERIES_DE if args.german else QUERIES
                row = _measure(data, queries, clock, busy, args.key_ms / 1000, texts)
                row["segments"] = segments
                results[f"{name}, {case}"] = row
                print(f"{name}, {case}:", json.dumps(row), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return results


def _type(field: Any, key: str) -> None:
    """One key, as typed: QTest types ASCII only (its key table asserts on "ß"), so other
    letters go as the key event a keyboard layout sends for them."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    if key.isascii():
        QTest.keyClicks(field, key)
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            field, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, key)
        )


def _talks(folder: Path, count: int) -> Path:
    """`count` one-minute recordings of espeak-ng reading sentences, a pause after each."""
    from tests.support.media import write_audio
    from tests.support.speech import ENGLISH, RATE, recording

    rng = np.random.default_rng(1)
    for i in range(count):
        sentences = [(" ".join(rng.choice(ENGLISH, 8)), t) for t in np.arange(1.0, 54, 6.0)]
        write_audio(folder / f"talk-{i}.m4a", recording(sentences, 60)[0], RATE)
    return folder


def _busy_probe(data: Path, case: str) -> Callable[[], bool]:
    """Whether the window's indexer is still at work: embedding the 400 photos, or
    transcribing the talks."""
    if case == "idle":
        return lambda: False
    catalog = data / "catalog.sqlite3"
    with sqlite3.connect(catalog) as db:
        first_new = db.execute("SELECT MAX(id) FROM files").fetchone()[0]  # the made-up ones end here
    sql = {
        "indexing": "SELECT COUNT(*) < 400 FROM files WHERE status = 'indexed' AND kind = 'photo' AND id > ?",
        "transcribing": "SELECT COUNT(*) < 8 FROM speech WHERE finished AND file_id > ?",
    }[case]

    def busy() -> bool:
        with sqlite3.connect(f"{catalog.as_uri()}?mode=ro", uri=True) as db:
            return bool(db.execute(sql, (first_new,)).fetchone()[0])

    return busy


if __name__ == "__main__":
    main()
