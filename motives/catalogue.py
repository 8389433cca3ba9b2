"""The motive catalogue, kept in fixtures/motive_catalogue.json and upserted by code."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

CATALOGUE_FILE = Path(settings.BASE_DIR) / "fixtures" / "motive_catalogue.json"

LOCALIZED_FIELDS = ("label_nl", "label_en", "explanation_nl", "explanation_en")


class CatalogueError(ValidationError):
    pass


def read_catalogue(path=CATALOGUE_FILE):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        clusters = data["clusters"]
        for cluster in clusters:
            for field in ("code", "order", "label_nl", "label_en", "motives"):
                cluster[field]  # noqa: B018 - presence check
            for motive in cluster["motives"]:
                for field in ("code", "order", "label_nl", "label_en", "audience"):
                    motive[field]  # noqa: B018 - presence check
    except FileNotFoundError:
        raise CatalogueError(f"The motive catalogue {path} is missing.") from None
    except json.JSONDecodeError as error:
        raise CatalogueError(f"The motive catalogue {path} is not valid JSON: {error}.") from None
    except (KeyError, TypeError) as error:
        raise CatalogueError(f"The motive catalogue {path} lacks the field {error}.") from None
    return clusters


@transaction.atomic
def sync_catalogue(*, path=CATALOGUE_FILE, using="default"):
    """Create or update every cluster and motive of the catalogue file by its code.

    Motives that left the file are not deleted (answers refer to them); they are
    marked inactive so new formats stop offering them. Returns (created, updated).
    """
    from motives.models import Cluster, Motive

    created = updated = 0
    seen_codes = []
    for cluster_data in read_catalogue(path):
        cluster, _ = Cluster.objects.using(using).update_or_create(
            code=cluster_data["code"],
            defaults={"order": cluster_data["order"]}
            | {field: cluster_data.get(field, "") for field in LOCALIZED_FIELDS},
        )
        for motive_data in cluster_data["motives"]:
            defaults = {
                "cluster": cluster,
                "order": motive_data["order"],
                "audience": motive_data["audience"],
                "source": motive_data.get("source", "article"),
                "active": True,
            } | {field: motive_data.get(field, "") for field in LOCALIZED_FIELDS}
            _, was_created = Motive.objects.using(using).update_or_create(
                code=motive_data["code"], defaults=defaults
            )
            created += was_created
            updated += not was_created
            seen_codes.append(motive_data["code"])
    Motive.objects.using(using).exclude(code__in=seen_codes).update(active=False)
    return created, updated


def sync_catalogue_after_migrate(sender, using="default", plan=None, **kwargs):
    from django.db import connections

    if "motives_motive" not in connections[using].introspection.table_names():
        return
    sync_catalogue(using=using)
