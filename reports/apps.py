from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Board packs"
    url_prefix = "reports/"
    navigation = ("Reports", "reports:index")
    # After a metrics or finance import, draw the draft packs' charts ahead (bettercare.events).
    on_figures_changed = "reports.jobs.figures_changed"
    # Run once by each RQ worker before it forks a process per job (bettercare.jobs.Worker).
    prepare_worker = "reports.jobs.prepare_worker"
    # What each role may do with board packs (see bettercare.roles):
    # - board secretaries manage packs: create them, edit their text and exemptions, build the
    #   PDFs, make them Final and start corrections; they see the portfolio ratings;
    # - analysts see every pack (drafts and full versions), build draft PDFs and exports, and
    #   set each scheme's portfolio rating and narrative;
    # - scheme leads see the list of Final packs and download their public versions only:
    #   drafts and exempt sections hold other schemes' unpublished material;
    # - administrators see every pack and manage the area's priorities (in the admin site);
    # - the quarterly return to NHS England: analysts write its assessments and texts;
    #   board secretaries and administrators read and download it; scheme leads do neither.
    role_permissions = {
        "administrator": {
            "reports.view_pack",
            "reports.view_full_pack",
            "reports.view_packversion",
            "reports.view_portfoliorating",
            "reports.view_nationalcondition",
            "reports.view_quarterlyreturn",
            "reports.add_priority",
            "reports.change_priority",
            "reports.delete_priority",
            "reports.view_priority",
        },
        "analyst": {
            "reports.view_pack",
            "reports.view_full_pack",
            "reports.view_packversion",
            "reports.view_priority",
            "reports.view_portfoliorating",
            "reports.add_portfoliorating",
            "reports.change_portfoliorating",
            "reports.view_nationalcondition",
            "reports.add_nationalcondition",
            "reports.change_nationalcondition",
            "reports.view_quarterlyreturn",
            "reports.add_quarterlyreturn",
            "reports.change_quarterlyreturn",
        },
        "board_secretary": {
            "reports.view_pack",
            "reports.view_full_pack",
            "reports.add_pack",
            "reports.change_pack",
            "reports.finalise_pack",
            "reports.view_packversion",
            "reports.view_priority",
            "reports.view_portfoliorating",
            "reports.view_nationalcondition",
            "reports.view_quarterlyreturn",
        },
        "scheme_lead": {
            "reports.view_pack",
            "reports.view_packversion",
        },
    }

    def home_tasks(self, *, user, area, quarter):
        from .selectors import home_tasks

        return home_tasks(user=user, area=area, quarter=quarter)

    def load_demo(self, *, area, log):
        from .demo import load

        load(area=area, log=log)
