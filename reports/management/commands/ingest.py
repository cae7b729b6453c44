"""`python manage.py ingest PATH_OR_URL...`: ingest files, folders and URLs, then report what happened.

Texts are stored INGEST_BATCH_SIZE at a time (`articles_submit_texts`), so a
folder of thousands of articles costs a transaction and a queue message per
chunk rather than per article.
"""

import datetime
import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from kombu.exceptions import OperationalError as BrokerError
from tqdm import tqdm

from reports.extraction.readers import ArticleFileError, read_articles
from reports.models import Article
from reports.services.articles import TextSubmission, article_submit_url, articles_submit_texts
from reports.services.review import articles_review_counts, first_review_reason

_SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}
_FINAL = [Article.Status.EXTRACTED, Article.Status.FAILED, Article.Status.DUPLICATE]


def _date(value: object) -> datetime.date | None:
    """The publication date of a record; ValueError names a malformed one."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"publication date {str(value)[:40]!r} is not YYYY-MM-DD") from None


def _message(error: Exception) -> str:
    return error.messages[0] if isinstance(error, ValidationError) else str(error)


class _BrokerOutage(logging.Filter):
    """Says once, in one plain line, that the broker is down, in place of the tracebacks Django logs for it.

    Articles are queued after their transaction commits, by robust on_commit callbacks
    (reports/services/articles.py): with the broker down the articles are stored all the
    same, pending, and Django logs the failed send with kombu's whole traceback on
    ON_COMMIT_LOGGER. Nothing is lost: the beat sweep queues pending articles once the
    broker is back. Install it for the command's run with `with _BrokerOutage(say):`.
    """

    ON_COMMIT_LOGGER = "django.db.backends.base"

    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__()
        self._say = say
        self.said = False

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, BrokerError):
            return True
        if not self.said:
            self.said = True
            self._say(
                f"The broker is unreachable ({error}): the articles are kept pending, "
                "and the sweep will queue them once it is back."
            )
        return False

    def __enter__(self) -> "_BrokerOutage":
        logging.getLogger(self.ON_COMMIT_LOGGER).addFilter(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        logging.getLogger(self.ON_COMMIT_LOGGER).removeFilter(self)


class Command(BaseCommand):
    help = (
        "Ingest .txt, .html and .jsonl files, folders of them, and http(s) URLs. With a broker set, the work "
        "goes to the Celery workers and this command waits for it (see --wait); without one it runs here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument(
            "--wait",
            type=float,
            default=600.0,
            help="Seconds to wait for the workers to finish (0: don't wait). Default 600.",
        )

    def _files(self, path: Path) -> list[Path]:
        if path.is_dir():
            return sorted(p for p in path.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file())
        if path.is_file():
            return [path]
        raise CommandError(f"{path}: no such file or folder")

    def handle(self, *args: object, **options: object) -> None:
        with _BrokerOutage(lambda line: self.stderr.write(self.style.WARNING(line))):
            self._ingest(options)

    def _ingest(self, options: dict[str, object]) -> None:
        show = options["verbosity"] >= 1  # type: ignore[operator]
        submitted: dict[int, bool] = {}  # article id -> new
        rejected: list[str] = []
        pending: list[tuple[str, TextSubmission]] = []  # (where it came from, what it says)

        def flush() -> None:
            results = articles_submit_texts(submissions=[submission for _, submission in pending])
            for (label, _), result in zip(pending, results, strict=True):
                if isinstance(result, ValidationError):
                    rejected.append(f"{label}: {_message(result)}")
                else:
                    article, created = result
                    submitted[article.pk] = submitted.get(article.pk, False) or created
            pending.clear()

        targets: list[str | Path] = []
        for item in options["paths"]:  # type: ignore[attr-defined]
            targets += [item] if item.startswith(("http://", "https://")) else self._files(Path(item))
        for target in tqdm(targets, desc="submitting", unit=" files", disable=not show):
            try:
                if isinstance(target, str):
                    article, created = article_submit_url(url=target)
                    submitted[article.pk] = submitted.get(article.pk, False) or created
                    continue
                for number, record in enumerate(read_articles(target), start=1):
                    # One bad record is reported and skipped; the rest of the file goes on.
                    try:
                        submission = TextSubmission(
                            text=str(record.get("text") or ""),
                            title=str(record.get("title") or ""),
                            published=_date(record.get("published")),
                            source_name=str(record.get("source") or ""),
                            url=str(record.get("url") or "") or None,
                        )
                    except ValueError as error:
                        rejected.append(f"{target} (article {number}): {_message(error)}")
                        continue
                    pending.append((f"{target} (article {number})", submission))
                    if len(pending) >= settings.INGEST_BATCH_SIZE:
                        flush()
            except (ValidationError, ArticleFileError, ValueError, OSError) as error:
                rejected.append(f"{target}: {_message(error)}")
        if pending:
            flush()
        self._wait(list(submitted), timeout=float(options["wait"]), show=show)  # type: ignore[arg-type]
        self._summarise(submitted, rejected)

    def _wait(self, ids: list[int], *, timeout: float, show: bool) -> None:
        deadline = time.monotonic() + timeout
        with tqdm(total=len(ids), desc="processing", unit=" articles", disable=not show) as bar:
            while True:
                done = Article.objects.filter(pk__in=ids, status__in=_FINAL).count()
                bar.update(done - bar.n)
                if done == len(ids) or time.monotonic() >= deadline:
                    return
                time.sleep(0.5)

    def _summarise(self, submitted: dict[int, bool], rejected: list[str]) -> None:
        new_ids = [pk for pk, new in submitted.items() if new]
        states = dict.fromkeys(Article.Status.values, 0)
        for status in Article.objects.filter(pk__in=new_ids).values_list("status", flat=True):
            states[status] += 1
        claims = Article.objects.filter(pk__in=new_ids).aggregate(
            total=Count("claims"), opened=Count("claims", filter=Q(claims__opened_incident=True))
        )
        for line in rejected:
            self.stderr.write(f"rejected {line}")
        failures = Article.objects.filter(pk__in=new_ids, status=Article.Status.FAILED)
        for article in failures.only("pk", "url", "title", "failure_reason")[:20]:
            self.stderr.write(f"failed {article}: {article.failure_reason}")
        flagged = Article.objects.filter(pk__in=new_ids, needs_review=True).order_by("pk")
        for article in flagged.only("pk", "url", "title", "review_reasons")[:20]:
            self.stdout.write(f"needs review {article}: {first_review_reason(article.review_reasons)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Articles: {states['extracted']} new, {len(submitted) - len(new_ids)} already known, "
                f"{states['duplicate']} duplicate, {states['failed']} failed, {states['pending']} still pending, "
                f"{len(rejected)} rejected. "
                f"Incidents: {claims['opened']} created, {claims['total'] - claims['opened']} joined. "
                f"Review: {articles_review_counts(article_ids=new_ids)}."
            )
        )
