"""Static files from packages: NHS.UK frontend (npm) and plotly.js (the plotly package)."""

from pathlib import Path

from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class StaticFilesConfig(BaseStaticFilesConfig):
    """Static files, leaving out the sources that npm packages ship beside their compiled
    bundles (Sass, ES modules, templates, per-component scripts): only the bundle and its
    assets are served."""

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "*.scss",
        "*.scss.map",
        "*.mjs",
        "*.mjs.map",
        "*.d.mts",
        "*.d.mts.map",
        "*.njk",
        "nhsuk-frontend-*",
        "nhsuk-frontend.css",
        "nhsuk-frontend.css.map",
        "nhsuk-frontend.js",
        "nhsuk-frontend.js.map",
        "nhsuk.js",
        "nhsuk.js.map",
        "component.js*",
        "configurable-component.js*",
        "i18n.js*",
        "index.js*",
        "components",
        "common",
        "core",
        "errors",
        "lib",
        "macros",
    ]


class PlotlyJsFinder(BaseFinder):
    """Serves plotly.js from the plotly Python package as `plotly/plotly.min.js`, and nothing
    else of that package (it also ships data sets and templates)."""

    static_path = "plotly/plotly.min.js"

    def __init__(self, *args, **kwargs):
        import plotly

        directory = Path(plotly.__file__).parent / "package_data"
        self.storage = FileSystemStorage(location=str(directory))
        self.storage.prefix = "plotly"
        super().__init__(*args, **kwargs)

    def find(self, path, find_all=False, **kwargs):
        if path != self.static_path:
            return []  # as Django's own finders answer "not here"
        match = self.storage.path("plotly.min.js")
        return [match] if find_all else match

    def list(self, ignore_patterns):
        yield "plotly.min.js", self.storage
