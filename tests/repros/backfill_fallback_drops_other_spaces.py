"""A model switch backfills only the new space (FileJob.targets). When the file no longer
decodes to the segments in the catalog (here: video_interval_s changed since it was indexed;
also a PyAV/FFmpeg upgrade, audio window settings, a damaged file), Pipeline._backfill
returns False and _commit_catalog falls through to _replace (pipeline.py:298-301), which
deletes ALL the file's segments (the trigger logs their removal for every space) but logs
vectors only for the target space: _flush embedded nothing for the others (pipeline.py:268).
The audio space is active and not in doubt, so nothing ever refills it: the video's sound is
gone from search, silently, until the file itself changes."""

import shutil

from _common import CLIP, RATE, quiet, settings, tmpdir

quiet()
from indexer import Query, build_engine
from tests.support.media import sound, write_video

media = tmpdir("media")
video = write_video(
    media / "trip.mp4",
    list(range(6)),
    scene_s=2.0,
    audio=sound([("sine", 440.0, 6.0), ("noise", 2.0, 6.0)], RATE),
    audio_rate=RATE,
)
data = tmpdir("data")
other_clip = tmpdir("clip2") / "shapes-clip-copy"
shutil.copytree(CLIP, other_clip)  # the same weights in another folder: another space identity


def audio_state(engine, label):
    audio = next(s for s in engine.spaces if s.name == "audio")
    missing, extra = audio.discrepancies()
    seg = engine.catalog.segments.of_file(engine.catalog.files.get(video).id)
    n_audio = sum(1 for _, m, _ in seg if m == "audio")
    hits = engine.search(
        Query(text="a steady tone", kinds=frozenset({"video"}), show_all=True, calibrate=False)
    )
    by_sound = [r for r in hits.results if r.by_sound]
    print(
        f"{label}: catalog audio segments {n_audio}, audio space holds {len(audio.store.snapshot)} vectors, "
        f"missing {len(missing)}; a text search finds the video by its sound: {bool(by_sound)}"
    )


with build_engine(settings(data, video_interval_s=2.0)) as engine:
    print("first index:", engine.index([media]).summary())
    audio_state(engine, "before the switch")

# The user changes the frame interval, later switches the image model (or upgrades PyAV).
with build_engine(settings(data, image=other_clip, video_interval_s=1.0)) as engine:
    print("index after the switch:", engine.index([media]).summary())
    audio_state(engine, "after the switch ")
    print("engine.discrepancies():", {k: (len(m), len(x)) for k, (m, x) in engine.discrepancies().items()})

with build_engine(settings(data, image=other_clip, video_interval_s=1.0)) as engine:
    print("next run:", engine.index([media]).summary())
    audio_state(engine, "next run        ")
