"""Static files from npm packages: NHS.UK frontend and plotly.js (its strict bundle)."""

import re
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
        "nhsuk-frontend.min.css",  # served by NhsukStylesheetFinder, without its web font
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
    """Serves plotly.js as `plotly/plotly-strict.min.js` from the npm package
    plotly.js-strict-dist-min, and nothing else of that package.

    The strict bundle is the one that runs under the Content-Security-Policy: the full bundle
    needs 'unsafe-eval' (a Function constructor in one of its dependencies). It holds every trace
    type the charts use; its version is kept equal to the plotly.js of the plotly Python
    package, which builds the figures (a test checks)."""

    static_path = "plotly/plotly-strict.min.js"
    file_name = "plotly-strict.min.js"

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        directory = Path(settings.NODE_MODULES) / "plotly.js-strict-dist-min"
        self.storage = FileSystemStorage(location=str(directory))
        self.storage.prefix = "plotly"
        super().__init__(*args, **kwargs)

    def find(self, path, find_all=False, **kwargs):
        if path != self.static_path:
            return []  # as Django's own finders answer "not here"
        match = self.storage.path(self.file_name)
        return [match] if find_all else match

    def list(self, ignore_patterns):
        yield self.file_name, self.storage


class NhsukStylesheetFinder(BaseFinder):
    """Serves NHS.UK frontend's stylesheet as `nhsuk/nhsuk-frontend.min.css` without its
    @font-face rules, which name the Frutiger web font on assets.nhs.uk.

    The service makes no request to other sites and uses Arial (see bettercare.css); under the
    Content-Security-Policy (font-src 'self') Chromium reports each remote @font-face as a
    violation even when no text uses it. The file is derived from the npm package's, in
    build/ (git-ignored), whenever the package's is newer."""

    static_path = "nhsuk/nhsuk-frontend.min.css"
    file_name = "nhsuk-frontend.min.css"
    _remote_font_face = re.compile(r"@font-face\s*\{[^}]*https?://[^}]*\}")

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        self.source = (
            Path(settings.NODE_MODULES) / "nhsuk-frontend" / "dist" / "nhsuk" / self.file_name
        )
        self.storage = FileSystemStorage(location=str(Path(settings.BASE_DIR) / "build" / "nhsuk"))
        self.storage.prefix = "nhsuk"
        super().__init__(*args, **kwargs)

    def _derived(self) -> str:
        target = Path(self.storage.location) / self.file_name
        if not target.exists() or target.stat().st_mtime < self.source.stat().st_mtime:
            target.parent.mkdir(parents=True, exist_ok=True)
            css = self._remote_font_face.sub("", self.source.read_text(encoding="utf-8"))
            partial = target.with_suffix(".tmp")
            partial.write_text(css, encoding="utf-8")
            partial.replace(target)  # whole, even with several processes starting at once
        return str(target)

    def find(self, path, find_all=False, **kwargs):
        if path != self.static_path:
            return []
        match = self._derived()
        return [match] if find_all else match

    def list(self, ignore_patterns):
        self._derived()
        yield self.file_name, self.storage
