"""The learning community's logo: what may be uploaded, and how it is stored.

Only PNG and JPEG images of at most MAX_BYTES and MAX_PIXELS are taken. Each is
decoded by Pillow and written again as a PNG of at most STORED_MAX_SIDE pixels a
side, so what is stored is always a plain image (no metadata, no scripts, nothing
the PDF renderer could fetch), small enough for every report.
"""

import io

from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from sms_tool.errors import DomainError

ALLOWED_FORMATS = {"PNG", "JPEG"}
MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 6000 * 6000
STORED_MAX_SIDE = 800


def not_an_image() -> DomainError:
    return DomainError(
        _("The logo must be a PNG or JPEG image. This file is not one, or it is damaged."),
        field="logo",
    )


def normalised_logo(upload) -> ContentFile:
    """The uploaded file as a checked, re-encoded PNG; DomainError with the reason if not."""
    if upload.size > MAX_BYTES:
        raise DomainError(
            _("The logo is %(size)s; it may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)},
            field="logo",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ALLOWED_FORMATS:
                raise not_an_image()
            if image.width * image.height > MAX_PIXELS:
                raise DomainError(
                    _(
                        "The logo is %(width)d × %(height)d pixels; "
                        "it may have at most %(limit)d million pixels."
                    )
                    % {
                        "width": image.width,
                        "height": image.height,
                        "limit": MAX_PIXELS // 1_000_000,
                    },
                    field="logo",
                )
            image.load()
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
            if picture.mode not in ("RGB", "RGBA"):
                picture = picture.convert("RGBA")
            out = io.BytesIO()
            picture.save(out, format="PNG", optimize=True)
    except DomainError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise not_an_image() from None
    return ContentFile(out.getvalue(), name="logo.png")
