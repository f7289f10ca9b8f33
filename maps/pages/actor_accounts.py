"""Tourism actors' account pages: the site's sign-in (everyone's), the sign-up, the e-mail
check and its resending, and the actor's profile. Writes go through actors.accounts."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actors import accounts, rules
from actors.forms import LANGS, ProfileForm, SignUpForm
from geo.errors import AtlasError, InvalidFields
from maps.pages.actors import LANGUAGE_NAMES, SIGN_IN


class SignIn(LoginView):
    """The site's sign-in for actors and partners alike (django-axes counts each attempt
    through the authentication backends)."""

    template_name = "actors/sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # An actor's work is on their dashboard; anyone else's starts from the map.
        user = self.request.user
        return (reverse("actor-dashboard") if rules.actor_of(user) is not None
                else reverse("explorer"))


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("actor-dashboard"))
    form = SignUpForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        actor = accounts.actor_sign_up(email=data["email"], password=data["password1"],
                                       values=data)
        login(request, actor.user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(reverse("actor-dashboard"))
    by_language = [(code, LANGUAGE_NAMES[code], form[f"description_{code}"])
                   for code in LANGS]
    return render(request, "actors/sign_up.html", {"form": form, "by_language": by_language},
                  status=400 if form.is_bound else 200)


def verify(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    try:
        user = User.objects.filter(pk=int(force_str(urlsafe_base64_decode(uid)))).first()
    except (ValueError, TypeError):
        user = None
    try:
        if user is None:
            raise InvalidFields({"link": [""]})
        accounts.actor_verify(user=user, token=token)
    except AtlasError:
        return render(request, "actors/verified.html", {"ok": False}, status=400)
    return render(request, "actors/verified.html", {"ok": True})


@require_POST
@login_required(login_url=SIGN_IN)
def verification_resend(request: HttpRequest) -> HttpResponse:
    actor = rules.actor_of(request.user)
    if actor is None or actor.verified:
        return HttpResponseRedirect(reverse("actor-dashboard"))
    accounts.verification_send(user=actor.user, organisation=actor.organisation)
    return HttpResponseRedirect(reverse("actor-dashboard") + "?sent=1")


@login_required(login_url=SIGN_IN)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The actor's own profile; nobody else's is reachable here."""
    actor = rules.actor_of(request.user)
    if actor is None:
        raise PermissionDenied(_("You have no tourism actor's profile."))
    form = ProfileForm(data=request.POST if request.method == "POST" else None,
                       instance=actor)
    if request.method == "POST" and form.is_valid():
        accounts.actor_profile_update(actor=actor, values={
            name: form.cleaned_data[name] for name in form.fields})
        return HttpResponseRedirect(reverse("actor-dashboard"))
    by_language = [(code, LANGUAGE_NAMES[code], form[f"description_{code}"])
                   for code in LANGS]
    return render(request, "actors/profile.html", {"form": form, "by_language": by_language},
                  status=400 if form.is_bound else 200)
