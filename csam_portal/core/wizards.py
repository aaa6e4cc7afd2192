"""Multi-step forms that end in one confirmed action (wizards): the screens of a request, then
«Confirmer», which does one thing once.

A subclass of `ConfirmWizard` declares its `steps` (the last one is the confirmation page), its
`prefix` (the hidden step field «<prefix>-current_step» and the session key), its `url_name` (a
URL with a `step` argument; the same view without `step` is the entry, which starts a new
request), and where a confirmed request ends: `done_url`, the page that shows the result, which
finds it in the session under `done_session_key` as {"id": its pk, "token": the token}.

What the base guarantees:

- A GET writes nothing: no session row, no session cookie, whoever asks (a bot included). The
  request's state is stored on POST only. The entry is the one exception: it forgets an
  unfinished request, when there is one.
- A step is shown, and posted, once every step before it validates again from the session; else
  the visitor goes back to the first one that does not, which says why (the register changed,
  the state was forged). «← Corriger» (a GET of an earlier step) shows the values as stored.
- A step stores its form's `data` once the form is valid, its own fields only (a form may write
  a normalised value there, e.g. a hidden field it filled). Validating a step again, on every
  later page and at «Confirmer», has no side effect: whatever counts (a throttle) is counted in
  `before_validation`, once per POST of that step, before its form is validated.
- Each stored step draws a new token. The confirmation page carries it: the last step's form has
  a hidden `token` field, whose initial value the base sets. «Confirmer» with a token whose
  request was carried out (a double click, a replay, the back button) acts no more and shows the
  result (`acted`); with another token (a page of an earlier state, another tab) it is refused
  and the current confirmation page says so.
- «Confirmer» validates every step again, then `act` does the action; a ValidationError it raises
  (a rule that changed meanwhile) is shown on the first step, unless the same request was
  carried out meanwhile by its other half (`acted` again).

Hooks, overridden by a subclass:

- `form_kwargs(step)`: the keyword arguments of `step`'s form besides data, prefix and initial
  (e.g. what earlier steps found, through `checked(earlier).cleaned_data`).
- `before_validation(step, form)`: called once per POST of `step` with its bound form, before the
  form is validated; count a throttle here. A ValidationError returned refuses the attempt: the
  form is shown as posted with that error only, and nothing of it is validated.
- `step_context(step, form)`: the page's context besides `form` and `wizard`.
- `act(step_forms, token)`: perform the confirmed action from every step's valid form (a dict
  by step name) and the request's token; return the object made (its pk is kept). Raise
  ValidationError to refuse.
- `acted(token)`: the object a confirmed request with `token` made, if this visitor made it;
  None otherwise.

`checked(step)` gives a step's form bound to its stored data and validated, once per request.
Templates get `form` and `wizard` (`url_name`, `first`, `current`, `management_form`, which they
render inside their form). Uploaded files are not stored: a step with a file is the last one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy
from django.views import View

STALE_CONFIRMATION = gettext_lazy(
    "La demande a été modifiée entre-temps (dans un autre onglet ?). Vérifiez les données "
    "ci-dessous puis confirmez à nouveau."
)


@dataclass(frozen=True)
class Step:
    """One screen: its name (in its URL and its form's prefix), its form and its template."""

    name: str
    form_class: type[forms.Form]
    template_name: str


class ManagementForm(forms.Form):
    """The hidden field that says which step a POST submits: a page of another step, or a
    forged one, posted to this step's URL is not taken for it."""

    current_step = forms.CharField(widget=forms.HiddenInput)


@dataclass(frozen=True)
class WizardContext:
    """`wizard` in a step's template."""

    url_name: str
    first: str
    current: str
    management_form: ManagementForm


def refuse(form: forms.Form, error: ValidationError) -> None:
    """`form` as posted with `error` as its only error, and nothing validated: a refused attempt
    is not checked (that is what refusing it means)."""
    form.cleaned_data = {}
    form._errors = ErrorDict()  # what full_clean() starts from; its checks do not run
    form.add_error(None, error)


class ConfirmWizard(View):
    """The base of a wizard; the module's docstring says what it does and its hooks."""

    steps: tuple[Step, ...] = ()
    prefix = ""
    url_name = ""
    done_url = ""
    done_session_key = ""

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self._checked: dict[str, forms.Form] = {}  # checked(): a step's stored form, validated

    # The hooks.

    def form_kwargs(self, step: str) -> dict[str, Any]:
        return {}

    def before_validation(self, step: str, form: forms.Form) -> ValidationError | None:
        return None

    def step_context(self, step: str, form: forms.Form) -> dict[str, Any]:
        return {}

    def act(self, step_forms: dict[str, forms.Form], token: str) -> Any:
        raise NotImplementedError

    def acted(self, token: str) -> Any | None:
        raise NotImplementedError

    # The requests.

    def get(self, request: HttpRequest, step: str | None = None) -> HttpResponse:
        if step is None:  # the entry: a new request
            if self.session_key in request.session:
                del request.session[self.session_key]
            return redirect(self.step_url(self.first))
        if step not in self.step_names:
            return redirect(self.step_url(self.first))
        back_to = self.first_invalid_before(step)
        if back_to is not None:
            return redirect(self.step_url(back_to))
        if step == self.last or not self.stored(step):
            form = self.get_form(step)
        else:  # shown again («← Corriger», a refusal at «Confirmer»): its errors are known
            form = self.checked(step)
        return self.render_step(step, form)

    def post(self, request: HttpRequest, step: str | None = None) -> HttpResponse:
        if step not in self.step_names:
            return redirect(self.step_url(self.first))
        if request.POST.get(f"{self.prefix}-current_step") != step:
            return redirect(self.step_url(step))  # a page of another step, or a forged one
        token = request.POST.get(f"{step}-token", "") if step == self.last else ""
        if token and (result := self.acted(token)) is not None:
            return self.finish(result, token)  # a second «Confirmer»: the first one's result
        back_to = self.first_invalid_before(step)
        if back_to is not None:
            return redirect(self.step_url(back_to))
        if step == self.last:
            return self.confirm(token)
        form = self.get_form(step, data=request.POST)
        refusal = self.before_validation(step, form)
        if refusal is not None:
            refuse(form, refusal)
        if not form.is_valid():
            return self.render_step(step, form)
        self.store(step, form)
        return redirect(self.step_url(self.step_names[self.step_names.index(step) + 1]))

    def confirm(self, token: str) -> HttpResponse:
        """«Confirmer»: every step validated again, then `act`, once per token."""
        if token != (self.request.session.get(self.session_key) or {}).get("token"):
            messages.error(self.request, STALE_CONFIRMATION)
            return redirect(self.step_url(self.last))
        form = self.get_form(self.last, data=self.request.POST)
        if not form.is_valid():
            return self.render_step(self.last, form)
        valid = {name: self.checked(name) for name in self.step_names[:-1]} | {self.last: form}
        try:
            result = self.act(valid, token)
        except ValidationError as error:
            result = self.acted(token)  # the other half of a double click won the race
            if result is None:
                messages.error(self.request, " ".join(error.messages))
                return redirect(self.step_url(self.first))
        return self.finish(result, token)

    def finish(self, result: Any, token: str) -> HttpResponse:
        self.request.session.pop(self.session_key, None)
        self.request.session[self.done_session_key] = {"id": result.pk, "token": token}
        return redirect(self.done_url)

    # The steps and their state.

    @property
    def session_key(self) -> str:
        return f"wizard_{self.prefix}"

    @property
    def step_names(self) -> list[str]:
        return [step.name for step in self.steps]

    @property
    def first(self) -> str:
        return self.steps[0].name

    @property
    def last(self) -> str:
        return self.steps[-1].name

    def step_url(self, step: str) -> str:
        return reverse(self.url_name, kwargs={"step": step})

    def stored(self, step: str) -> dict[str, list[str]] | None:
        """The data the session holds for `step`, if it was stored (read only: a GET writes
        nothing, and reading an absent session creates none)."""
        state = self.request.session.get(self.session_key)
        return state["data"].get(step) if state else None

    def store(self, step: str, form: forms.Form) -> None:
        """Keep `step`'s valid form's data, and draw a new token for what the steps now say."""
        state = self.request.session.get(self.session_key) or {"data": {}}
        own = {key: values for key, values in form.data.lists() if key.startswith(f"{step}-")}
        self.request.session[self.session_key] = {
            "token": secrets.token_urlsafe(24),
            "data": {**state["data"], step: own},
        }
        self._checked.clear()

    def get_form(self, step: str, data=None) -> forms.Form:
        spec = self.steps[self.step_names.index(step)]
        kwargs = self.form_kwargs(step)
        if step == self.last:
            state = self.request.session.get(self.session_key) or {}
            kwargs["initial"] = {"token": state.get("token", "")}
        return spec.form_class(data, prefix=step, **kwargs)

    def checked(self, step: str) -> forms.Form:
        """`step`'s form bound to its stored data and validated, once per request."""
        if step not in self._checked:
            form = self.get_form(step, data=MultiValueDict(self.stored(step) or {}))
            form.is_valid()
            self._checked[step] = form
        return self._checked[step]

    def first_invalid_before(self, step: str) -> str | None:
        """The first step before `step` not stored, or no longer valid: where to go back."""
        for earlier in self.step_names[: self.step_names.index(step)]:
            if not self.stored(earlier) or not self.checked(earlier).is_valid():
                return earlier
        return None

    def render_step(self, step: str, form: forms.Form) -> HttpResponse:
        management = ManagementForm(prefix=self.prefix, initial={"current_step": step})
        context = {
            "form": form,
            "wizard": WizardContext(self.url_name, self.first, step, management),
            **self.step_context(step, form),
        }
        template = self.steps[self.step_names.index(step)].template_name
        return TemplateResponse(self.request, template, context)
