from django.apps import AppConfig

_VIEW = {
    "finance.view_pooledfundyear",
    "finance.view_contribution",
    "finance.view_budget",
    "finance.view_forecast",
}


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Finance"
    # What each role may do with the pooled fund (see bettercare.roles). Scheme leads hold none
    # of these: they see the finance page of the schemes they lead, and nothing area-wide.
    role_permissions = {
        "administrator": _VIEW
        | {
            "finance.add_pooledfundyear",
            "finance.change_pooledfundyear",
            "finance.add_contribution",
            "finance.change_contribution",
            "finance.delete_contribution",
            "finance.change_budget",
        },
        "analyst": _VIEW
        | {
            "finance.import_finance",
            "finance.change_forecast",  # the finance lead's notes
            "finance.add_pooledfundyear",
            "finance.change_pooledfundyear",
            "finance.add_contribution",
            "finance.change_contribution",
            "finance.delete_contribution",
        },
        "board_secretary": _VIEW,
    }
