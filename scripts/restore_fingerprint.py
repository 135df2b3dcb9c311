"""Prints what a backup must bring back, as JSON, for the database DATABASE_URL names: the
migrations applied, the number of rows of every table the application owns, and for every
stored file (a Final version's PDFs and figures, a draft PDF, a chart drawing) whether it still
matches the checksum stored beside it. scripts/backup-restore-check.sh compares the
fingerprint of a database with that of its restored dump.

    DATABASE_URL=postgres://... .venv/bin/python scripts/restore_fingerprint.py
"""

import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bettercare.settings")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.db.migrations.recorder import MigrationRecorder  # noqa: E402


def sha256(content) -> str:
    return hashlib.sha256(bytes(content)).hexdigest()


def fingerprint() -> dict:
    rows = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    files = {}
    PackVersion = apps.get_model("reports", "PackVersion")
    for version in PackVersion.objects.order_by("pk"):
        label = f"pack {version.pack_id} v{version.number}"
        files[f"{label} full"] = sha256(version.full_pdf) == version.full_sha256
        files[f"{label} public"] = sha256(version.public_pdf) == version.public_sha256
        files[f"{label} figures"] = sha256(version.figures_json) == version.figures_sha256
        files[f"{label} sha256"] = version.full_sha256
    for build in apps.get_model("reports", "PackBuild").objects.order_by("pk"):
        files[f"draft {build.pk}"] = sha256(build.pdf) == build.sha256
    drawings = apps.get_model("reports", "ChartDrawing").objects.order_by("key")
    files["chart drawings"] = sha256("".join(d.key + d.svg for d in drawings).encode())
    return {
        "migrations": MigrationRecorder.Migration.objects.count(),
        "rows": rows,
        "files": files,
    }


if __name__ == "__main__":
    print(json.dumps(fingerprint(), indent=2, sort_keys=True))
