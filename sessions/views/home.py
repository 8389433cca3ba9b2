from django.shortcuts import render

from sessions.selectors import sessions_for_person


def home(request):
    sessions = sessions_for_person(request.user) if request.user.is_authenticated else []
    return render(request, "dialogue_sessions/home.html", {"sessions": sessions})
