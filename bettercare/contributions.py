"""What the apps above bettercare add to the service, found through their AppConfigs.

bettercare names no app above it. An app joins the service by saying, in its AppConfig, what it
brings; this module gathers those contributions in the order of INSTALLED_APPS:

    url_prefix = "finance/"             its pages, `<app>.urls` included at that prefix
                                        ("" for pages at the site's root, as /account/)
    navigation = ("Finance", "finance:index")
                                        its entry in the header's navigation
    def home_tasks(self, *, user, area, quarter) -> list[Task]
                                        what the person should do this quarter, on the home page
    def load_demo(self, *, area, log)   its Southampton demo records (`manage.py load_demo`)
    def load_demo_scaled(self, *, area, scale, years, log)
                                        its records of another demo area, made from
                                        Southampton's (`bettercare.demo_scaling.Scale`)
    def scaled_demo_loaders() -> list:
    return [c.load_demo_scaled for c in _configs() if hasattr(c, "load_demo_scaled")]


def scheme_funding(self, *, scheme, quarter) -> SchemeFunding | None
                                        the figures a scheme's highlight report starts with
                                        (finance provides them; schemes asks for them here)

A new app adds what it needs to its own AppConfig; nothing here changes.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import AppConfig, apps


def _configs() -> Iterator[AppConfig]:
    yield from apps.get_app_configs()


def url_prefixes() -> list[tuple[str, str]]:
    """(prefix, app name) of each app with pages."""
    return [
        (c.url_prefix, c.name) for c in _configs() if getattr(c, "url_prefix", None) is not None
    ]


def navigation() -> list[tuple[str, str, str]]:
    """(app label, label, URL name) of each entry in the header's navigation."""
    return [(c.label, *c.navigation) for c in _configs() if getattr(c, "navigation", None)]


def home_tasks(*, user, area, quarter) -> list:
    tasks = []
    for config in _configs():
        if hasattr(config, "home_tasks"):
            tasks.extend(config.home_tasks(user=user, area=area, quarter=quarter))
    return tasks


def demo_loaders() -> list:
    return [config.load_demo for config in _configs() if hasattr(config, "load_demo")]


def scaled_demo_loaders() -> list:
    return [c.load_demo_scaled for c in _configs() if hasattr(c, "load_demo_scaled")]


def scheme_funding(*, scheme, quarter):
    """The funding figures a scheme's report for `quarter` starts with, from the app that keeps
    them (finance), or None when no app does or it has none."""
    for config in _configs():
        if hasattr(config, "scheme_funding"):
            return config.scheme_funding(scheme=scheme, quarter=quarter)
    return None
