from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "schemes"
    verbose_name = "Schemes and highlight reports"
    # What each role may do with this app's records (see bettercare.roles).
    role_permissions = {
        "administrator": {
            "schemes.add_scheme",
            "schemes.change_scheme",
            "schemes.view_scheme",
            "schemes.add_schemeyearname",
            "schemes.change_schemeyearname",
            "schemes.delete_schemeyearname",
            "schemes.view_schemeyearname",
        },
        "analyst": {"schemes.view_scheme"},
        "board_secretary": {"schemes.view_scheme"},
        "scheme_lead": {"schemes.view_scheme"},
    }
