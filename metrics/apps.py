from django.apps import AppConfig

_READ = {
    "metrics.view_metric",
    "metrics.view_metricvalue",
    "metrics.view_metricimport",
    "metrics.view_spcrecalculation",
}


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Metrics"
    # What each role may do with this app's records (see bettercare.roles). Superusers keep
    # the catalogue; analysts load the figures and mark SPC recalculation points; everyone else
    # reads.
    role_permissions = {
        # The catalogue and its RAG thresholds are national: changed by superusers only.
        "administrator": _READ,
        "analyst": _READ
        | {
            "metrics.import_metricvalue",
            "metrics.add_spcrecalculation",
            "metrics.delete_spcrecalculation",
        },
        "board_secretary": _READ,
        "scheme_lead": _READ,
    }
