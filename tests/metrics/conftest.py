import pytest

from bettercare.tabular import FileRefused
from metrics.imports import metric_file_check
from metrics.models import MetricImport
from metrics.services import metric_file_import


@pytest.fixture
def load(db):
    """`load(csv_bytes)` applies a file through the import service, as the command does."""

    def apply(content: bytes, file_name="figures.csv", **kwargs):
        kwargs.setdefault("via", MetricImport.Via.COMMAND)
        return metric_file_import(content=content, file_name=file_name, **kwargs)

    return apply


@pytest.fixture
def refusal(db):
    """`refusal(csv_bytes)` -> the FileRefused a bad file raises."""

    def check(content: bytes, file_name="figures.csv", **kwargs):
        with pytest.raises(FileRefused) as caught:
            metric_file_check(content=content, file_name=file_name, **kwargs)
        return caught.value

    return check
