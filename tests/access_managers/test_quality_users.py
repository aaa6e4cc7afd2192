"""A qualité's users (flows.md §4): the «Utilisateurs» page's filters, table, sort, pages and
count, the CSV export, the actions on checked users, one user's page, the search, the qualité's
home and detail, and «Ajouter un utilisateur»."""

import csv
import io
import re

import pytest
from django.urls import reverse

from access_managers import quality_user_selectors
from access_managers.models import MembershipApplication, QualityMembership
from access_managers.roles import roles_in
from access_managers.services import membership_names, quality_users
from csam_portal.core.audit import AuditRecord
from csam_portal.core.outbox import OutboundEmail
from enterprises.models import SecuredApplication
from tests.factories import PersonFactory, QualityMembershipFactory, UserFactory
from tests.helpers import text

pytestmark = pytest.mark.django_db


def _onss(world):
    return world.qualities["EMPLOYEUR_ONSS"]


def _url(name, quality, *args):
    return reverse(f"access_managers:{name}", args=[quality.pk, *args])


def _membership(world, role, quality=None):
    return QualityMembership.objects.get(
        person=world.person(role), quality=quality or _onss(world), ended_at=None
    )


def _many(quality, count, *, last_name="Dupont"):
    return [
        QualityMembershipFactory(
            quality=quality,
            person=PersonFactory(last_name=f"{last_name}{index:03d}", first_name="Jean"),
        )
        for index in range(count)
    ]


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


# The page --------------------------------------------------------------------------------------


def test_the_local_manager_sees_the_filters_the_table_and_the_count(client, world):
    world.log_in(client, "gl")

    page = text(client.get(_url("quality_users", _onss(world))))

    assert "Afficher la liste des utilisateurs en fonction des critères suivants" in page
    for label in ("Nom", "Prénom", "Nom d'utilisateur", "Type", "NISS", "Statut"):
        assert label in page
    assert "Applications sécurisées" in page
    assert "4 utilisateurs trouvés." in page  # its GL, its co-GL and two users
    assert world.person("user").last_name in page
    assert "Exporter les utilisateurs (.csv)" in page
    assert "Ajouter un utilisateur" in page
    assert "Exécuter" in page


def test_the_niss_shows_in_three_groups(client, world):
    world.log_in(client, "gl")
    niss = world.person("user").niss

    page = text(client.get(_url("quality_users", _onss(world))))

    assert f"{niss[:6]} {niss[6:9]} {niss[9:]}" in page


def test_a_name_filter_keeps_the_names_that_begin_with_it_in_any_case(client, world):
    _many(_onss(world), 3, last_name="Qvermeulen")
    _many(_onss(world), 2, last_name="Qpeeters")
    world.log_in(client, "gl")

    page = text(client.get(_url("quality_users", _onss(world)), {"last_name": "qvermeu"}))

    assert "3 utilisateurs trouvés." in page
    assert "Qpeeters" not in page


@pytest.mark.parametrize(
    ("field", "typed", "found"),
    [
        ("last_name", "q_e", 0),  # «_» and «%» are letters here, not wildcards
        ("last_name", "q%", 0),
        ("last_name", "Q_P", 1),
        ("last_name", "q_peeters0", 1),
        ("first_name", "ÉLO", 1),
        ("last_name", "qpeeters", 0),
    ],
)
def test_a_name_filter_takes_what_is_typed_literally(client, world, field, typed, found):
    QualityMembershipFactory(
        quality=_onss(world), person=PersonFactory(last_name="Q_Peeters00", first_name="Élodie")
    )
    QualityMembershipFactory(
        quality=_onss(world), person=PersonFactory(last_name="Qzeeters", first_name="Zoé")
    )
    world.log_in(client, "gl")

    page = text(client.get(_url("quality_users", _onss(world)), {field: typed}))

    expected = "1 utilisateur trouvé." if found else "0 utilisateur trouvé."
    assert expected in page


def test_the_status_filter_and_the_type_filter(client, world):
    world.log_in(client, "gl")
    url = _url("quality_users", _onss(world))

    def row(role):
        return f"Sélectionner {world.person(role).full_name}"

    blocked = text(client.get(url, {"status": "blocked"}))
    users = text(client.get(url, {"type": "USER", "status": "active"}))
    local = text(client.get(url, {"type": "COGL"}))

    assert "1 utilisateur trouvé." in blocked
    assert row("blocked_user") in blocked
    assert row("user") in users
    assert row("blocked_user") not in users
    assert row("co_gl") not in users
    assert "1 utilisateur trouvé." in local
    assert row("co_gl") in local


def test_the_application_filter(client, world):
    membership = _membership(world, "user")
    MembershipApplication.objects.create(
        membership=membership,
        application=SecuredApplication.objects.get(code="DIMONA"),
        granted_by=world.person("gl"),
    )
    world.log_in(client, "gl")

    page = text(client.get(_url("quality_users", _onss(world)), {"application": "DIMONA"}))

    assert "1 utilisateur trouvé." in page
    assert world.person("user").last_name in page


def test_the_niss_filter_takes_dots_and_dashes(client, world):
    niss = world.person("user").niss
    world.log_in(client, "gl")

    page = text(
        client.get(_url("quality_users", _onss(world)), {"niss": f"{niss[:2]}.{niss[2:4]}"})
    )

    assert world.person("user").last_name in page


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"type": "BOSS"},
        {"application": "NOPE"},
        {"niss": "abc"},
        {"last_name": "x" * 500},
    ],
)
def test_a_wrong_filter_is_a_form_error_and_lists_no_one(client, world, query):
    world.log_in(client, "gl")

    response = client.get(_url("quality_users", _onss(world)), query)

    assert response.status_code == 200
    page = text(response)
    assert "Corrigez les critères marqués ci-dessous." in page
    assert "0 utilisateur trouvé." in page


def test_the_filters_show_what_was_asked_escaped(client, world):
    world.log_in(client, "gl")

    html = client.get(
        _url("quality_users", _onss(world)),
        {"last_name": '"><b>x', "status": "blocked", "application": "DIMONA"},
    ).content.decode()

    assert 'value="&quot;&gt;&lt;b&gt;x"' in html
    assert "<b>x" not in html
    assert '<option value="blocked" selected>' in html
    assert '<option value="DIMONA" selected>' in html
    assert 'for="id_last_name"' in html


def test_a_refused_filter_says_why_beside_it(client, world):
    world.log_in(client, "gl")

    html = text(client.get(_url("quality_users", _onss(world)), {"niss": "abc"}))

    assert 'aria-invalid="true" aria-describedby="id_niss_error"' in html
    assert "Un NISS ne contient que des chiffres" in html


@pytest.mark.parametrize("query", [{"page": "abc"}, {"page": "99"}, {"sort": "password"}])
def test_a_wrong_page_or_sort_is_a_404(client, world, query):
    world.log_in(client, "gl")

    assert client.get(_url("quality_users", _onss(world)), query).status_code == 404


def test_the_columns_sort_both_ways(client, world):
    _many(_onss(world), 3, last_name="Aaa")
    world.log_in(client, "gl")
    url = _url("quality_users", _onss(world))

    ascending = text(client.get(url, {"sort": "last_name"}))
    descending = text(client.get(url, {"sort": "-last_name"}))

    assert ascending.index("Aaa000") < ascending.index("Aaa002")
    assert descending.index("Aaa002") < descending.index("Aaa000")
    for column in ("first_name", "username", "type", "niss", "status", "-niss"):
        assert client.get(url, {"sort": column}).status_code == 200


@pytest.mark.parametrize("query", [{}, {"status": "active"}, {"type": "COGL"}, {"first_name": "J"}])
@pytest.mark.parametrize("sort", ["type", "-type"])
def test_the_pages_by_type_follow_the_type_then_the_names(client, world, sort, query):
    """Ordered by Type, the pages set the local managers before (descending, after) the users,
    each by name: page after page, the same order as sorting every member by its type."""
    _many(_onss(world), 23, last_name="Bbb")
    world.log_in(client, "gl")
    url = _url("quality_users", _onss(world))
    kind = {"GL": 0, "COGL": 1}
    local = quality_user_selectors.local_roles_of(quality_id=_onss(world).pk)
    rows = [
        row
        for row in quality_user_selectors.quality_users(quality_id=_onss(world).pk)
        if row["status"] == query.get("status", row["status"])
        and local.get(row["person_id"], "USER")
        == query.get("type", local.get(row["person_id"], "USER"))
        and row["first_name"].upper().startswith(query.get("first_name", "").upper())
    ]
    expected = [
        row["pk"]
        for row in sorted(
            rows,
            key=lambda row: (
                kind.get(local.get(row["person_id"]), 2),
                row["last_name"].upper(),
                row["first_name"].upper(),
                row["pk"],
            ),
            reverse=sort.startswith("-"),
        )
    ]

    shown = []
    for number in range(1, -(-len(expected) // 10) + 1):
        response = client.get(url, {**query, "sort": sort, "page": number})
        assert response.status_code == 200
        shown += [
            int(pk) for pk in re.findall(r'name="user" value="(\d+)"', response.content.decode())
        ]

    assert len(expected) > 0
    assert shown == expected


def test_the_pages_keep_the_filters(client, world):
    _many(_onss(world), 15, last_name="Qjanssens")
    world.log_in(client, "gl")

    response = client.get(_url("quality_users", _onss(world)), {"last_name": "qjan"})
    page = response.content.decode()

    assert "15 utilisateurs trouvés." in text(response)
    assert "last_name=qjan&amp;page=2" in page
    second = text(client.get(_url("quality_users", _onss(world)), {"last_name": "qjan", "page": 2}))
    assert "Qjanssens014" in second


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_runs_the_same_queries_for_few_and_many_users(
    client, world, count, django_assert_max_num_queries
):
    _many(_onss(world), count)
    world.log_in(client, "gl")
    url = _url("quality_users", _onss(world))

    queries = [{}, {"page": 2} if count > 10 else {}]
    queries += [{"sort": sort} for sort in ("last_name", "-first_name", "username", "-type")]
    queries += [{"sort": sort, "status": "active"} for sort in ("niss", "-status")]
    queries += [
        {"last_name": "Dup", "first_name": "J", "username": "a", "niss": "8"},
        {"type": "USER", "application": "DIMONA", "sort": "-last_name"},
        {"type": "COGL", "status": "blocked", "page": 1},
    ]
    for query in queries:
        with django_assert_max_num_queries(10):
            assert client.get(url, query).status_code == 200, query


# The export ------------------------------------------------------------------------------------


def test_the_export_is_utf8_with_a_bom_semicolons_and_the_filtered_rows(client, world):
    _many(_onss(world), 2, last_name="Étiennex")
    world.log_in(client, "gl")

    response = client.get(_url("quality_users_export", _onss(world)), {"last_name": "Étiennex"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = _body(response)
    assert body.startswith("\ufeffNom;Prénom;Nom d'utilisateur;Type;NISS;Statut;")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Étiennex000", "Étiennex001"]


def test_the_export_neutralises_formula_cells(client, world):
    QualityMembershipFactory(
        quality=_onss(world), person=PersonFactory(last_name="=HYPERLINK(1)", first_name="+1")
    )
    world.log_in(client, "gl")

    body = _body(client.get(_url("quality_users_export", _onss(world))))

    assert "'=HYPERLINK(1);'+1;" in body


def test_the_export_header_is_in_the_persons_language(client, world):
    account = world.user("gl")
    account.language = "nl"
    account.save()
    world.log_in(client, "gl")

    body = _body(client.get(_url("quality_users_export", _onss(world))))

    assert body.startswith("\ufeffNaam;Voornaam;")


def test_the_export_lists_the_applications(client, world):
    membership = _membership(world, "user")
    for code in ("DRS", "DIMONA"):
        MembershipApplication.objects.create(
            membership=membership,
            application=SecuredApplication.objects.get(code=code),
            granted_by=world.person("gl"),
        )
    world.log_in(client, "gl")

    body = _body(client.get(_url("quality_users_export", _onss(world))))

    assert "DIMONA, DRS" in body


# Actions ---------------------------------------------------------------------------------------


def _act(client, quality, action, ids, **extra):
    data = {"action": action, "user": [str(pk) for pk in ids], **extra}
    return client.post(_url("quality_users_action", quality), data)


def test_block_asks_then_blocks_and_says_how_many(client, world):
    target = _membership(world, "user")
    world.log_in(client, "gl")

    confirm = client.get(
        _url("quality_users_action", _onss(world)), {"action": "block", "user": target.pk}
    )
    assert "Etes-vous certain de vouloir bloquer le(s) utilisateur(s) suivant(s)?" in text(confirm)
    assert "Blocage de l'utilisateur" in text(confirm)
    response = _act(client, _onss(world), "block", [target.pk])

    target.refresh_from_db()
    assert target.status == "blocked"
    page = text(client.get(response["Location"]))
    assert "Le blocage du ou des utilisateur(s) a réussi" in page
    assert "1 utilisateur modifié." in page
    assert AuditRecord.objects.filter(action="quality_users_block").exists()


def test_a_blocked_user_loses_the_qualites_rights_at_once(client, world):
    target = _membership(world, "user")
    quality = _onss(world)
    assert roles_in(niss=target.person_id, enterprise_number=quality.enterprise_id).is_user_of(
        quality.pk
    )
    world.log_in(client, "gl")
    _act(client, quality, "block", [target.pk])

    roles = roles_in(niss=target.person_id, enterprise_number=quality.enterprise_id)
    assert not roles.is_user_of(quality.pk)


def test_unblock(client, world):
    target = _membership(world, "blocked_user")
    world.log_in(client, "gl")

    confirm = client.get(
        _url("quality_users_action", _onss(world)), {"action": "unblock", "user": target.pk}
    )
    _act(client, _onss(world), "unblock", [target.pk])

    assert "Etes-vous certain de vouloir débloquer" in text(confirm)
    target.refresh_from_db()
    assert target.status == "active"


def test_the_local_manager_cannot_block_or_delete_themself(client, world):
    own = _membership(world, "gl")
    other = _membership(world, "user")
    world.log_in(client, "gl")

    for action in ("block", "delete"):
        response = _act(client, _onss(world), action, [own.pk, other.pk])
        assert "vous-même" in text(client.get(response["Location"]))

    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, own.ended_at, other.status, other.ended_at) == (
        "active",
        None,
        "active",
        None,
    )


def test_a_selection_with_another_qualites_id_is_refused_whole(client, world):
    mine = _membership(world, "user")
    theirs = _membership(world, "other_user", world.other_qualities["EMPLOYEUR_ONSS"])
    world.log_in(client, "gl")

    response = _act(client, _onss(world), "block", [mine.pk, theirs.pk])

    assert "Rien n'a été modifié" in text(client.get(response["Location"]))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == theirs.status == "active"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "block"},
        {"action": "explode", "user": "1"},
        {"action": "block", "user": "abc"},
        {"action": "block", "user": "9" * 30},
        {"action": "block", "user": [str(pk) for pk in range(1, 500)]},
    ],
)
def test_a_garbage_selection_changes_nothing_and_says_why(client, world, data):
    world.log_in(client, "gl")

    response = client.post(_url("quality_users_action", _onss(world)), data)

    assert response.status_code == 302
    assert QualityMembership.objects.filter(status="blocked").count() == 2


def test_delete_ends_the_membership_and_its_applications(client, world):
    target = _membership(world, "user")
    MembershipApplication.objects.create(
        membership=target,
        application=SecuredApplication.objects.get(code="DIMONA"),
        granted_by=world.person("gl"),
    )
    world.log_in(client, "gl")

    confirm = client.get(
        _url("quality_users_action", _onss(world)), {"action": "delete", "user": target.pk}
    )
    response = _act(client, _onss(world), "delete", [target.pk])

    assert "Suppression de l'utilisateur" in text(confirm)
    assert "La suppression du ou des utilisateur(s) a réussi" in text(
        client.get(response["Location"])
    )
    target.refresh_from_db()
    assert target.ended_at is not None
    assert not target.granted_applications.exists()


def test_add_and_remove_applications_for_a_group(client, world):
    targets = [_membership(world, "user"), _membership(world, "blocked_user")]
    dimona = SecuredApplication.objects.get(code="DIMONA")
    world.log_in(client, "gl")
    ids = [m.pk for m in targets]

    confirm = client.get(
        _url("quality_users_action", _onss(world)), {"action": "applications_add", "user": ids}
    )
    added = _act(client, _onss(world), "applications_add", ids, applications=[dimona.pk])

    assert "Ajout d'application(s) à un groupe d'utilisateurs" in text(confirm)
    assert "Données d'identification de la qualité" in text(confirm)
    assert "Les applications que vous avez sélectionné ont été ajoutées" in text(
        client.get(added["Location"])
    )
    assert MembershipApplication.objects.filter(membership__in=targets).count() == 2

    removed = _act(client, _onss(world), "applications_remove", ids[:1], applications=[dimona.pk])
    page = text(client.get(removed["Location"]))
    assert "Les applications que vous avez sélectionnées ont été enlevées" in page
    assert "1 utilisateur modifié." in page
    assert MembershipApplication.objects.filter(membership__in=targets).count() == 1


def test_an_application_of_another_quality_type_is_refused(client, world):
    target = _membership(world, "user")
    foreign = SecuredApplication.objects.create(code="AUTRE", name_fr="Autre", name_nl="Ander")
    world.log_in(client, "gl")

    response = _act(
        client, _onss(world), "applications_add", [target.pk], applications=[foreign.pk]
    )

    assert response.status_code == 200  # the confirmation page again, with the error
    assert not MembershipApplication.objects.filter(membership=target).exists()


# One user --------------------------------------------------------------------------------------


def test_one_user_is_shown_and_changed(client, world):
    target = _membership(world, "user")
    dimona = SecuredApplication.objects.get(code="DIMONA")
    world.log_in(client, "gl")
    url = _url("quality_user", _onss(world), target.pk)

    assert world.person("user").last_name in text(client.get(url))
    response = client.post(
        url,
        {
            "email": "nouveau@example.be",
            "local_email": "",
            "applications": [dimona.pk],
            "language": "de",
            "status": "active",
        },
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.email == "nouveau@example.be"
    assert list(target.granted_applications.values_list("application__code", flat=True)) == [
        "DIMONA"
    ]
    assert AuditRecord.objects.filter(action="quality_user_update").exists()
    assert target.person.account.language == "de"


def test_a_user_of_another_qualite_is_a_404(client, world):
    theirs = _membership(world, "other_user", world.other_qualities["EMPLOYEUR_ONSS"])
    world.log_in(client, "gl")

    assert client.get(_url("quality_user", _onss(world), theirs.pk)).status_code == 404


def test_the_table_links_to_each_users_page(client, world):
    world.log_in(client, "gl")
    target = _membership(world, "user")

    page = client.get(_url("quality_users", _onss(world))).content.decode()

    assert f'href="{_url("quality_user", _onss(world), target.pk)}"' in page


# Creation --------------------------------------------------------------------------------------


def _start(client, quality, niss):
    return client.post(
        _url("local_manager_start", quality),
        {"action": "user_add", "user_add_wizard-current_step": "niss", "niss-niss": niss},
    )


def _details(client, quality, **fields):
    data = {
        "user_add_wizard-current_step": "details",
        "details-username1": "olivier.simon",
        "details-username2": "olivier.simon",
        "details-password1": "Lange-Zin-42!",
        "details-password2": "Lange-Zin-42!",
        "details-language": "fr",
        "details-email": "olivier@example.be",
        "details-local_email": "",
    }
    data.update({f"details-{key}": value for key, value in fields.items()})
    return client.post(reverse("access_managers:user_add_step", args=[quality.pk, "details"]), data)


def _confirm(client, quality):
    recap = client.get(reverse("access_managers:user_add_step", args=[quality.pk, "recap"]))
    token = recap.context["form"]["token"].value()
    return client.post(
        reverse("access_managers:user_add_step", args=[quality.pk, "recap"]),
        {"user_add_wizard-current_step": "recap", "recap-token": token},
    )


def test_a_new_user_is_created_with_username_password_and_applications(client, world):
    person = PersonFactory(language="nl")
    tr = SecuredApplication.objects.filter(qualities=_onss(world).quality_id).first()
    world.log_in(client, "gl")

    assert _start(client, _onss(world), person.niss).status_code == 302
    form = client.get(reverse("access_managers:user_add_step", args=[_onss(world).pk, "details"]))
    for label in (
        "Introduisez deux fois le nom de l'utilisateur",
        "Nom d'utilisateur (première fois)",
        "Nom d'utilisateur (confirmation)",
        "Introduisez deux fois le mot de passe",
        "Mot de passe (première fois)",
        "Mot de passe (confirmation)",
        "Adresse e-mail utilisateur",
        "Adresse e-mail locale",
    ):
        assert label in text(form)
    assert _details(client, _onss(world), applications=[tr.pk], language="nl").status_code == 302
    recap = text(
        client.get(reverse("access_managers:user_add_step", args=[_onss(world).pk, "recap"]))
    )
    for label in ("Date création", "Date modification", "Actif"):
        assert label in recap
    response = _confirm(client, _onss(world))

    assert "Les données de l'utilisateur ont bien été enregistrées" in text(
        client.get(response["Location"])
    )
    membership = QualityMembership.objects.get(person=person, quality=_onss(world))
    assert membership.granted_applications.get().application == tr
    account = membership.person.account
    assert account.username == "olivier.simon"
    assert account.check_password("Lange-Zin-42!")
    assert account.language == "nl"
    email = OutboundEmail.objects.get(template="access_managers/quality_user_welcome")
    assert email.recipient == "olivier@example.be"
    assert "olivier.simon" in email.body_text
    assert "Lange-Zin-42!" not in email.body_text + email.body_html
    assert email.language == "nl"


def test_the_password_never_reaches_the_session(client, world):
    person = PersonFactory()
    world.log_in(client, "gl")
    _start(client, _onss(world), person.niss)
    _details(client, _onss(world))

    stored = str(dict(client.session))

    assert "Lange-Zin-42!" not in stored


def test_mismatching_usernames_or_passwords_and_a_weak_password_are_refused(client, world):
    person = PersonFactory()
    world.log_in(client, "gl")
    _start(client, _onss(world), person.niss)

    usernames = text(_details(client, _onss(world), username2="autre"))
    passwords = text(_details(client, _onss(world), password2="Autre-Chose-42!"))
    weak = text(_details(client, _onss(world), password1="123", password2="123"))

    assert "Les deux noms d'utilisateur ne sont pas identiques." in usernames
    assert "Les deux mots de passe ne sont pas identiques." in passwords
    assert "Erreur" in weak
    assert not QualityMembership.objects.filter(person=person).exists()


def test_a_username_taken_in_another_case_is_refused(client, world):
    UserFactory(username="Olivier.Simon")
    person = PersonFactory()
    world.log_in(client, "gl")
    _start(client, _onss(world), person.niss)

    assert "Ce nom d'utilisateur est déjà pris." in text(_details(client, _onss(world)))


def test_a_person_with_an_account_keeps_username_and_password(client, world):
    account = UserFactory(username="deja.la")
    account.set_password("Ancien-Mot-42!")
    account.save()
    world.log_in(client, "gl")
    _start(client, _onss(world), account.person.niss)

    form = text(
        client.get(reverse("access_managers:user_add_step", args=[_onss(world).pk, "details"]))
    )
    assert "deja.la" in form
    assert "Mot de passe (première fois)" not in form
    response = client.post(
        reverse("access_managers:user_add_step", args=[_onss(world).pk, "details"]),
        {
            "user_add_wizard-current_step": "details",
            "details-email": "a@example.be",
            "details-local_email": "",
        },
    )
    assert response.status_code == 302
    _confirm(client, _onss(world))

    account.refresh_from_db()
    assert account.username == "deja.la"
    assert account.check_password("Ancien-Mot-42!")
    assert QualityMembership.objects.filter(person=account.person, quality=_onss(world)).exists()


def test_an_existing_user_of_the_qualite_is_refused_at_the_niss(client, world):
    world.log_in(client, "gl")

    response = _start(client, _onss(world), world.person("user").niss)

    assert "Cette personne est déjà utilisateur de cette qualité." in text(response)


def test_a_second_confirm_creates_nothing_more(client, world):
    person = PersonFactory()
    world.log_in(client, "gl")
    _start(client, _onss(world), person.niss)
    _details(client, _onss(world))
    recap = client.get(reverse("access_managers:user_add_step", args=[_onss(world).pk, "recap"]))
    token = recap.context["form"]["token"].value()
    data = {"user_add_wizard-current_step": "recap", "recap-token": token}
    url = reverse("access_managers:user_add_step", args=[_onss(world).pk, "recap"])

    client.post(url, data)
    client.post(url, data)

    assert QualityMembership.objects.filter(person=person).count() == 1


def test_a_created_user_logs_in_with_username_and_password(client, world):
    person = PersonFactory()
    world.log_in(client, "gl")
    _start(client, _onss(world), person.niss)
    _details(client, _onss(world))
    _confirm(client, _onss(world))
    client.logout()

    response = client.post(
        reverse("users:login_password"),
        {"username": "olivier.simon", "password": "Lange-Zin-42!"},
    )

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(person.account.pk)


# Home, detail, search --------------------------------------------------------------------------


def test_the_local_managers_home_greets_and_lists_the_functions(client, world):
    world.log_in(client, "gl")

    page = text(client.get(_url("quality_home", _onss(world))))

    assert "vous accédez en tant que Gestionnaire Local au portail de la Sécurité Sociale" in page
    assert "Pensez à vérifier régulièrement les données de la qualité que vous gérez." in page
    for item in (
        "Fonctionnalités",
        "Gestion Qualité",
        "Accueil",
        "Utilisateurs",
        "Consulter ou modifier le détail de la qualité",
        "Rechercher utilisateurs",
        "Données personnelles",
        "Modifier mes données personnelles",
        "Modifier mon mot de passe",
    ):
        assert item in page


def test_the_detail_counts_the_users(client, world):
    world.log_in(client, "gl")

    page = text(client.get(_url("quality_detail", _onss(world))))

    assert "Utilisateurs actifs" in page
    assert world.person("gl").full_name in page


def test_the_search_finds_users_of_managed_qualites_only(client, world):
    world.log_in(client, "gap")
    mine = world.person("user")
    theirs = world.person("other_user")

    found = text(client.get(reverse("access_managers:users_search"), {"q": mine.last_name[:4]}))
    niss = text(client.get(reverse("access_managers:users_search"), {"q": theirs.niss}))

    assert mine.last_name in found
    assert "aucun utilisateur" in niss.lower()


def test_names_follow_the_national_register(world):
    membership = _membership(world, "user")
    person = membership.person
    person.last_name = "Nouveaunom"
    person.save()

    assert membership_names.names_refresh() == 1
    membership.refresh_from_db()
    assert membership.last_name == "Nouveaunom"


def test_the_username_follows_the_account(world):
    """The membership keeps its person's username: given when the account is created or gets
    one, emptied when it goes; a bulk write is mended by `usernames_refresh`."""
    person = PersonFactory()
    membership = QualityMembershipFactory(quality=_onss(world), person=person)
    assert membership.username == ""

    account = UserFactory(person=person, username="Zelda.New")
    membership.refresh_from_db()
    assert membership.username == "Zelda.New"

    account.username = "zelda.renamed"
    account.save(update_fields=["username"])
    membership.refresh_from_db()
    assert membership.username == "zelda.renamed"

    QualityMembership.objects.filter(pk=membership.pk).update(username="stale")
    account.save(update_fields=["last_login"])  # a login's save leaves the memberships
    membership.refresh_from_db()
    assert membership.username == "stale"
    assert membership_names.usernames_refresh() == 1
    membership.refresh_from_db()
    assert membership.username == "zelda.renamed"

    account.delete()
    membership.refresh_from_db()
    assert membership.username == ""


def test_a_new_membership_takes_the_accounts_username(world):
    account = UserFactory(username="Yann.Existing")

    membership = QualityMembershipFactory(quality=_onss(world), person=account.person)

    assert membership.username == "Yann.Existing"


@pytest.mark.parametrize("sort", ["username", "-username"])
def test_the_username_column_sorts_and_filters_any_case(client, world, sort):
    for name in ("bravo.b", "Alpha.a", "charlie.c"):
        QualityMembershipFactory(quality=_onss(world), person=UserFactory(username=name).person)
    world.log_in(client, "gl")
    url = _url("quality_users", _onss(world))

    page = text(client.get(url, {"sort": sort, "username": "A"}))
    found = text(client.get(url, {"username": "BRAVO"}))

    assert page.index("Alpha.a") >= 0
    names = sorted(
        QualityMembership.objects.filter(
            quality=_onss(world), ended_at=None, username__istartswith="a"
        ).values_list("username", flat=True),
        key=str.upper,
        reverse=sort.startswith("-"),
    )
    positions = [page.index(f">{name}<") for name in names]
    assert positions == sorted(positions)
    assert "bravo.b" in found
    assert "charlie.c" not in found


# The kept counts (access_managers/counts.py) -----------------------------------------------


def _needs_postgresql():
    from django.db import connection

    from tests.services import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: its trigger keeps the counts")


def _kept(quality):
    quality.refresh_from_db()
    return quality.active_users, quality.blocked_users


def _counted(quality):
    current = QualityMembership.objects.filter(quality=quality, ended_at=None)
    return current.filter(status="active").count(), current.filter(status="blocked").count()


def test_the_counts_follow_every_change_of_the_memberships(client, world):
    _needs_postgresql()
    quality = _onss(world)
    assert _kept(quality) == _counted(quality) == (3, 1)
    _many(quality, 4)
    target = _membership(world, "user")
    world.log_in(client, "gl")

    _act(client, quality, "block", [target.pk])
    assert _kept(quality) == _counted(quality) == (6, 2)
    _act(client, quality, "delete", [target.pk])
    assert _kept(quality) == _counted(quality) == (6, 1)
    QualityMembership.objects.filter(quality=quality).update(status="blocked")
    assert _kept(quality) == _counted(quality) == (0, 7)
    QualityMembership.objects.filter(quality=quality, person=world.person("co_gl")).delete()
    assert _kept(quality) == _counted(quality) == (0, 6)


def test_the_page_shows_the_kept_count_without_counting(client, world):
    _needs_postgresql()
    quality = _onss(world)
    type(quality).objects.filter(pk=quality.pk).update(active_users=41, blocked_users=1)
    world.log_in(client, "gl")
    url = _url("quality_users", quality)

    assert "42 utilisateurs trouvés." in text(client.get(url))
    assert "1 utilisateur trouvé." in text(client.get(url, {"status": "blocked"}))
    assert "2 utilisateurs trouvés." in text(client.get(url, {"type": "USER"}))


def test_a_username_taken_meanwhile_is_refused_with_its_message(world, monkeypatch):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError

    from users.services import accounts

    def taken(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(accounts, "account_create", taken)
    person = PersonFactory()

    with pytest.raises(ValidationError) as refused:
        quality_users.user_create(
            quality=_onss(world),
            person=person,
            username="pris",
            password_hash="x",
            email="a@example.be",
            actor=world.actor("gl"),
        )

    assert refused.value.code == "username_taken"
    assert not QualityMembership.objects.filter(person=person).exists()
