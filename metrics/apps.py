from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _catalogue_ensure(sender, using="default", **kwargs) -> None:
    # The catalogue is set-up data, loaded by a migration: a database emptied since (`flush`,
    # as after a transactional test) gets it back, as the role groups come back. Metrics already
    # there, edited or not, are left alone. Only once this app's migrations are all applied:
    # the catalogue fills today's tables.
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    from .services import metric_catalogue_ensure

    executor = MigrationExecutor(connections[using])
    latest = [node for node in executor.loader.graph.leaf_nodes() if node[0] == sender.label]
    if not executor.migration_plan(latest):
        metric_catalogue_ensure()


_READ = {
    "metrics.view_metric",
    "metrics.view_metricvalue",
    "metrics.view_metricimport",
    "metrics.view_spcrecalculation",
    "metrics.view_metricsettings",
    "metrics.view_population",
    "metrics.view_planrevision",
    "metrics.view_supersededplan",
}


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Metrics"
    url_prefix = "metrics/"
    navigation = ("Metrics", "metrics:index")
    # What each role may do with this app's records (see bettercare.roles). Superusers keep
    # the catalogue; analysts load the figures and populations, mark SPC recalculation points
    # and choose each metric's SPC options and commentary lines; everyone else reads.
    role_permissions = {
        # The catalogue and its RAG thresholds are national: changed by superusers only.
        "administrator": _READ,
        "analyst": _READ
        | {
            "metrics.import_metricvalue",
            "metrics.add_spcrecalculation",
            "metrics.delete_spcrecalculation",
            "metrics.change_metricsettings",
            "metrics.import_population",
        },
        "board_secretary": _READ,
        "scheme_lead": _READ,
    }

    def home_tasks(self, *, user, area, quarter):
        from .selectors import home_tasks

        return home_tasks(user=user, area=area, quarter=quarter)

    def load_demo(self, *, area, log):
        from .demo import load

        load(area=area, log=log)

    def load_demo_scaled(self, *, area, scale, years, log):
        from .demo import load_scaled

        load_scaled(area=area, scale=scale, years=years, log=log)

    def ready(self) -> None:
        post_migrate.connect(_catalogue_ensure, sender=self, dispatch_uid="metrics.catalogue")
