"""Below MIN_SAMPLE (8) documents of a modality, Calibrator.stats and _chance fall back to
FALLBACK = (0, 1/3) (calibrate.py:67, 127-128, 136-137): every calibrated score is 3 x cosine,
so a text query reaches FLOOR = 3.0 only at cosine 1.0, which a text-image pair never has.
In a new user's first library of a few photos (or in any space with < 8 segments of a kind,
e.g. the audio of a photo library with two recordings) every text search answers "No good
match" and shows the closest 3, whatever it matches; at 8 documents the same photo is a match."""

from _common import quiet, settings, tmpdir

quiet()
from indexer import Query, build_engine
from tests.support.synthetic import Scene, all_scenes, draw_scene

target = Scene("red", "circle", "blue")
others = [s for s in all_scenes() if s.colour != "red" and s.shape != "circle"]
for n in (1, 5, 7, 8, 12):
    media = tmpdir(f"lib{n}")
    draw_scene(target).save(media / "red-circle-on-blue.png")
    for i, scene in enumerate(others[: n - 1]):
        draw_scene(scene).save(media / f"{scene.colour}-{scene.shape}-on-{scene.background}.png")
    with build_engine(settings(tmpdir("data"), audio=None)) as engine:
        engine.index([media])
        r = engine.search(Query(text="a red circle on blue"))
        raw = engine.search(Query(text="a red circle on blue", calibrate=False, show_all=True))
    top = r.results[0]
    print(
        f"{n:>2} photos: good_match={r.good_match!s:<5} shown {len(r.results)}, top {top.path.name} "
        f"score {top.score:.2f} (cos {top.cosine:.2f}); raw rank of the red circle: "
        f"{[x.path.name for x in raw.results].index('red-circle-on-blue.png') + 1}"
    )
