"""Static files configuration for the npm packages served through staticfiles."""

from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


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
