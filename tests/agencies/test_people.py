"""The secretariat's people pages: inviting someone (the one-time, expiring link that sets their
password), memberships, groups, deactivating and reactivating, and agencies with their aliases.
The secretariat here is only in the Secretariat group: no superuser or staff rights."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agencies.models import Agency, AgencyAlias, ApiToken, Membership, PersonEvent
from agencies.people import services
from agencies.people.emails import invitation_message
from agencies.people.invitations import invitation_tokens
from agencies.roles import SECRETARIAT, VIEWER, is_secretariat
from tests.agencies.factories import AgencyAliasFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "kōwhai-tūī-harbour-91"


@pytest.fixture
def secretariat(secretariat_user):
    assert not secretariat_user.is_superuser and not secretariat_user.is_staff
    return secretariat_user


@pytest.fixture
def signed_in(client, secretariat, django_capture_on_commit_callbacks):
    """The secretariat's browser; what a request queues for after its commit (the invitation
    email) runs as the request ends, as it would outside the test's transaction."""
    client.force_login(secretariat)
    request = client.request

    def committing(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(**kwargs)

    client.request = committing
    return client


def invite_lead(client, agency, email="aroha.lead@customs.govt.nz"):
    return client.post(
        reverse("people:invite"),
        {
            "email": email,
            "first_name": "Aroha",
            "last_name": "Ngata",
            "place": "lead",
            "agency": agency.pk,
        },
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+/people/welcome/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def set_password_through(client, link: str, password: str = PASSWORD):
    """Follow the link (which moves the token into the session) and set the password."""
    page = client.get(path_of(link), follow=True)
    return page, client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path_of(link),
        {"new_password1": password, "new_password2": password},
    )


def test_an_invited_lead_sets_a_password_through_the_link_and_signs_in(signed_in, agency):
    response = invite_lead(signed_in, agency)

    person = User.objects.get(email="aroha.lead@customs.govt.nz")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.memberships.get().role == "lead" and person.memberships.get().agency == agency
    assert not person.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["aroha.lead@customs.govt.nz"]
    assert message.subject == "[IN CONFIDENCE] TSOC Tracker: you're invited — set your password"
    assert message.body.startswith("IN CONFIDENCE\n") and message.body.endswith("IN CONFIDENCE\n")
    assert "Agency lead, New Zealand Customs Service" in message.body
    html = message.alternatives[0][0]
    assert html.count("IN CONFIDENCE") == 2 and "Set your password" in html

    visitor = Client()
    assert not visitor.login(username=person.username, password=PASSWORD)  # not until it's set
    page, done = set_password_through(visitor, link_in(message))
    assert page.status_code == 200 and "Set your password" in page.content.decode()
    assert done.status_code == 302 and done["Location"] == reverse("login")

    assert visitor.login(username=person.username, password=PASSWORD)
    assert visitor.get(reverse("reporting:my_actions")).status_code == 200
    assert [e.kind for e in person.person_events.order_by("at", "pk")] == [
        "invited",
        "password_set",
    ]


def test_the_invitation_link_works_only_once(signed_in, agency):
    invite_lead(signed_in, agency)
    link = link_in(mail.outbox[0])
    set_password_through(Client(), link)

    page = Client().get(path_of(link), follow=True)

    assert "This link doesn't work" in page.content.decode()
    assert "Set my password" not in page.content.decode()


def test_an_expired_invitation_link_is_refused(signed_in, agency, settings, monkeypatch):
    settings.INVITATION_TIMEOUT_DAYS = 7
    invite_lead(signed_in, agency)
    person = User.objects.get(email="aroha.lead@customs.govt.nz")
    token = path_of(link_in(mail.outbox[0])).rstrip("/").rsplit("/", 1)[1]
    assert invitation_tokens.check_token(person, token)

    later = invitation_tokens._now() + datetime.timedelta(days=7, minutes=1)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)

    assert not invitation_tokens.check_token(person, token)
    page, _ = set_password_through(Client(), link_in(mail.outbox[0]))
    assert "This link doesn't work" in page.content.decode()
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_a_password_reset_link_is_not_an_invitation_link(signed_in, agency):
    from django.contrib.auth.tokens import default_token_generator

    invite_lead(signed_in, agency)
    person = User.objects.get(email="aroha.lead@customs.govt.nz")

    assert not invitation_tokens.check_token(person, default_token_generator.make_token(person))


def test_a_deactivated_persons_invitation_link_stops_working(signed_in, secretariat, agency):
    invite_lead(signed_in, agency)
    person = User.objects.get(email="aroha.lead@customs.govt.nz")
    services.deactivate(person, by=secretariat)

    page, _ = set_password_through(Client(), link_in(mail.outbox[0]))

    assert "This link doesn't work" in page.content.decode()


def test_inviting_an_email_that_has_an_account_says_so_and_links_to_them(signed_in, agency, lead):
    response = invite_lead(signed_in, agency, email=lead.email.upper())

    assert response.status_code == 400
    page = response.content.decode()
    assert f"{lead.email} already has an account" in page
    assert f'href="/people/{lead.pk}/"' in page
    assert mail.outbox == [] and User.objects.filter(email__iexact=lead.email).count() == 1


def test_an_agency_lead_or_contributor_needs_an_agency(signed_in):
    response = signed_in.post(
        reverse("people:invite"),
        {"email": "x@example.govt.nz", "first_name": "X", "last_name": "Y", "place": "lead"},
    )

    assert response.status_code == 400
    assert "Choose the agency" in response.content.decode()
    assert not User.objects.filter(email="x@example.govt.nz").exists()


def test_an_invited_secretariat_member_gets_the_group_and_the_admin_and_must_use_two_step(
    signed_in, secretariat
):
    signed_in.post(
        reverse("people:invite"),
        {
            "email": "tama@tsoc.govt.nz",
            "first_name": "Tama",
            "last_name": "Rewi",
            "place": "secretariat",
        },
    )
    person = User.objects.get(email="tama@tsoc.govt.nz")
    assert is_secretariat(person) and person.is_staff and not person.is_superuser
    visitor = Client()
    set_password_through(visitor, link_in(mail.outbox[0]))

    signing_in = visitor.post(
        reverse("login"), {"username": "tama@tsoc.govt.nz", "password": PASSWORD}
    )

    assert signing_in["Location"] == reverse("signin:set_up")  # the existing first-sign-in flow
    assert "_auth_user_id" not in visitor.session


def test_memberships_are_added_changed_and_removed_with_who_did_it(secretariat, agency, lead):
    police = Agency.objects.create(name="New Zealand Police", short_name="Police", slug="police")

    added = services.add_membership(lead, police, "contributor", by=secretariat)
    added_pk = added.pk
    services.change_role(added, "lead", by=secretariat)
    services.remove_membership(added, by=secretariat)

    history = Membership.history.filter(id=added_pk).order_by("history_date")
    assert [(h.history_type, h.role, h.history_user) for h in history] == [
        ("+", "contributor", secretariat),
        ("~", "lead", secretariat),
        ("-", "lead", secretariat),
    ]
    assert list(lead.memberships.values_list("agency__slug", flat=True)) == ["customs"]


def test_a_persons_page_lists_the_changes_to_their_agencies_with_who_made_them(
    signed_in, secretariat, lead, agency
):
    membership = lead.memberships.get()
    signed_in.post(
        reverse("people:membership_change", args=[membership.pk]),
        {f"m{membership.pk}-role": "contributor"},
    )

    page = signed_in.get(reverse("people:person", args=[lead.pk])).content.decode()

    changes = page[page.index("Changes to their agencies") :]
    assert "Role changed in Customs: Contributor" in changes
    assert secretariat.get_full_name() in changes


def test_adding_someone_to_an_agency_they_are_in_says_so(secretariat, agency, lead):
    with pytest.raises(ValidationError, match="in Customs already"):
        services.add_membership(lead, agency, "contributor", by=secretariat)


def test_groups_change_and_staff_status_follows_the_secretariat(secretariat, contributor):
    services.change_groups(contributor, {SECRETARIAT, VIEWER}, by=secretariat)
    contributor.refresh_from_db()
    assert contributor.is_staff
    assert set(contributor.groups.values_list("name", flat=True)) == {SECRETARIAT, VIEWER}

    services.change_groups(contributor, {VIEWER}, by=secretariat)
    contributor.refresh_from_db()
    assert not contributor.is_staff
    event = contributor.person_events.first()
    assert event.kind == "groups_changed" and event.by == secretariat
    assert event.detail == f"{SECRETARIAT}, {VIEWER} → {VIEWER}"


def test_nobody_takes_themselves_out_of_the_secretariat(secretariat):
    with pytest.raises(ValidationError, match="yourself"):
        services.change_groups(secretariat, set(), by=secretariat)


def test_deactivating_ends_a_live_session_and_revokes_api_tokens(signed_in, secretariat, lead):
    browser = Client()
    browser.force_login(lead)
    assert browser.get(reverse("reporting:my_actions")).status_code == 200
    token, key = ApiToken.objects.issue(lead, name="Customs Power BI")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200

    response = signed_in.post(reverse("people:deactivate", args=[lead.pk]))

    assert response.status_code == 302
    lead.refresh_from_db()
    token.refresh_from_db()
    assert not lead.is_active and token.revoked_at is not None
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(lead.pk) for s in Session.objects.all()
    )
    assert browser.get(reverse("reporting:my_actions"))["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/me/").status_code == 401
    assert lead.memberships.exists()  # their place and history stay
    event = lead.person_events.get()
    assert (event.kind, event.by, event.detail) == (
        "deactivated",
        secretariat,
        "1 session ended, 1 API token revoked",
    )


def test_a_reactivated_person_signs_in_again_but_their_old_tokens_stay_revoked(secretariat, lead):
    token, _ = ApiToken.objects.issue(lead, name="Old token")
    services.deactivate(lead, by=secretariat)

    services.reactivate(lead, by=secretariat)

    assert Client().login(username=lead.username, password="correct-horse-battery")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert [e.kind for e in lead.person_events.order_by("at", "pk")] == [
        "deactivated",
        "reactivated",
    ]


def test_nobody_deactivates_themselves(secretariat):
    with pytest.raises(ValidationError, match="your own account"):
        services.deactivate(secretariat, by=secretariat)


@pytest.mark.parametrize("who", ["lead", "contributor", "viewer", "outsider"])
def test_only_the_secretariat_may_invite_or_change_people(request, who, agency, other_lead):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.invite(
            email="new@example.govt.nz",
            first_name="N",
            last_name="P",
            place="lead",
            agency=agency,
            by=user,
        )
    with pytest.raises(PermissionDenied):
        services.deactivate(other_lead, by=user)
    with pytest.raises(PermissionDenied):
        services.save_agency(None, name="X", short_name="X", email="", aliases=[], by=user)
    assert other_lead.is_active and not User.objects.filter(email="new@example.govt.nz").exists()


def test_the_secretariat_cant_deactivate_a_superuser(secretariat):
    admin = UserFactory(username="root", is_superuser=True)

    with pytest.raises(PermissionDenied):
        services.deactivate(admin, by=secretariat)


def test_the_people_list_shows_agency_role_last_sign_in_and_state(signed_in, lead, agency):
    lead.last_login = datetime.datetime(2026, 12, 1, 0, 21, tzinfo=datetime.UTC)
    lead.save()
    invited = UserFactory(username="new.person", email="new@customs.govt.nz")
    invited.set_unusable_password()
    invited.save()
    gone = UserFactory(username="gone", is_active=False)
    MembershipFactory(user=gone, agency=agency, role="contributor")

    page = signed_in.get(reverse("people:list")).content.decode()

    row = page[page.index(lead.get_full_name()) :]
    row = row[: row.index("</tr>")]
    assert "Agency lead, Customs" in row and "1 Dec 2026, 1.21 pm" in row and "Active" in row
    assert "Invited: password not set yet" in page and "Deactivated" in page


def names_listed(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/people/\d+/">([^<]+)</a>', page)


def test_the_people_list_shows_fifty_at_a_time_with_links_to_the_rest(signed_in, secretariat):
    User.objects.bulk_create(
        User(username=f"p{n:03}", first_name="Person", last_name=f"{n:03}") for n in range(120)
    )

    first = signed_in.get(reverse("people:list")).content.decode()
    last = signed_in.get(reverse("people:list"), {"page": "3"}).content.decode()

    assert "<caption>Showing 1–50 of 121 people</caption>" in first
    assert len(names_listed(first)) == 50
    assert 'href="?page=2" rel="next"' in first
    assert "<caption>Showing 101–121 of 121 people</caption>" in last
    assert len(names_listed(last)) == 21


def test_people_are_found_by_every_word_of_a_name_or_email_and_by_agency(
    signed_in, agency, other_agency
):
    aroha = UserFactory(username="aroha", first_name="Aroha", last_name="Ngata")
    MembershipFactory(user=aroha, agency=agency, role="lead")
    UserFactory(username="aroha.w", first_name="Aroha", last_name="Williams")
    UserFactory(username="hemi", first_name="Hemi", last_name="Ngata", email="hemi@police.govt.nz")

    def found(**query):
        return names_listed(signed_in.get(reverse("people:list"), query).content.decode())

    assert found(person="aroha ngata") == ["Aroha Ngata"]
    assert found(person="NGATA") == ["Aroha Ngata", "Hemi Ngata"]
    assert found(person="police.govt") == ["Hemi Ngata"]
    assert found(person="aroha", agency=agency.slug) == ["Aroha Ngata"]
    assert found(agency=other_agency.slug) == []


def test_a_search_that_finds_no_one_says_so_and_keeps_what_was_typed(signed_in):
    page = signed_in.get(reverse("people:list"), {"person": "Tūī Nobody"}).content.decode()

    assert "No one matches that search" in page
    assert 'value="Tūī Nobody"' in page
    assert 'id="site-search" name="q" placeholder="Search" value=""' in page  # not the header's
    assert "Clear the search and show everyone" in page


def test_an_agency_that_does_not_exist_is_refused_and_the_words_still_searched(signed_in):
    UserFactory(username="aroha", first_name="Aroha", last_name="Ngata")

    page = signed_in.get(
        reverse("people:list"), {"person": "aroha", "agency": "nope"}
    ).content.decode()

    assert "There is no such agency: choose one from the list." in page
    assert names_listed(page) == ["Aroha Ngata"]


def test_the_pages_of_a_search_keep_the_search(signed_in):
    User.objects.bulk_create(
        User(username=f"kauri{n:03}", first_name="Kauri", last_name=f"{n:03}") for n in range(60)
    )

    page = signed_in.get(reverse("people:list"), {"person": "kauri"}).content.decode()

    assert "<caption>Showing 1–50 of 60 people found</caption>" in page
    assert 'href="?person=kauri&amp;page=2" rel="next"' in page


# Agencies -----------------------------------------------------------------------------------


def test_an_agency_is_added_with_its_aliases_and_inbox(signed_in, secretariat):
    response = signed_in.post(
        reverse("people:agency_add"),
        {
            "name": "Department of Internal Affairs",
            "maori_name": "Te Tari Taiwhenua",
            "short_name": "DIA",
            "email": "tsoc@dia.govt.nz",
            "aliases": "Internal Affairs\n  Te Tari Taiwhenua \n\nInternal Affairs",
        },
    )

    assert response.status_code == 302
    dia = Agency.objects.get(short_name="DIA")
    assert dia.slug == "dia" and dia.email == "tsoc@dia.govt.nz"
    assert dia.maori_name == "Te Tari Taiwhenua"
    assert sorted(dia.aliases.values_list("name", flat=True)) == [
        "Internal Affairs",
        "Te Tari Taiwhenua",
    ]
    assert Agency.history.get(id=dia.pk).history_user == secretariat


def test_an_alias_that_names_another_agency_is_a_clear_error(signed_in, agency, other_agency):
    AgencyAliasFactory(agency=agency, name="NZ Customs")

    response = signed_in.post(
        reverse("people:agency_edit", args=["police"]),
        {
            "name": "New Zealand Police",
            "short_name": "Police",
            "email": "",
            "aliases": "Police NZ\nnz customs",
        },
    )

    assert response.status_code == 400
    assert "“nz customs” already names New Zealand Customs Service" in response.content.decode()
    assert not AgencyAlias.objects.filter(agency=other_agency).exists()  # nothing half saved


def test_editing_an_agency_keeps_exactly_the_aliases_given(secretariat, agency):
    AgencyAliasFactory(agency=agency, name="NZ Customs")
    AgencyAliasFactory(agency=agency, name="Customs Service")

    services.save_agency(
        agency,
        name=agency.name,
        short_name="Customs",
        email="returns@customs.govt.nz",
        aliases=["NZ Customs", "Te Mana Ārai o Aotearoa"],
        by=secretariat,
    )

    assert sorted(agency.aliases.values_list("name", flat=True)) == [
        "NZ Customs",
        "Te Mana Ārai o Aotearoa",
    ]
    removed = AgencyAlias.history.get(name="Customs Service", history_type="-")
    assert removed.history_user == secretariat


def test_changing_an_agency_without_its_maori_name_keeps_the_one_stored(secretariat, agency):
    agency.maori_name = "Te Mana Ārai o Aotearoa"
    agency.save()

    services.save_agency(
        agency, name=agency.name, short_name="Customs", email="", aliases=[], by=secretariat
    )

    agency.refresh_from_db()
    assert agency.maori_name == "Te Mana Ārai o Aotearoa"


def test_person_events_name_who_did_it(secretariat, agency):
    person = services.invite(
        email="Mere@Customs.govt.nz",
        first_name="Mere",
        last_name="Hohaia",
        place="contributor",
        agency=agency,
        by=secretariat,
    )

    assert person.username == person.email == "mere@customs.govt.nz"
    event = PersonEvent.objects.get(person=person)
    assert (event.kind, event.by, event.detail) == (
        "invited",
        secretariat,
        "as Agency contributor, Customs",
    )


def test_emails_are_written_in_english_whatever_language_the_sender_reads(lead, secretariat_user):
    english = invitation_message(lead, invited_by=secretariat_user)
    with translation.override("mi"):
        while_reading_maori = invitation_message(lead, invited_by=secretariat_user)

    assert while_reading_maori.subject == english.subject
    assert while_reading_maori.body == english.body
    assert while_reading_maori.alternatives == english.alternatives
    assert re.search(r"\d{1,2} [A-Z][a-z]+ 20\d\d", english.body)  # a date, its month in English
