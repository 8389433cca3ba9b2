"""Institution sign-in is off unless configured; half a configuration stops start-up in one line."""

from django.test import Client
from django.urls import reverse

from tests.helpers import run_manage
from tests.project.test_settings import one_line_error


def test_without_configuration_there_is_no_institution_button_and_its_urls_are_404(db):
    page = Client().get(reverse("login")).text
    assert 'id="institution-sign-in"' not in page
    assert Client().get(reverse("oidc_authentication_init")).status_code == 404
    assert Client().get(reverse("oidc_authentication_callback")).status_code == 404


def test_with_configuration_the_sign_in_page_offers_the_institution(db, settings):
    settings.OIDC_ENABLED = True
    page = Client().get(reverse("login") + "?next=/sessions/1/").text
    assert 'id="institution-sign-in"' in page
    assert reverse("oidc_authentication_init") + "?next=/sessions/1/" in page


def test_a_client_id_without_the_endpoints_stops_start_up_naming_what_is_missing():
    env = {"DEBUG": "1", "OIDC_RP_CLIENT_ID": "sms-tool"}
    [line] = one_line_error(run_manage("check", env=env))
    assert line.startswith(
        "Configuration error: OIDC_RP_CLIENT_SECRET must be set when OIDC_RP_CLIENT_ID is set"
    )
