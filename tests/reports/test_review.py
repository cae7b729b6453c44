"""Nothing silent: articles with a toll and no incident, and doubtful claims, are filed as needing review.

The engine is replaced by a stand-in that returns what each test sets, so that these tests hold
whatever the engine's rules find; the unexplained-toll check itself is the engine's own.
"""

import datetime

import pytest
from django.core.management import call_command

from casualties.models import Claim
from reports import extraction
from reports.extraction import contract
from reports.models import Article
from reports.services import extracting
from reports.services.review import (
    ReviewKind,
    article_review_reasons,
    articles_review_counts,
    confidence_below,
    first_review_reason,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Our own wording: a toll with an aside between subject and verb, and a plain one.
ASIDE = (
    "Nine people, three of them children, were killed on Friday 4 March when a warplane struck "
    "a bakery in the town of Kafr Nabl, the local council said."
)
PLAIN = "An air strike on the market of Maarat Misrin on Friday killed 17 people, rescuers said."
NO_TOLL = "The council met on Friday to discuss the bakery's reopening."
DAY = datetime.date(2022, 3, 4)


def _incident(text: str, *, confidence: float, country: str | None = "SY") -> contract.ExtractedIncident:
    return contract.ExtractedIncident(
        country=country,
        dates=contract.Dates(start=DAY, end=DAY),
        evidence=contract.Evidence(text=text, start=0, end=len(text)),
        figures=contract.Figures(killed_min=17, killed_max=17),
        location=contract.Location(admin1="Idlib", admin1_code="12", precision=contract.LocationPrecision.ADMIN1),
        confidence=confidence,
    )


@pytest.fixture
def engine(monkeypatch):
    """What the stand-in engine returns, by article text; [] for a text it was not told about."""
    found: dict[str, list[contract.ExtractedIncident]] = {}
    monkeypatch.setattr(extraction, "extract", lambda *, text, **_: found.get(text, []))
    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", "fake-1")
    monkeypatch.setattr(extracting, "gazetteer_provider", lambda: lambda: None)
    return found


def _filed(text: str, article: Article | None = None) -> Article:
    article = article or ArticleFactory(text=text)
    assert extracting.articles_extract(article_ids=[article.pk]) == {}
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED
    return article


def test_a_toll_sentence_with_no_incident_files_the_article_for_review_with_the_reason(engine):
    text = f"{NO_TOLL}\n\n{ASIDE}"
    article = _filed(text)
    assert article.needs_review is True
    [reason] = article.review_reasons
    assert reason["kind"] == "no_incident"
    assert reason["reason"] == f"a casualty sentence gave no incident: {ASIDE}"
    assert text[reason["start"] : reason["end"]] == ASIDE


def test_an_article_with_an_incident_is_not_flagged(engine):
    engine[PLAIN] = [_incident(PLAIN, confidence=0.9)]
    article = _filed(PLAIN)
    assert (article.needs_review, article.review_reasons) == (False, [])
    assert Claim.objects.filter(article=article).count() == 1


def test_an_article_with_no_toll_and_no_incident_is_not_flagged(engine):
    assert _filed(NO_TOLL).needs_review is False


def test_an_incident_with_no_country_is_not_filed_so_it_explains_nothing(engine):
    engine[ASIDE] = [_incident(ASIDE, confidence=0.9, country=None)]
    article = _filed(ASIDE)
    assert article.needs_review is True
    assert [reason["kind"] for reason in article.review_reasons] == ["no_incident"]


@pytest.mark.parametrize(("confidence", "flagged"), [(0.31, True), (0.5, False), (0.93, False)])
def test_a_claim_under_the_threshold_files_its_article_for_review(engine, confidence, flagged):
    engine[PLAIN] = [_incident(PLAIN, confidence=confidence)]
    article = _filed(PLAIN)
    assert article.needs_review is flagged
    expected = [f"confidence 0.31 < 0.50: {PLAIN}"] if flagged else []
    assert [reason["reason"] for reason in article.review_reasons] == expected
    # The claim is filed all the same: review is a flag, not a rejection.
    assert Claim.objects.get(article=article).confidence == confidence


def test_the_threshold_is_a_setting(engine, settings):
    settings.EXTRACTION_REVIEW_THRESHOLD = 0.8
    engine[PLAIN] = [_incident(PLAIN, confidence=0.7)]
    article = _filed(PLAIN)
    assert [reason["reason"] for reason in article.review_reasons] == [f"confidence 0.70 < 0.80: {PLAIN}"]


def test_a_new_extraction_replaces_the_reasons(engine, monkeypatch):
    article = _filed(ASIDE)
    assert article.needs_review is True
    monkeypatch.setattr(extraction, "EXTRACTOR_VERSION", "fake-2")
    engine[ASIDE] = [_incident(ASIDE, confidence=0.9)]
    article = _filed(ASIDE, article)
    assert (article.needs_review, article.review_reasons, article.extractor_version) == (False, [], "fake-2")


def test_flags_and_claims_are_written_together_or_not_at_all(engine, monkeypatch):
    engine[PLAIN] = [_incident(PLAIN, confidence=0.2)]
    article = ArticleFactory(text=PLAIN)

    def refuse(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(type(Article.objects), "bulk_update", refuse)
    failures = extracting.articles_extract(article_ids=[article.pk])
    assert list(failures) == [article.pk]
    article.refresh_from_db()
    assert (article.status, article.needs_review, article.review_reasons) == ("pending", False, [])
    assert not Claim.objects.filter(article=article).exists()


def test_the_reasons_are_capped_and_quoted_short():
    long_toll = "Eleven people were killed " + "in the long afternoon " * 20 + "."
    reasons = article_review_reasons(text=" ".join([long_toll] * 30), incidents=[], threshold=0.5)
    assert len(reasons) == 20
    assert len(reasons[0].reason) == len("a casualty sentence gave no incident: ") + 200
    assert reasons[0].reason.endswith("\u2026")


def test_the_confidence_is_shown_with_enough_decimals_to_differ():
    assert confidence_below(0.31, 0.5) == "confidence 0.31 < 0.50"
    assert confidence_below(0.499, 0.5) == "confidence 0.499 < 0.50"


def test_review_counts_by_kind(engine):
    engine[PLAIN] = [_incident(PLAIN, confidence=0.2)]
    ids = [ArticleFactory(text=text).pk for text in (ASIDE, PLAIN, NO_TOLL)]
    assert extracting.articles_extract(article_ids=ids) == {}
    counts = articles_review_counts(article_ids=ids)
    assert (counts.total, counts.no_incident, counts.low_confidence) == (2, 1, 1)
    assert str(counts) == "2 need review (1 with no incident, 1 below confidence)"
    assert {kind.value for kind in ReviewKind} == {"no_incident", "low_confidence"}


@pytest.mark.django_db(transaction=True)
def test_the_ingest_summary_counts_the_articles_that_need_review(engine, tmp_path, capsys):
    engine[PLAIN] = [_incident(PLAIN, confidence=0.9)]
    engine[f"{PLAIN} Two more died later."] = [_incident(f"{PLAIN} Two more died later.", confidence=0.2)]
    for name, body in {"aside": ASIDE, "plain": PLAIN, "doubtful": f"{PLAIN} Two more died later."}.items():
        (tmp_path / f"{name}.jsonl").write_text(f'{{"published": "2022-03-05", "text": "{body}"}}\n')
    call_command("ingest", str(tmp_path), verbosity=0)
    out = capsys.readouterr().out
    assert "Articles: 3 new" in out
    assert "Review: 2 need review (1 with no incident, 1 below confidence)." in out
    assert f"a casualty sentence gave no incident: {ASIDE}" in out
    assert f"confidence 0.20 < 0.50: {PLAIN} Two more died later." in out


def test_one_line_lists_show_the_first_reason_and_how_many_more():
    reasons = [{"kind": "no_incident", "reason": "first"}, {"kind": "no_incident", "reason": "second"}]
    assert first_review_reason(reasons) == "first (and 1 more)"
    assert first_review_reason(reasons[:1]) == "first"
    assert first_review_reason([]) == ""
