"""The three editorial roles and the model permissions each one holds.

One table, applied by data migrations (so a fresh install has the groups) and by the
demo command. Applying it is idempotent: it adds missing permissions and removes ones
the table no longer grants, so a group always matches this file.
"""

EDITOR = "Editor"
REVIEWER = "Reviewer"
PUBLISHER = "Publisher"
ROLES = (EDITOR, REVIEWER, PUBLISHER)

ALL = ("add", "change", "delete", "view")
VIEW = ("view",)


def model_perms(model_label: str, actions: tuple[str, ...]) -> set[str]:
    """{"app.action_model", …} for one model, e.g. model_perms("essays.claim", VIEW)."""
    app_label, model = model_label.split(".")
    return {f"{app_label}.{action}_{model}" for action in actions}


# Spreadsheet exchange (django-import-export, IMPORT_EXPORT_*_PERMISSION_CODE): each model
# with a spreadsheet declares import_<model> and export_<model> permissions in its Meta.
SPREADSHEET_MODELS = (
    "sources.outlet",
    "sources.person",
    "sources.source",
    "essays.quotation",
    "essays.claim",
    "review.counterevidence",
)
IMPORT = ("import",)
EXPORT = ("export",)


def spreadsheet_perms(actions: tuple[str, ...], *, without: tuple[str, ...] = ()) -> set[str]:
    """Import and/or export permissions on every spreadsheet model except `without`."""
    perms: set[str] = set()
    for label in SPREADSHEET_MODELS:
        if label not in without:
            perms |= model_perms(label, actions)
    return perms


_BIBLIOGRAPHY_AND_TEXT = (
    model_perms("sources.outlet", ALL)
    | model_perms("sources.person", ALL)
    | model_perms("sources.source", ALL)
    | model_perms("essays.essay", ALL)
    | model_perms("essays.section", ALL)
    | model_perms("essays.quotation", ALL)
    | model_perms("essays.claim", ALL)
    # Candidates are made by imports only; deciding one is the change editors make.
    | model_perms("essays.claimcandidate", ("view", "delete"))
    | {"essays.decide_claimcandidate"}
    | model_perms("review.statuschange", VIEW)
    | model_perms("review.publishoverride", VIEW)
)

# Capturing a source's document and running the quotation check: every role. Captures
# are evidence, so nobody deletes one; confirming or overriding a check comes with the
# reviewer's view of it.
_SOURCE_CHECKS = model_perms("sources.sourcedocument", ("add", "view")) | model_perms(
    "review.quotationcheck", ("add", "view")
)

ROLE_PERMISSIONS: dict[str, set[str]] = {
    EDITOR: _BIBLIOGRAPHY_AND_TEXT
    | _SOURCE_CHECKS
    | model_perms("review.reviewernote", ("add", "view"))
    | model_perms("review.counterevidence", VIEW)
    | {"essays.assign_claim"}
    # Editors cannot write counter-evidence, so they cannot import it either.
    | spreadsheet_perms(IMPORT, without=("review.counterevidence",))
    | spreadsheet_perms(EXPORT),
    REVIEWER: _SOURCE_CHECKS
    | model_perms("sources.outlet", ("add", "change", "view"))
    | model_perms("sources.person", ("add", "change", "view"))
    | model_perms("sources.source", ("add", "change", "view"))
    | model_perms("essays.essay", VIEW)
    | model_perms("essays.section", VIEW)
    | model_perms("essays.quotation", VIEW)
    | model_perms("essays.claim", ("change", "view"))
    | model_perms("essays.claimcandidate", VIEW)
    | model_perms("review.reviewernote", ("add", "change", "view"))
    | model_perms("review.counterevidence", ("add", "change", "view"))
    | model_perms("review.statuschange", VIEW)
    # Confirming a quotation check, or overriding it with a reason.
    | {"review.change_quotationcheck"}
    # Reviewers take spreadsheets out to work on; only editors and publishers bring them in.
    | spreadsheet_perms(EXPORT),
    PUBLISHER: _BIBLIOGRAPHY_AND_TEXT
    | _SOURCE_CHECKS
    | model_perms("review.reviewernote", ("add", "change", "view"))
    | model_perms("review.counterevidence", ALL)
    | {
        "essays.assign_claim",
        "essays.approve_verdict",
        "essays.publish_essay",
        "review.approve_counterevidence",
        "review.change_quotationcheck",
        "sources.export_internal_source",
    }
    | spreadsheet_perms(IMPORT + EXPORT),
}


def sync_role_groups(apps) -> None:
    """Create the role groups and give each exactly the permissions in ROLE_PERMISSIONS.

    `apps` is a migration's app registry (or django.apps.apps). Permissions are created
    first, because on a fresh database they only appear after all migrations have run.
    A permission whose model does not exist yet at this point of the migration history is
    left for the later migration that syncs again; tests check the final groups match.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        had_models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = had_models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([by_name[name] for name in wanted if name in by_name])
