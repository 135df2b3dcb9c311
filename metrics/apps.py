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
