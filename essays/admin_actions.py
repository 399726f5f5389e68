"""Admin actions that publish and unpublish essays through essays.services (no rules here)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from essays import services
from essays.models import Essay, PublishedRevision


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
        "admin/essays/essay/publish_override.html",
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


def public_state(essay: Essay) -> str:
    """Read-only admin summary: the live revision, who published it, and links."""
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
        if live.override_reason
        else "",
        live.get_absolute_url(),
        preview,
    )
