"""Queries about how things look, which no sound can answer: "red", "a blue", "dunkelgrün",
"赤い", typed alone or on the way to "a red circle".

A text query is embedded in every space that reads text, the sound space too, and a sound
model asked about a colour lands somewhere arbitrary: a few tiny models put "a red" right
next to "a rising chirp", and a real one may rank some recording first for it with nothing
to say it is wrong. What each space makes of the words cannot tell the engine whether the
question is about sight or sound; the words can, for this one class of query. A query
made only of colour words (with articles and light/dark) is about pictures, so sounds
are not scored for it; "white noise", "pink noise" and "a red fox barking" name something
else too and are searched everywhere. Colours in the languages of the generic queries
(cohort_languages.py); Chinese, Japanese and Korean are written without spaces, so there
a query is about looks when nothing but colours, particles and "colour" is left.
"""

from __future__ import annotations

import re
from functools import cache

# Colour words by language; a word ending in "-" is a stem, for languages that inflect
# (German "rote", Russian "красная", Greek "κόκκινη"), followed by at most ENDING letters.
COLOURS = {
    "en": "red orange yellow green blue purple violet pink brown black white grey gray gold golden "
    "silver beige turquoise navy crimson scarlet maroon teal cyan magenta reddish greenish bluish",
    "de": "rot- orange gelb- grün- blau- lila violett- rosa pink braun- schwarz- weiß- weiss- grau- "
    "gold golden- silbern- türkis",
    "fr": "rouge rouges orange oranges jaune jaunes vert verte verts vertes bleu bleue bleus bleues "
    "violet violette rose roses marron noir noire noirs noires blanc blanche blancs blanches gris "
    "grise grises doré dorée argenté turquoise",
    "es": "roj- naranja amarill- verde verdes azul azules morad- violeta rosa rosad- marrón marron "
    "negr- blanc- gris grises dorad- plateado turquesa",
    "ru": "красн- оранжев- жёлт- желт- зелён- зелен- синий синяя синее синие синего синей синюю "
    "голуб- фиолетов- розов- коричнев- чёрн- черн- белый белая белое белые белого белой белую серый "
    "серая серое серые серого серой серую золот- серебрян-",
    "el": "κόκκιν- πορτοκαλ- κίτριν- πράσιν- μπλε γαλάζι- μωβ ροζ καφέ μαύρ- άσπρ- λευκ- γκρι χρυσ- ασημ-",
    "ar": "أحمر حمراء برتقالي أصفر صفراء أخضر خضراء أزرق زرقاء بنفسجي وردي بني أسود سوداء أبيض "
    "بيضاء رمادي ذهبي فضي",
}
ENDING = 4  # "rote", "красная", "κόκκινη", "amarillas": the stem plus an inflection
# Words that may stand beside a colour in a query about one: articles, light and dark.
BESIDE = (
    "a an the some light dark bright pale ein eine einer einen eines der die das hell dunkel "
    "un une le la les des du de uno unos unas el los las claro oscuro clair foncé "
    "светло тёмно темно ένα μια ένας έναν το η ο τα ανοιχτό σκούρο ال"
)
# Chinese, Japanese and Korean colours, and what may be left around them.
CJK_COLOURS = (
    "红 橙 黄 绿 蓝 紫 粉 棕 褐 黑 白 灰 金 银 赤 青 緑 黄色 茶色 ピンク オレンジ "
    "빨간 빨강 주황 노란 노랑 초록 녹색 파란 파랑 보라 분홍 갈색 검은 검정 하얀 흰 회색 금색 은색"
)
CJK_BESIDE = "色 的 一个 一 い の 깔 색 의 한"

_WORD = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def about_looks(text: str) -> bool:
    """Whether `text` asks only for a colour, so that only pictures can answer it."""
    if _CJK.search(text):
        return _cjk_about_looks(text)
    words = _WORD.findall(text.casefold())
    colours = [w for w in words if _is_colour(w)]
    return bool(colours) and all(w in colours or w in _beside() for w in words)


def _is_colour(word: str) -> bool:
    word = word.removeprefix("ال") if len(word) > 4 else word  # Arabic "the"
    words, stems = _colours()
    return word in words or any(word.startswith(s) and len(word) - len(s) <= ENDING for s in stems)


def _cjk_about_looks(text: str) -> bool:
    pieces = sorted(CJK_COLOURS.split(), key=len, reverse=True)  # longest first: 黄色 before 黄
    rest, found = text.casefold(), False
    for piece in pieces:
        found = found or piece in rest
        rest = rest.replace(piece, " ")
    for piece in sorted(CJK_BESIDE.split(), key=len, reverse=True):
        rest = rest.replace(piece, " ")
    return found and not _WORD.findall(rest)


@cache
def _colours() -> tuple[frozenset[str], tuple[str, ...]]:
    """(whole colour words, stems)."""
    entries = [entry for words in COLOURS.values() for entry in words.split()]
    stems = tuple(e.removesuffix("-") for e in entries if e.endswith("-"))
    return frozenset(e for e in entries if not e.endswith("-")), stems


@cache
def _beside() -> frozenset[str]:
    return frozenset(BESIDE.split())
