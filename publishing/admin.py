"""Publishing in the admin: the publish and unpublish actions on the essay list (through
publishing.services; no rules here), the page asking for a reason to publish over the
review gate, and the essay's "public page" line."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from essays.models import Essay
from publishing import services
from publishing.models import PublishedRevision
from review import admin as review_admin
from review.selectors import publish_check


@admin.action(description="Publish selected essays", permissions=["publish"])
def publish_selected(modeladmin, request, queryset):
    """Publish each essay; those the review gate blocks come back on a page asking for a
    recorded reason to publish anyway."""
    overriding = "confirm_override" in request.POST
    reason = request.POST.get("override_reason", "").strip() if overriding else ""
    blocked = []
    for essay in queryset:
        try:
            revision = services.essay_publish(
                essay=essay, actor=request.user, override_reason=reason
            )
        except services.PublishBlocked as exc:
            blocked.append({"essay": essay, "blockers": exc.blockers})
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, f"“{essay}” was not published: {exc}", messages.ERROR)
        else:
            modeladmin.message_user(
                request,
                format_html(
                    'Published “{}” as revision {}: <a href="{}">view the public page</a>.',
                    essay,
                    revision.number,
                    revision.get_absolute_url(),
                ),
                messages.SUCCESS,
            )
    if not blocked:
        return None
    return TemplateResponse(
        request,
        "admin/publishing/publish_override.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Publish over the review gate?",
            "opts": modeladmin.model._meta,
            "blocked": blocked,
            "reason_missing": overriding and not reason,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


@admin.action(
    description="Unpublish selected essays (their pages answer 410 Gone)", permissions=["publish"]
)
def unpublish_selected(modeladmin, request, queryset):
    for essay in queryset:
        try:
            services.essay_unpublish(essay=essay, actor=request.user)
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(
                request, f"“{essay}” was not unpublished: {exc}", messages.ERROR
            )
        else:
            modeladmin.message_user(request, f"Unpublished “{essay}”.", messages.SUCCESS)


def public_state(essay: Essay, *, show_override: bool = False) -> str:
    """Read-only admin summary: the live revision, who published it, and links.

    The reason a publisher gave for publishing over the review gate is shown only to
    those who may read the override records themselves (`show_override`).
    """
    if not essay.pk:
        return "—"
    preview = reverse("public:preview", kwargs={"slug": essay.slug})
    live = (
        PublishedRevision.objects.filter(essay=essay, is_live=True)
        .select_related("published_by")
        .first()
    )
    count = PublishedRevision.objects.filter(essay=essay).count()
    if live is None:
        return format_html(
            'Not on the public site ({} earlier revision{}). <a href="{}">Preview the draft</a>',
            count,
            "" if count == 1 else "s",
            preview,
        )
    return format_html(
        'Revision {} of {}, published {} by {}{}. <a href="{}">Public page</a> · '
        '<a href="{}">Preview the draft</a>',
        live.number,
        count,
        live.published_at.strftime("%Y-%m-%d %H:%M %Z"),
        live.published_by,
        format_html(" over the review gate: “{}”", live.override_reason)
        if live.override_reason and show_override
        else " over the review gate"
        if live.override_reason
        else "",
        live.get_absolute_url(),
        preview,
    )


# The essays admin in publishing's layer: re-register Essay (as review.admin left it) with
# the public page line and the publish actions. Essays and review may not import publishing.
admin.site.unregister(Essay)


@admin.register(Essay)
class EssayAdmin(review_admin.EssayAdmin):
    readonly_fields = [*review_admin.EssayAdmin.readonly_fields, "public_page", "publishing"]
    fieldsets = [
        *review_admin.EssayAdmin.fieldsets[:-1],
        (
            "State",
            {
                "fields": [
                    "status", "public_page", "publishing", "created_by", "created_at",
                    "updated_at",
                ]
            },
        ),
    ]  # fmt: skip
    actions = [*review_admin.EssayAdmin.actions, publish_selected, unpublish_selected]

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("essays.publish_essay")

    def get_object(self, request, object_id, from_field=None):
        essay = super().get_object(request, object_id, from_field)
        if essay is not None:
            # One rule with the override pages: only who may view overrides reads the reason.
            essay.viewer_sees_overrides = request.user.has_perm("review.view_publishoverride")
            essay.viewer_may_publish = self.has_publish_permission(request)
        return essay

    @admin.display(description="publish")
    def publishing(self, obj: Essay) -> str:
        if obj.pk is None:
            return "—"
        return render_to_string(
            "admin/publishing/publish_controls.html",
            {
                "may_publish": getattr(obj, "viewer_may_publish", False),
                "check": publish_check(obj),
                "live": obj.status == Essay.Status.PUBLISHED,
            },
        )

    def response_change(self, request, obj):
        move = request.POST.get("_publish")
        if move not in ("publish", "override", "unpublish"):
            return super().response_change(request, obj)
        try:
            if move == "unpublish":
                services.essay_unpublish(essay=obj, actor=request.user)
                self.message_user(request, f"Unpublished “{obj}”.", messages.SUCCESS)
            else:
                reason = (
                    request.POST.get("override_reason", "").strip() if move == "override" else ""
                )
                revision = services.essay_publish(
                    essay=obj, actor=request.user, override_reason=reason
                )
                self.message_user(
                    request,
                    format_html(
                        'Saved and published “{}” as revision {}: <a href="{}">view the public '
                        "page</a>.",
                        obj,
                        revision.number,
                        revision.get_absolute_url(),
                    ),
                    messages.SUCCESS,
                )
        except services.PublishBlocked as blocked:
            count = len(blocked.blockers)
            self.message_user(
                request,
                ngettext(
                    "Saved, not published: %d open item blocks it. Resolve it, or give a "
                    "reason to publish over the gate.",
                    "Saved, not published: %d open items block it. Resolve them, or give a "
                    "reason to publish over the gate.",
                    count,
                )
                % count,
                messages.ERROR,
            )
        except (PermissionDenied, ValidationError) as refused:
            text = " ".join(getattr(refused, "messages", [str(refused)]))
            self.message_user(request, f"Saved, not published: {text}", messages.ERROR)
        return HttpResponseRedirect(request.path)

    @admin.display(description="public page")
    def public_page(self, obj: Essay) -> str:
        return public_state(obj, show_override=getattr(obj, "viewer_sees_overrides", False))
