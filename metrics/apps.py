from django.apps import AppConfig

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
    # What each role may do with this app's records (see bettercare.roles). Administrators keep
    # the catalogue; analysts load the figures and populations, mark SPC recalculation points
    # and choose each metric's SPC options and commentary lines; everyone else reads.
    role_permissions = {
        "administrator": _READ | {"metrics.add_metric", "metrics.change_metric"},
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
