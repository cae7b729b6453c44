"""`/submit/`: an analyst pastes a text or gives a URL; `/articles/<id>/`: where that article stands.

The form is the admin's (reports/forms.py) and it stores through the ingestion services,
so what is submitted here is fetched, extracted and filed as any other article.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from casualties.access import user_can_submit_articles
from casualties.selectors.articles import article_for_status, article_incidents
from reports.forms import ArticleSubmitForm
from reports.models import Article

# While an article waits, its page reloads itself this often (seconds): on a worker it is fetched meanwhile.
PENDING_REFRESH_SECONDS = 5


def _analysts_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_can_submit_articles(request.user):
        raise PermissionDenied("Only analysts may submit articles.")
    return None


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if (refusal := _analysts_only(request)) is not None:
        return refusal
    form = ArticleSubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        article, created = form.submit()
        if created:
            messages.success(request, f"Article {article.pk} submitted.")
        else:
            messages.info(request, f"This was submitted already, as article {article.pk}: nothing was added.")
        return redirect("casualties:article", article.pk)
    return render(request, "casualties/submit.html", {"form": form})


@require_GET
def article_status(request: HttpRequest, pk: int) -> HttpResponse:
    if (refusal := _analysts_only(request)) is not None:
        return refusal
    try:
        article = article_for_status(article_id=pk)
    except Article.DoesNotExist as missing:
        raise Http404("No such article") from missing
    context = {
        "article": article,
        "incidents": article_incidents(article=article),
        "refresh_seconds": PENDING_REFRESH_SECONDS if article.status == Article.Status.PENDING else None,
    }
    return render(request, "casualties/article.html", context)
