from __future__ import annotations

import sys

import numpy as np
import pytest

from indexer.errors import ModelLoadError
from indexer.media.segment import MediaSegment
from indexer.models.embed import Embedder
from indexer.settings import SpaceSpec
from tests.support.media import scene_image, tone


def test_tiny_clip_loads_through_the_real_path(tiny_clip):
    embedder = Embedder(SpaceSpec("image", str(tiny_clip)), device="cpu")
    assert embedder.modalities == {"text", "image"} and embedder.dim == 16
    images = embedder.encode_segments([MediaSegment("image", scene_image(i)) for i in range(3)])
    text = embedder.encode_text(["a red circle"])
    for vectors in (images, text):
        assert vectors.dtype == np.float32 and vectors.flags["C_CONTIGUOUS"]
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_tiny_clap_takes_decoded_audio_at_its_rate(tiny_clap):
    embedder = Embedder(SpaceSpec("audio", str(tiny_clap)), device="cpu")
    assert embedder.sampling_rate == 16_000
    segment = MediaSegment("audio", tone(440, 3.0, 16_000), 0.0, 3.0, 1.5, 16_000)
    first, second = embedder.encode_segments([segment]), embedder.encode_segments([segment])
    assert np.allclose(first, second, atol=1e-6)  # windows ≤ 10 s: no random crop


def test_a_model_that_cannot_be_found_says_how_to_fix_it(tmp_path):
    embedder = Embedder(SpaceSpec("image", str(tmp_path / "missing-model")), device="cpu")
    with pytest.raises(ModelLoadError) as caught:
        _ = embedder.modalities
    message = str(caught.value)
    assert "missing-model" in message and "HF_HUB_OFFLINE" in message and "--image-model" in message


def test_a_hub_model_offline_and_uncached_is_explained():
    embedder = Embedder(SpaceSpec("audio", "framefind-tests/no-such-model"), device="cpu")
    with pytest.raises(ModelLoadError, match="no-such-model"):
        _ = embedder.dim


def test_a_model_of_the_wrong_kind_is_refused(tiny_clip):
    embedder = Embedder(SpaceSpec("audio", str(tiny_clip)), device="cpu")
    with pytest.raises(ModelLoadError, match="takes image, text but not audio"):
        _ = embedder.dim


def test_device_auto_prefers_cuda_then_mps_then_cpu(monkeypatch):
    import torch

    from indexer.models import loading
    from indexer.models.loading import resolve_device

    monkeypatch.setattr(loading, "_accelerator_possible", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert resolve_device("auto") == "mps"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda"
    assert resolve_device("cpu") == "cpu"


def test_device_auto_is_the_cpu_without_importing_torch_where_no_gpu_can_be(monkeypatch):
    """A Linux machine without a GPU driver's device nodes has no GPU for torch to find."""
    from indexer.models import loading

    monkeypatch.setattr(loading.sys, "platform", "linux")
    monkeypatch.setattr(loading.Path, "exists", lambda self: False)
    monkeypatch.setitem(sys.modules, "torch", None)  # importing it would raise
    assert loading.resolve_device("auto") == "cpu"
    monkeypatch.setattr(loading.Path, "exists", lambda self: str(self) == "/dev/nvidiactl")
    with pytest.raises(ImportError):
        loading.resolve_device("auto")  # a GPU may be there: torch is asked


def test_batch_size_follows_the_device_unless_set(tiny_clip):
    from indexer.models.embed import default_batch_size

    assert default_batch_size("cuda:0") == 128 and default_batch_size("cpu") == 32
    auto = Embedder(SpaceSpec("image", str(tiny_clip)), device="cpu")
    auto.encode_text(["x"])
    assert auto.batch_size == 32
    fixed = Embedder(SpaceSpec("image", str(tiny_clip)), device="cpu", batch_size=5)
    fixed.encode_text(["x"])
    assert fixed.batch_size == 5


def test_an_unreachable_hub_fails_fast_without_offline_mode(monkeypatch):
    """No HF_HUB_OFFLINE, hub on a closed loopback port: the error comes in seconds, not after
    a minute of retries."""
    import time

    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")
    for proxy in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    began = time.monotonic()
    with pytest.raises(ModelLoadError, match="not in the local cache") as caught:
        _ = Embedder(SpaceSpec("image", "framefind-tests/not-cached"), device="cpu").dim
    assert time.monotonic() - began < 10
    assert "HF_HUB_OFFLINE" in str(caught.value)


def test_load_models_says_which_model_loads_and_whether_it_downloads_first(engine, tmp_path, monkeypatch):
    from indexer.models import loading as models

    seen = []
    engine.load_models(seen.append)
    assert [(e.space, e.downloading) for e in seen] == [("image", False), ("audio", False)]  # local folders
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    assert models.is_on_disk("openai/clip-vit-base-patch32") is False  # a hub id not yet cached
    assert models.is_on_disk(str(tmp_path / "missing")) is True  # a path is never downloaded


def test_a_query_typed_again_is_not_encoded_again(tiny_clip):
    embedder = Embedder(SpaceSpec("image", str(tiny_clip)), "cpu")
    calls = []
    encode = embedder.model.encode_query
    embedder.model.encode_query = lambda texts, **kw: calls.append(list(texts)) or encode(texts, **kw)
    first = embedder.encode_text(["a red circle"])
    again = embedder.encode_text(["a red circle", "a blue square", "a red circle"])
    assert calls == [["a red circle"], ["a blue square"]]  # each text encoded once
    np.testing.assert_array_equal(again[0], first[0])
    np.testing.assert_array_equal(again[2], first[0])
    again[0] += 1  # a caller's copy: the remembered vector stays
    np.testing.assert_array_equal(embedder.encode_text(["a red circle"])[0], first[0])


@pytest.mark.parametrize("trained", ["shapes-clip", "sounds-clap"])
def test_on_a_cpu_text_queries_run_in_int8_and_mean_what_they_meant_in_float(trained, monkeypatch):
    import torch

    from tests.support.models import TRAINED

    spec = SpaceSpec("image" if "clip" in trained else "audio", str(TRAINED / trained))
    texts = ["a red circle", "a rising chirp", "applause after the speech", "zq xv"]
    quick = Embedder(spec, device="cpu")
    _ = quick.model  # loads (models load lazily) before float is forced below
    monkeypatch.setattr("indexer.models.embed.quantize_text_towers", lambda model: False)
    exact = Embedder(spec, device="cpu")
    linear_kinds = {
        type(m) for m in quick.model[0].model.text_model.modules() if "Linear" in type(m).__name__
    }
    assert linear_kinds and not linear_kinds & {torch.nn.Linear}  # every linear layer of the text tower
    agreement = (quick.encode_text(texts) * exact.encode_text(texts)).sum(axis=1)
    assert agreement.min() >= 0.999
    photo_or_sound = next(m for n, m in quick.model[0].model.named_children() if not n.startswith("text"))
    assert any(type(m) is torch.nn.Linear for m in photo_or_sound.modules())  # the index's side stays float


def test_text_queries_go_through_the_query_model_and_media_through_the_model():
    from tests.support.models import SHAPES_CLIP, SHAPES_MULTILINGUAL

    own = Embedder(SpaceSpec("image", str(SHAPES_CLIP)), device="cpu")
    student = Embedder(
        SpaceSpec("queries", str(SHAPES_MULTILINGUAL), embeds=("line",), answers=("text",)), device="cpu"
    )
    both = Embedder(SpaceSpec("image", str(SHAPES_CLIP), query_model=str(SHAPES_MULTILINGUAL)), device="cpu")
    texts = ["ein roter Kreis", "a blue square"]
    assert np.allclose(both.encode_text(texts), student.encode_text(texts), atol=1e-5)
    assert not np.allclose(both.encode_text(texts), own.encode_text(texts), atol=1e-2)
    picture = [MediaSegment("image", scene_image(1))]
    assert np.allclose(both.encode_segments(picture), own.encode_segments(picture), atol=1e-5)
    assert both.query_identity != both.spec.identity == own.spec.identity


def test_a_query_model_that_does_not_load_leaves_queries_to_the_model(tmp_path, caplog):
    from tests.support.models import SHAPES_CLIP

    own = Embedder(SpaceSpec("image", str(SHAPES_CLIP)), device="cpu")
    lost = Embedder(SpaceSpec("image", str(SHAPES_CLIP), query_model=str(tmp_path / "gone")), device="cpu")
    assert lost.ready_for_queries()
    assert np.allclose(lost.encode_text(["a red circle"]), own.encode_text(["a red circle"]), atol=1e-5)
    assert lost.query_identity == lost.spec.identity  # its cohort is the model's own
    assert "gone" in caplog.text and "embedded by its own model" in caplog.text
