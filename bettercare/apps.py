from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(app_config, **kwargs) -> None:
    # Groups and their permissions are set-up data: they must exist after every migrate,
    # including the test database's and after a flush. Permissions are created post-migrate,
    # app by app, so wait for the last installed app that has models (Django sends the signal
    # only for those): by then every permission exists.
    from django.apps import apps

    from .roles import roles_sync

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is with_models[-1]:
        roles_sync()


class BettercareConfig(AppConfig):
    name = "bettercare"
    verbose_name = "Areas and people"
    # Recurring jobs (see bettercare.jobs and bettercare.cron): job name -> cron expression, UTC.
    scheduled_jobs = {"bettercare.jobs.housekeeping": "30 2 * * *"}
    role_permissions = {
        # No bettercare.add_area: a new area is national, for superusers.
        "administrator": {
            "bettercare.change_area",
            "bettercare.view_area",
            "bettercare.add_partner",
            "bettercare.change_partner",
            "bettercare.delete_partner",
            "bettercare.view_partner",
            "bettercare.add_areamembership",
            "bettercare.change_areamembership",
            "bettercare.delete_areamembership",
            "bettercare.view_areamembership",
            # The register of schemes and their names by year (the admin site keeps it).
            "bettercare.add_scheme",
            "bettercare.change_scheme",
            "bettercare.view_scheme",
            "bettercare.add_schemeyearname",
            "bettercare.change_schemeyearname",
            "bettercare.delete_schemeyearname",
            "bettercare.view_schemeyearname",
            "bettercare.view_job",
            "auth.add_user",
            "auth.change_user",
            "auth.view_user",
            "auth.view_group",
            # Failed logins of their people, and unlocking them (deleting the attempt).
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
        },
        "analyst": {"bettercare.view_scheme"},
        "board_secretary": {"bettercare.view_scheme"},
        "scheme_lead": {"bettercare.view_scheme"},
    }

    def ready(self) -> None:
        from . import lookups  # noqa: F401 (registers the integer __in lookup)

        post_migrate.connect(_sync_roles, dispatch_uid="bettercare.roles_sync")
