from django.core.paginator import Paginator
from django.shortcuts import render

from sessions.selectors import my_sessions, sessions_for_person

SESSIONS_PER_PAGE = 20


def home(request):
    context = {}
    if request.user.is_authenticated:
        page = Paginator(sessions_for_person(request.user), SESSIONS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context = {"page": page, "rows": my_sessions(request.user, page.object_list)}
    return render(request, "dialogue_sessions/home.html", context)
