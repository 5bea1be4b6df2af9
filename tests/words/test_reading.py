"""Text in pictures is read (RapidOCR with the models inside its wheel, on text drawn with
real fonts) into the words index: a slide's words find the photo or the video at the
slide's time, with the block's box; a screenshot's words put it above photos of its colours;
a picture without text never reaches the recogniser; `shown:` and `said:` keep to written and
to spoken words. (Pictures are scored by the trained tiny CLIP of the shapes world.)"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest
from PIL import Image, ImageDraw

from indexer import Query, build_engine, parse_query
from indexer.cli import main
from indexer.ingest.reading import ReadingStage
from indexer.media.image import decode_image
from indexer.models.reader import GATE_LONGEST, GATE_SIDE, READ_SHORTER, READ_SIDE, TextReader
from tests.ranking.conftest import trained_settings
from tests.support.media import scene_image
from tests.support.subtitles import write_srt
from tests.support.written import screenshot, sign, slide, slide_deck

# The hiring slide is shown twice, a point added the second time: its title stays one line.
SLIDES = [
    ["Budget review", "Costs fell in spring"],
    ["Hiring plan", "Two engineers"],
    ["Hiring plan", "Two engineers", "One designer"],
    ["Roadmap 2027"],
]
SLIDE_S = 4.0
SHOT = [f"Error {i}: disk quota exceeded on volume {i}" for i in range(20)]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory):
    """Photos with text and without, a slide deck, and how often each picture was read."""
    media = tmp_path_factory.mktemp("written") / "media"
    media.mkdir()
    slide(["Quarterly roadmap", "Ship the café app in März"]).save(media / "slide.png")
    slide(["東京の会議", "予算の見直し"], cjk=True).save(media / "tokyo.png")
    screenshot(SHOT).save(media / "screenshot.png")
    sign("Baker Street", turn=6, warp=0.08).save(media / "sign.jpg", quality=90)
    for i in range(6):  # no text, some of them the screenshot's colours
        scene_image(i, (1200, 900)).save(media / f"plain-{i}.jpg")
    _colours_of_the_screenshot().save(media / "blue-white.png")
    deck = slide_deck(media / "talk.mp4", [[], *SLIDES], slide_s=SLIDE_S)
    write_srt(deck.with_suffix(".srt"), [(1.0, 3.0, "Welcome, the roadmap comes last")])
    settings = replace(trained_settings(tmp_path_factory.mktemp("data")), ocr="auto", video_interval_s=2.0)
    reads: Counter[str] = Counter()
    read, look = TextReader.read, TextReader.look

    def counted(self, image, found=None):
        reads[image.size] += 1
        return read(self, image, found)

    def looked(self, image):
        reads["detector"] += 1
        return look(self, image)

    TextReader.read, TextReader.look = counted, looked  # type: ignore[method-assign]
    try:
        with build_engine(settings) as engine:
            engine.index([media])
            report = engine.transcribe()
    finally:
        TextReader.read, TextReader.look = read, look  # type: ignore[method-assign]
    return settings, media, reads, report


def _colours_of_the_screenshot() -> Image.Image:
    image = Image.new("RGB", (1080, 2340), "white")
    ImageDraw.Draw(image).rectangle((0, 0, 1080, 160), fill=(30, 90, 200))
    return image


def test_words_in_photos_are_found_with_their_block(library):
    settings, _, _, _ = library
    with build_engine(settings, writer=False) as engine:
        roadmap = engine.said('"quarterly roadmap"')
        assert [(x.path.name, x.text, x.source) for x in roadmap] == [
            ("slide.png", "Quarterly roadmap", "written")
        ]
        left, top, right, bottom = roadmap[0].box
        assert 0.05 < left < 0.15 and 0.08 < top < 0.2 and right > 0.4 and bottom < 0.3  # where it was drawn
        assert [x.path.name for x in engine.said("cafe")] == ["slide.png"]  # accents folded
        assert [x.path.name for x in engine.said("東京")] == ["tokyo.png"]
        assert [x.path.name for x in engine.said("Baker")] == ["sign.jpg"]  # turned, at an angle
        assert len(engine.said("quota", limit=100)) == 20  # every line of the screenshot


def test_a_picture_without_text_never_reaches_the_recogniser(library):
    _, media, reads, report = library
    photos_with_text = 4
    slide_frames = len(SLIDES)  # each slide is read once, however long it is shown
    assert sum(reads.values()) - reads["detector"] == photos_with_text + slide_frames, reads
    assert report.reading.files == len(list(media.iterdir())) - 1  # all but the subtitles
    assert report.reading.read == photos_with_text + slide_frames
    # The detector looked once at each picture: reading recognises what it found.
    assert reads["detector"] == report.reading.pictures


def test_an_upside_down_scan_is_read_and_an_upright_line_the_classifier_doubts_stays_upright(tmp_path):
    reader = TextReader()
    turned = slide(["Annual accounts", "Signed in Lisbon"]).rotate(180)
    assert {b.text for b in reader.read(turned)} == {"Annual accounts", "Signed in Lisbon"}
    # A JPEG of a phone screenshot, looked at as the gate does: RapidOCR's orientation
    # classifier takes one of its upright lines, cut from the gate's box, for upside down (0.92).
    lines = [f"Message {i}: the meeting moved to room {i + 1}" for i in range(12)]
    screen = tmp_path / "screen.jpg"
    screenshot(lines).save(screen, quality=88)
    small = decode_image(screen, 10**9, GATE_LONGEST, GATE_SIDE)
    large = decode_image(screen, 10**9, READ_SIDE, READ_SHORTER)
    assert [b.text for b in reader.read(large, reader.look(small))] == lines


def test_the_gate_sees_a_tall_screenshots_small_text_and_no_text_in_textures():
    reader = TextReader()
    assert reader.look(
        screenshot([f"Notification {i}: your parcel arrives today" for i in range(15)], text_px=24)
    ).has_text
    assert not reader.look(scene_image(4, (4032, 3024))).has_text
    stripes = Image.new("RGB", (2000, 1500), "white")
    for x in range(0, 2000, 40):  # a fence: bands, but no text
        ImageDraw.Draw(stripes).rectangle((x, 0, x + 18, 1500), fill=(90, 90, 90))
    assert not reader.look(stripes).has_text


def test_a_slide_is_found_in_the_video_at_its_time_as_one_line(library):
    settings, media, _, _ = library
    with build_engine(settings, writer=False) as engine:
        found = engine.search(Query(text="hiring plan"))
        top = found.results[0]
        assert top.path.name == "talk.mp4" and top.quote is not None and top.quote.written
        shown_at = 2 * SLIDE_S  # the blank slide, the budget, then this one
        assert abs(top.t - shown_at) <= settings.video_interval_s
        assert top.quote.box is not None
        written = {x.text: x for x in engine.transcript(media / "talk.mp4", written=True)}
        assert len(engine.transcript(media / "talk.mp4", written=True)) == len(
            written
        )  # one line per text, not per frame
        title, added = written["Hiring plan"], written["One designer"]
        assert abs(title.start - shown_at) <= settings.video_interval_s  # from the first slide…
        assert abs(title.end - (shown_at + 2 * SLIDE_S)) <= settings.video_interval_s  # …to the second's end
        assert abs(added.start - (shown_at + SLIDE_S)) <= settings.video_interval_s


def test_a_screenshot_is_found_by_its_words_above_photos_of_its_colours(library):
    settings, _, _, _ = library
    with build_engine(settings, writer=False) as engine:
        found = engine.search(Query(text="disk quota exceeded"))
    assert found.results[0].path.name == "screenshot.png"
    assert found.results[0].quote is not None and found.results[0].quote.written
    assert "blue-white.png" not in [r.path.name for r in found.results[:1]]


def test_shown_and_said_keep_to_written_and_to_spoken_words(library):
    settings, _, _, _ = library
    with build_engine(settings, writer=False) as engine:
        shown = engine.search(parse_query("shown:roadmap", show_all=True)).results
        said = engine.search(parse_query("said:roadmap", show_all=True)).results
    assert {r.path.name for r in shown} == {"slide.png", "talk.mp4"}
    assert all(r.quote is not None and r.quote.written for r in shown)
    assert [(r.path.name, r.quote.text) for r in said] == [("talk.mp4", "Welcome, the roadmap comes last")]


def test_the_command_line_quotes_written_text_and_gives_its_box(library, capsys, monkeypatch):
    settings, _, _, _ = library
    monkeypatch.setenv("FRAMEFIND_SPEECH_MODEL", "none")
    args = ["--data-dir", str(settings.data_dir), "--image-model", settings.spaces[0].model]
    args += ["--audio-model", settings.spaces[1].model, "search", "Baker Street"]
    assert main(args) == 0
    assert "“*Baker Street*” (written)" in capsys.readouterr().out
    assert main([*args, "--json"]) == 0
    top = json.loads(capsys.readouterr().out)["results"][0]
    assert top["path"].endswith("sign.jpg") and top["quote"]["source"] == "written"
    assert len(top["quote"]["box"]) == 4


def test_turned_off_nothing_is_read(tmp_path):
    settings = replace(trained_settings(tmp_path / "data"), ocr="none")
    slide(["Quarterly roadmap"]).save(tmp_path / "slide.png")
    with build_engine(settings) as engine:
        engine.index([tmp_path / "slide.png"])
        assert engine.transcribe().reading.files == 0
        assert engine.said("roadmap") == []


def test_a_file_that_cannot_be_decoded_now_is_recorded_and_the_rest_read(tmp_path):
    settings = replace(trained_settings(tmp_path / "data"), ocr="auto")
    media = tmp_path / "media"
    media.mkdir()
    slide(["Quarterly roadmap"]).save(media / "slide.png")
    slide(["Budget review"]).save(media / "gone.png")
    with build_engine(settings) as engine:
        engine.index([media])
        (media / "gone.png").write_bytes(b"not a picture any more")  # changed after indexing
        report = engine.transcribe().reading
        assert (report.files, report.failed) == (2, 1)
        assert [x.path.name for x in engine.said("roadmap")] == ["slide.png"]


def test_a_stop_in_the_middle_of_a_video_saves_nothing_of_it_and_the_next_run_reads_it_whole(tmp_path):
    settings = trained_settings(tmp_path / "data")  # reading off while indexing
    deck = slide_deck(tmp_path / "media" / "talk.mp4", SLIDES, slide_s=SLIDE_S)
    with build_engine(settings) as engine:
        engine.index([deck.parent])
        stage = ReadingStage(engine.catalog, TextReader(), settings.max_image_pixels, 2.0)
        asked = []

        def stop_at_the_third_frame() -> bool:
            asked.append(1)
            return len(asked) < 4  # once before the file, then frame by frame

        stopped = stage.run(stop_at_the_third_frame)
        assert stopped.files == 0 and engine.transcript(deck, written=True) == []
        assert [u.path for u in engine.catalog.written.unread(TextReader().identity)] == [deck]
        whole = stage.run(lambda: True)
        assert whole.files == 1 and whole.drained
        texts = [x.text for x in engine.transcript(deck, written=True)]
        assert texts.count("Hiring plan") == 1 and "Roadmap 2027" in texts and "Budget review" in texts


def test_text_is_read_on_the_gpu_only_where_onnx_runtime_can_use_it(monkeypatch, caplog):
    import onnxruntime

    from indexer.models.reader import _on_gpu

    with_cuda = ["CUDAExecutionProvider", "CPUExecutionProvider"]
    monkeypatch.setattr(onnxruntime, "get_available_providers", lambda: with_cuda)
    assert _on_gpu("cuda") == {"EngineConfig.onnxruntime.use_cuda": True}
    assert _on_gpu("cpu") == {}
    monkeypatch.setattr(onnxruntime, "get_available_providers", lambda: ["CPUExecutionProvider"])
    assert _on_gpu("cuda:0") == {}
    assert "pip install onnxruntime-gpu" in caplog.text  # says why, and the fix
