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
    url_prefix = "finance/"
    navigation = ("Finance", "finance:index")
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

    def home_tasks(self, *, user, area, quarter):
        from .selectors import home_tasks

        return home_tasks(user=user, area=area, quarter=quarter)

    def load_demo(self, *, area, log):
        from .demo import load

        load(area=area, log=log)

    def load_demo_scaled(self, *, area, scale, years, log):
        from .demo import load_scaled

        load_scaled(area=area, scale=scale, years=years, log=log)

    def scheme_funding(self, *, scheme, quarter):
        from .selectors import scheme_funding_for_quarter

        return scheme_funding_for_quarter(scheme=scheme, quarter=quarter)
