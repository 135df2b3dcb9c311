from django.apps import AppConfig

from .workflow import role_permissions as workflow_permissions

_READ = {"schemes.view_highlightreport", "schemes.view_reportingtimetable"}


def _role_permissions() -> dict[str, set[str]]:
    # Each workflow step's permission goes to the role whose step it is (see workflow.STEPS).
    steps = workflow_permissions()
    return {
        "administrator": {"schemes.view_highlightreport"},
        # Analysts set each quarter's reporting timetable (and chase the leads against it).
        "analyst": _READ
        | steps["analyst"]
        | {"schemes.add_reportingtimetable", "schemes.change_reportingtimetable"},
        "board_secretary": _READ | steps["board_secretary"],
        # A lead starts and writes reports of the schemes they lead (checked per scheme).
        "scheme_lead": _READ
        | {"schemes.add_highlightreport", "schemes.change_highlightreport"}
        | steps["scheme_lead"],
    }


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = "Schemes and highlight reports"
    url_prefix = "schemes/"
    navigation = ("Schemes", "schemes:index")
    # What each role may do with this app's records (see bettercare.roles).
    role_permissions = _role_permissions()
    # Recurring jobs (bettercare.jobs), cron expressions in UTC: the reminders each morning
    # (06:15 UTC is 07:15 in British Summer Time, 06:15 in winter), before people start work.
    scheduled_jobs = {"schemes.jobs.reminders_send_daily": "15 6 * * *"}

    def home_tasks(self, *, user, area, quarter):
        from .selectors import home_tasks

        return home_tasks(user=user, area=area, quarter=quarter)

    def load_demo(self, *, area, log):
        from .demo import load

        load(area=area, log=log)
