"""With PUBLIC_READ off, every dashboard page needs the viewer role.

A middleware rather than a decorator on each view: a dashboard route added later is
closed by default. It guards the dashboard's namespace only; the API checks reads in
its permission classes (after token authentication, which happens in the view), and
the admin has its own login.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

from casualties.access import user_can_read

# Pages anyone may open whatever PUBLIC_READ says: signing in and out.
OPEN_PAGES = frozenset({"login", "logout"})


class ReadAccessMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.namespace != "casualties" or match.url_name in OPEN_PAGES:
            return None
        if user_can_read(request.user):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return HttpResponseForbidden("Reading needs the viewer role. Ask an admin to add you to the viewers group.")
