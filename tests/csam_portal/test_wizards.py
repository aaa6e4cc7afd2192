"""The confirm-once wizard base (csam_portal/core/wizards.py), through a two-step wizard of its own:
a name, then «Confirmer»."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django import forms
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import path, reverse

from csam_portal.core import throttle
from csam_portal.core.wizards import ConfirmWizard, Step
from csam_portal.models import ThrottleHit
from tests.helpers import text

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

WIZARD = "tiny_wizard-current_step"
TEMPLATES = {
    "tiny/name.html": (
        "{% for message in messages %}<p>{{ message }}</p>{% endfor %}"
        '<form method="post">{% csrf_token %}{{ wizard.management_form }}{{ form }}</form>'
    ),
    "tiny/confirm.html": (
        "{% for message in messages %}<p>{{ message }}</p>{% endfor %}<p>Name: {{ name }}</p>"
        '<form method="post">{% csrf_token %}{{ wizard.management_form }}{{ form }}</form>'
    ),
}


@dataclass
class Made:
    pk: int
    name: str
    token: str


class World:
    """What the tiny wizard reads and writes: names the register refuses, what it made."""

    refused_names: set[str]
    made: list[Made]
    act_refusal: str | None


WORLD = World()


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if name in WORLD.refused_names:
            raise ValidationError("This name is refused.", code="refused")
        return name


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField()
    token = forms.CharField(widget=forms.HiddenInput)


class TinyWizard(ConfirmWizard):
    steps = (
        Step("name", NameForm, "tiny/name.html"),
        Step("confirm", ConfirmForm, "tiny/confirm.html"),
    )
    prefix = "tiny_wizard"
    url_name = "tiny_step"
    done_url = "tiny_done"
    done_session_key = "tiny_done"
    attempts_per_hour = 10

    def before_validation(self, step, form):
        counted = throttle.hit(
            "tiny", "everyone", limit=self.attempts_per_hour, window=timedelta(hours=1)
        )
        if counted is None:
            return ValidationError("Too many attempts.", code="too_many")
        return None

    def step_context(self, step, form):
        if step == "confirm":
            return {"name": self.checked("name").cleaned_data["name"]}
        return {}

    def act(self, step_forms, token):
        if WORLD.act_refusal:
            raise ValidationError(WORLD.act_refusal)
        made = Made(len(WORLD.made) + 1, step_forms["name"].cleaned_data["name"], token)
        WORLD.made.append(made)
        return made

    def acted(self, token):
        return next((made for made in WORLD.made if made.token == token), None)


def done(request):
    return HttpResponse(f"Done: {request.session['tiny_done']['id']}")


urlpatterns = [
    path("tiny/", TinyWizard.as_view(), name="tiny"),
    path("tiny/<slug:step>/", TinyWizard.as_view(), name="tiny_step"),
    path("tiny-done/", done, name="tiny_done"),
]


@pytest.fixture(autouse=True)
def world(settings):
    WORLD.refused_names, WORLD.made, WORLD.act_refusal = set(), [], None
    options = settings.TEMPLATES[0]["OPTIONS"]
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "context_processors": options["context_processors"],
                "loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)],
            },
        }
    ]
    return WORLD


def step_url(step: str) -> str:
    return reverse("tiny_step", args=[step])


def submit_name(client, name: str = "Ada"):
    return client.post(step_url("name"), {WIZARD: "name", "name-name": name})


def token_shown(client) -> str:
    return client.get(step_url("confirm")).context["form"].initial["token"]


def confirm(client, token: str, *, checked: bool = True):
    data = {WIZARD: "confirm", "confirm-token": token}
    if checked:
        data["confirm-confirm"] = "on"
    return client.post(step_url("confirm"), data)


def session_row():
    return Session.objects.values_list("session_key", "session_data", "expire_date").get()


def test_the_entry_leads_to_the_first_step(client):
    response = client.get(reverse("tiny"))

    assert response.status_code == 302
    assert response.url == step_url("name")


def test_the_steps_end_in_one_confirmed_action(client):
    assert submit_name(client).url == step_url("confirm")
    assert "Name: Ada" in text(client.get(step_url("confirm")))

    response = confirm(client, token_shown(client))

    assert response.url == reverse("tiny_done")
    assert client.get(response.url).content == b"Done: 1"
    assert [made.name for made in WORLD.made] == ["Ada"]


def test_a_refused_step_is_shown_again_with_its_values_and_error(client):
    WORLD.refused_names.add("Bob")

    response = submit_name(client, "Bob")

    assert response.status_code == 200
    assert "This name is refused." in text(response)
    assert 'value="Bob"' in text(response)


def test_going_back_shows_the_values_as_stored(client):
    submit_name(client, "Ada")

    response = client.get(step_url("name"))

    assert 'value="Ada"' in text(response)


def test_a_later_step_is_not_shown_before_the_earlier_one_is_stored(client):
    get = client.get(step_url("confirm"))
    post = confirm(client, "anything")

    assert get.url == post.url == step_url("name")
    assert WORLD.made == []


def test_an_earlier_step_that_no_longer_holds_sends_back_to_it(client):
    submit_name(client, "Ada")
    WORLD.refused_names.add("Ada")  # the register changed meanwhile

    response = client.get(step_url("confirm"))

    assert response.url == step_url("name")
    assert "This name is refused." in text(client.get(response.url))


def test_a_confirmation_needs_its_form_to_be_valid(client):
    submit_name(client)

    response = confirm(client, token_shown(client), checked=False)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["confirm"]
    assert WORLD.made == []


def test_a_double_confirmer_acts_once_and_both_show_the_result(client):
    submit_name(client)
    token = token_shown(client)

    first, second = confirm(client, token), confirm(client, token)

    assert first.url == second.url == reverse("tiny_done")
    assert len(WORLD.made) == 1


def test_a_confirmation_page_of_an_earlier_state_is_refused(client):
    submit_name(client, "Ada")
    old_token = token_shown(client)
    submit_name(client, "Bea")  # another tab changes the request

    response = confirm(client, old_token)

    assert response.url == step_url("confirm")
    page = text(client.get(response.url))
    assert "La demande a été modifiée entre-temps" in page
    assert "Name: Bea" in page
    assert WORLD.made == []


def test_a_refusal_of_the_action_is_said_on_the_first_step(client):
    submit_name(client)
    WORLD.act_refusal = "Someone was faster."

    response = confirm(client, token_shown(client))

    assert response.url == step_url("name")
    assert "Someone was faster." in text(client.get(response.url))
    assert WORLD.made == []


def test_a_refusal_of_an_action_already_carried_out_shows_its_result(client, monkeypatch):
    """The other half of a double click, read before the first one's result was saved, is
    refused by the action: it shows what its request made."""
    submit_name(client)
    token = token_shown(client)

    def act_lost_the_race(wizard, step_forms, token):
        WORLD.made.append(Made(7, "Ada", token))  # the first half, committed meanwhile
        raise ValidationError("Already done.")

    monkeypatch.setattr(TinyWizard, "act", act_lost_the_race)

    response = confirm(client, token)

    assert response.url == reverse("tiny_done")
    assert client.get(response.url).content == b"Done: 7"


def test_a_post_of_another_step_or_a_forged_one_is_sent_back(client):
    submit_name(client)

    forged = client.post(step_url("name"), {WIZARD: "done", "name-name": "Eve"})
    unknown = client.post(step_url("nowhere"), {WIZARD: "nowhere"})

    assert (forged.url, unknown.url) == (step_url("name"), step_url("name"))
    assert 'value="Ada"' in text(client.get(step_url("name")))


def test_the_entry_forgets_an_unfinished_request(client):
    submit_name(client)

    client.get(reverse("tiny"))

    assert client.get(step_url("confirm")).url == step_url("name")


def test_an_anonymous_get_creates_no_session_and_sets_no_session_cookie(client):
    entry = client.get(reverse("tiny"))
    first = client.get(step_url("name"))
    later = client.get(step_url("confirm"))

    for response in (entry, first, later):
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert settings.CSRF_COOKIE_NAME in first.cookies  # the form's token: a cookie, no session
    assert Session.objects.count() == 0


def test_a_get_of_a_stored_request_does_not_write_it_again(client):
    submit_name(client)
    before = session_row()

    responses = [client.get(step_url("name")), client.get(step_url("confirm"))]

    for response in responses:
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert session_row() == before


def test_the_throttle_counts_each_post_of_a_step_once_however_often_it_is_validated(client):
    submit_name(client)
    client.get(step_url("name"))
    token = token_shown(client)
    confirm(client, token)

    assert ThrottleHit.objects.filter(bucket__scope="tiny").count() == 1
    assert len(WORLD.made) == 1


def test_a_refused_attempt_is_shown_as_posted_and_not_validated(client, monkeypatch):
    monkeypatch.setattr(TinyWizard, "attempts_per_hour", 1)
    WORLD.refused_names.add("Bob")
    submit_name(client, "Ada")

    response = submit_name(client, "Bob")

    assert response.status_code == 200
    html = text(response)
    assert "Too many attempts." in html
    assert "This name is refused." not in html
    assert 'value="Bob"' in html
    assert ThrottleHit.objects.filter(bucket__scope="tiny").count() == 1
