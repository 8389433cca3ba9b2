"""The learning community's logo: uploaded on the community's edit page by its
coordinators, checked (type, size), stored under MEDIA_ROOT with a random name and
served only to the coordinators; it appears on the report's cover."""

import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from partnerships import logos, services
from partnerships.models import LearningCommunity
from sms_tool.errors import DomainError
from tests import factories


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def olga(db):
    """Coordinator of another learning community."""
    person = factories.UserFactory(email="olga@example.org", name="Olga")
    factories.LearningCommunityFactory(name="Other LC").coordinators.add(person)
    return person


def image_file(kind="PNG", size=(240, 120), name=None, noise=False):
    picture = Image.new("RGB", size, (29, 78, 137))
    if noise:
        picture = Image.frombytes("RGB", size, __import__("os").urandom(size[0] * size[1] * 3))
    data = io.BytesIO()
    picture.save(data, format=kind)
    extension = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "BMP": "bmp"}[kind]
    return SimpleUploadedFile(name or f"logo.{extension}", data.getvalue())


def stored(community):
    return LearningCommunity.objects.get(pk=community.pk)


def logo_edit_url(community):
    return reverse("community_logo_edit", args=[community.pk])


def post_logo(client, community, upload=None, **extra):
    data = {"logo-remove": ""} | extra
    if upload is not None:
        data["logo-logo"] = upload
    return client.post(logo_edit_url(community), data)


# --- the check of the file itself --------------------------------------------------


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_png_or_jpeg_is_taken_and_stored_as_a_small_png(kind, english):
    picture = logos.normalised_logo(image_file(kind, size=(2400, 1200)))
    with Image.open(io.BytesIO(picture.read())) as stored_image:
        assert stored_image.format == "PNG"
        assert max(stored_image.size) == logos.STORED_MAX_SIDE


@pytest.mark.parametrize(
    "upload",
    [
        image_file("GIF"),
        image_file("BMP"),
        SimpleUploadedFile("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"broken" * 10),
        SimpleUploadedFile("logo.png", b""),
    ],
    ids=["gif", "bmp", "svg named png", "damaged png", "empty"],
)
def test_anything_but_a_png_or_jpeg_is_refused_with_the_reason(upload, english):
    with pytest.raises(DomainError, match="must be a PNG or JPEG image") as refused:
        logos.normalised_logo(upload)
    assert refused.value.field == "logo"


def test_a_file_over_the_size_limit_is_refused_with_its_size_and_the_limit(english):
    upload = image_file(size=(1000, 1000), noise=True)
    assert upload.size > logos.MAX_BYTES
    with pytest.raises(DomainError, match=r"it may be at most 2\.0\sMB"):
        logos.normalised_logo(upload)


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(english):
    with pytest.raises(DomainError, match="at most 36 million pixels"):
        logos.normalised_logo(image_file(size=(7000, 6000)))


# --- the services ------------------------------------------------------------------


def test_a_new_logo_replaces_the_old_file(community, django_capture_on_commit_callbacks):
    dave = factories.UserFactory()
    community.coordinators.add(dave)
    with django_capture_on_commit_callbacks(execute=True):
        services.community_logo_set(community=community, by=dave, upload=image_file())
    first = stored(community).logo
    assert re.fullmatch(r"community-logos/[0-9a-f]{32}\.png", first.name), "a random name"
    first_path = first.path
    with django_capture_on_commit_callbacks(execute=True):
        services.community_logo_set(community=community, by=dave, upload=image_file("JPEG"))
    second = stored(community).logo
    assert second.name != first.name
    assert second.storage.exists(second.name)
    assert not first.storage.exists(first.name), first_path
    with django_capture_on_commit_callbacks(execute=True):
        services.community_logo_remove(community=community, by=dave)
    assert not stored(community).logo
    assert not second.storage.exists(second.name)


def test_only_a_coordinator_of_the_community_sets_its_logo(community, olga, english):
    with pytest.raises(DomainError, match="Only a coordinator of this learning community"):
        services.community_logo_set(community=community, by=olga, upload=image_file())
    assert not stored(community).logo


# --- the page ------------------------------------------------------------------------


def test_the_coordinator_uploads_a_logo_on_the_edit_page_and_sees_it(sign_in, community):
    client = sign_in("dave")
    page = client.get(reverse("community_edit", args=[community.pk])).text
    assert 'enctype="multipart/form-data"' in page
    assert "This learning community has no logo yet." in page
    response = post_logo(client, community, image_file())
    assert response.status_code == 302
    assert stored(community).logo
    page = client.get(reverse("community_edit", args=[community.pk])).text
    assert "The logo is saved." in page
    logo_url = reverse("community_logo", args=[community.pk])
    assert logo_url in page
    image = client.get(logo_url)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("language", "upload", "message"),
    [
        ("en", SimpleUploadedFile("logo.pdf", b"%PDF-1.7"), "The logo must be a PNG or JPEG image"),
        ("nl", SimpleUploadedFile("logo.pdf", b"%PDF-1.7"), "Het logo moet een PNG- of JPEG"),
        ("en", "large", "it may be at most 2.0 MB"),
        ("nl", "large", "het mag hoogstens 2,0 MB zijn"),
        ("en", None, "Choose an image to upload"),
        ("nl", None, "Kies een afbeelding om te uploaden"),
    ],
)
def test_a_refused_file_gives_the_form_back_with_the_reason(
    client, session, community, language, upload, message
):
    client.force_login(session.people["dave"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if upload == "large":
        upload = image_file(size=(1000, 1000), noise=True)
    response = post_logo(client, community, upload)
    assert response.status_code == 400
    assert message in response.content.decode().replace("\xa0", " ")
    assert not stored(community).logo


def test_a_coordinator_of_another_community_can_neither_upload_nor_see_the_logo(
    client, session, community, olga
):
    client.force_login(session.people["dave"])
    post_logo(client, community, image_file())
    logo = stored(community).logo.name
    client.force_login(olga)
    assert post_logo(client, community, image_file("JPEG")).status_code == 404
    assert post_logo(client, community, remove="on").status_code == 404
    assert stored(community).logo.name == logo
    assert client.get(reverse("community_logo", args=[community.pk])).status_code == 404


@pytest.mark.parametrize("person", ["alice", "carol", "mallory"])
def test_partners_facilitators_and_outsiders_get_404_for_the_logo(
    client, session, community, person
):
    client.force_login(session.people["dave"])
    post_logo(client, community, image_file())
    client.force_login(session.people[person])
    assert client.get(reverse("community_logo", args=[community.pk])).status_code == 404
    assert post_logo(client, community, remove="on").status_code == 404
    assert stored(community).logo


def test_a_community_without_a_logo_gives_404_for_its_logo(sign_in, community):
    assert sign_in("dave").get(reverse("community_logo", args=[community.pk])).status_code == 404
