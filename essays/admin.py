from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from taggit.admin import TagAdmin
from taggit.managers import TaggableManager
from taggit.models import Tag

from common.admin_filters import TagFilter, titled
from essays.admin_desk import attribution_desk_view
from essays.admin_import import essay_import_view
from essays.history_admin import ReadOnlyHistoryAdmin
from essays.importer.claims import explain_score
from essays.models import Claim, ClaimCandidate, Essay, Quotation, Section
from essays.resources import QuotationResource
from essays.selectors import attribution_counts, quotation_context
from essays.services import (
    claim_candidate_accept,
    claim_candidate_reject,
    quotation_reanchored,
)
from search.admin import IndexedSearch
from sources.forms import BoundedTagField
from spreadsheets.admin import SpreadsheetAdminMixin


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "heading", "anchor", "body"]
    # Derived once from the heading and then kept, so links to a section survive edits.
    readonly_fields = ["anchor"]
    ordering = ["position"]
    show_change_link = True

    def get_queryset(self, request):
        # Each row's change link names its essay: one join, not a query per section.
        return super().get_queryset(request).select_related("essay")


@admin.register(Essay)
class EssayAdmin(IndexedSearch, ReadOnlyHistoryAdmin):
    search_kind = "essay"
    """The essay's own page: text, origin, sections, state, and the import page.

    Built in layers, one per app, because essays may not import the apps above it:
    review.admin and publishing.admin each re-register Essay with a subclass that adds
    their panels and actions (the review progress and assignment; the public page and
    publishing). The admin URLs stay the same: they come from the model.
    """

    list_display = [
        "title",
        "status",
        "byline",
        "section_count",
        "claim_count",
        "tag_list",
        "updated_at",
    ]
    list_filter = ["status", ("tags", TagFilter), "language"]
    search_fields = ["title", "slug", "byline", "dek"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "created_by", "created_at", "updated_at", "attributions"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "byline", "dek", "tags", "language"]}),
        ("Origin", {"fields": ["canonical_url", "original_published_on"]}),
        ("Review", {"fields": ["double_review", "attributions"]}),
        ("State", {"fields": ["status", "created_by", "created_at", "updated_at"]}),
    ]
    inlines = [SectionInline]
    formfield_overrides = {TaggableManager: {"form_class": BoundedTagField}}
    actions = []
    change_list_template = "admin/essays/essay/change_list.html"

    def get_urls(self):
        import_view = self.admin_site.admin_view(lambda request: essay_import_view(self, request))
        desk = self.admin_site.admin_view(
            lambda request, essay_id: attribution_desk_view(self, request, essay_id)
        )
        return [
            path("import/", import_view, name="essays_essay_import"),
            path("<path:essay_id>/attributions/", desk, name="essays_essay_attributions"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                section_count=Count("sections", distinct=True),
                claim_count=Count("sections__claims", distinct=True),
            )
            .prefetch_related("tags")
            .order_by("-updated_at")  # Meta.ordering does not apply to GROUP BY queries
        )

    @admin.display(description="attributions")
    def attributions(self, obj: Essay) -> str:
        if obj.pk is None:
            return "—"
        counts = attribution_counts(obj)
        return format_html(
            'checked: {} / {} · <a href="{}">open the attribution desk</a>',
            counts["checked"],
            counts["total"],
            reverse("admin:essays_essay_attributions", args=[obj.pk]),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="sections", ordering="section_count")
    def section_count(self, obj: Essay) -> int:
        return obj.section_count

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj: Essay) -> int:
        return obj.claim_count

    @admin.display(description="tags")
    def tag_list(self, obj: Essay) -> str:
        return ", ".join(tag.name for tag in obj.tags.all())


class QuotationInline(admin.TabularInline):
    model = Quotation
    extra = 0
    fields = [
        "text",
        "start",
        "end",
        "speaker",
        "speaker_description",
        "source",
        "outlet",
        "via",
        "emphasis_added",
        "is_scare_quote",
    ]
    autocomplete_fields = ["speaker", "source", "outlet", "via"]
    show_change_link = True


class ClaimInline(admin.TabularInline):
    """The section's claims as read-only rows, each linking to its own page.

    A claim is written only on its page, through the review services (the version check,
    the assignment's audit row, the approval rules): never by a plain inline form.
    """

    model = Claim
    extra = 0
    fields = ["exact", "short_statement", "status", "verdict", "assigned_to"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Section)
class SectionAdmin(ReadOnlyHistoryAdmin):
    """A section's text with its quotations and claims (review.admin adds assignment)."""

    list_display = ["__str__", "essay", "position", "heading"]
    list_select_related = ["essay"]
    list_filter = ["essay"]
    search_fields = ["heading", "body", "essay__title"]
    autocomplete_fields = ["essay"]
    inlines = [QuotationInline, ClaimInline]


class SectionWithinItsEssay:
    """For a quotation's or a claim's page: the section is chosen among the sections of
    its own essay, as "§3 Latakia" (neither ever moves to another essay); on an add page,
    among every essay's sections, each labelled with its essay."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "section":
            field.queryset = field.queryset.select_related("essay")
            field.label_from_instance = lambda section: f"{section.essay} — {section}"
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        section = form.base_fields.get("section")
        if obj is not None and section is not None:
            section.queryset = Section.objects.filter(essay_id=obj.section.essay_id)
            section.label_from_instance = str
        return form


class QuotationForm(forms.ModelForm):
    """The quoted words are what an editor edits; where they sit in the section (start,
    end) is found from them, never typed."""

    class Meta:
        model = Quotation
        fields = [
            "section", "text", "speaker", "speaker_description", "outlet", "via", "source",
            "emphasis_added", "is_scare_quote", "repeat_of",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        section, text = data.get("section"), data.get("text")
        if section is not None and text and (self.instance.pk is None or self.has_changed()):
            try:
                self.instance.start, self.instance.end = quotation_reanchored(
                    self.instance, section=section, text=text
                )
            except ValidationError as error:
                self.add_error("text", error)
        return data


@admin.register(Quotation)
class QuotationAdmin(
    IndexedSearch, SectionWithinItsEssay, SpreadsheetAdminMixin, ReadOnlyHistoryAdmin
):
    search_kind = "quotation"
    resource_classes = [QuotationResource]
    # Few, wrapping columns: the list fits 1400 px beside the admin's menu and filters.
    list_display = ["__str__", "speaker", "outlet", "essay", "flags"]
    list_select_related = ["section__essay", "speaker", "outlet"]
    list_filter = [
        "emphasis_added",
        "is_scare_quote",
        ("outlet__kind", titled("outlet kind")),
        "section__essay",
    ]
    search_fields = ["text", "speaker__name", "outlet__name", "source__title"]
    autocomplete_fields = ["speaker", "source", "outlet", "via", "repeat_of"]
    form = QuotationForm
    readonly_fields = ["in_context"]
    fields = [*QuotationForm.Meta.fields[:2], "in_context", *QuotationForm.Meta.fields[2:]]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # an attribution desk row loaded before this save is stale
        super().save_model(request, obj, form, change)

    @admin.display(description="in the essay")
    def in_context(self, obj: Quotation) -> str:
        if obj.pk is None:
            return "Shown once saved: the words are found in the section's text."
        context = quotation_context(obj, chars=240)
        return format_html(
            '<blockquote class="cp-context" dir="auto">{}<mark>{}</mark>{}</blockquote>{}',
            context["before"],
            context["exact"],
            context["after"],
            "" if context["anchored"] else
            format_html('<p class="errornote">These words no longer stand here in the '
                        "section's text: correct the quotation's words to re-anchor it.</p>"),
        )  # fmt: skip

    @admin.display(description="essay", ordering="section__essay__title")
    def essay(self, obj: Quotation) -> Essay:
        return obj.section.essay

    @admin.display(description="marked as")
    def flags(self, obj: Quotation) -> str:
        marks = [
            label
            for flag, label in ((obj.emphasis_added, "emphasis added"),
                                (obj.is_scare_quote, "scare quote"))
            if flag
        ]  # fmt: skip
        return ", ".join(marks) or "—"

    class Media:
        css = {"all": ["admin-extra/review.css"]}


# How much of the paragraph the candidates list shows around each sentence.
CANDIDATE_CONTEXT = 100
# The buttons on candidate rows submit this small form (the list's own form is the
# changelist's, with its action select).
DECIDE_FORM = "cp-decide-form"


@admin.register(ClaimCandidate)
class ClaimCandidateAdmin(admin.ModelAdmin):
    """Sentences the importer proposed; editors accept them as claims or reject them."""

    list_display = ["sentence_in_context", "why", "decision", "where", "buttons"]
    list_select_related = ["section__essay", "decided_by", "claim"]
    list_filter = ["decision", "section__essay"]
    search_fields = ["text", "section__essay__title"]
    ordering = ["-score", "section__essay", "section__position", "start"]
    fields = [
        "section",
        "sentence_in_context",
        "why",
        "decision",
        "decided_by",
        "decided_at",
        "claim",
        "buttons",
    ]
    readonly_fields = fields
    actions = ["accept_as_claims", "reject"]
    change_form_template = "admin/essays/claimcandidate/change_form.html"
    change_list_template = "admin/essays/claimcandidate/change_list.html"

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [path("decide/", decide, name="essays_claimcandidate_decide"), *super().get_urls()]

    def get_list_display_links(self, request, list_display):
        return None

    def get_readonly_fields(self, request, obj=None):
        if not self.has_decide_permission(request):
            return [name for name in self.fields if name != "buttons"]
        return self.fields

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def get_list_display(self, request):
        if not self.has_decide_permission(request):
            return [name for name in self.list_display if name != "buttons"]
        return self.list_display

    @admin.display(description="sentence, in its paragraph")
    def sentence_in_context(self, obj: ClaimCandidate) -> str:
        body = obj.section.body
        before = body[max(0, obj.start - CANDIDATE_CONTEXT) : obj.start]
        after = body[obj.end : obj.end + CANDIDATE_CONTEXT]
        return format_html(
            '<div class="cp-context" dir="auto">{}{}<mark>{}</mark>{}{}</div>',
            "…" if obj.start > CANDIDATE_CONTEXT else "",
            before,
            obj.text,
            after,
            "…" if obj.end + CANDIDATE_CONTEXT < len(body) else "",
        )

    @admin.display(description="why suggested", ordering="score")
    def why(self, obj: ClaimCandidate) -> str:
        score = f"{obj.score:.2f}"
        return format_html("<strong>{}</strong>: {}", score, explain_score(obj.features))

    @admin.display(description="essay · section", ordering="section__essay__title")
    def where(self, obj: ClaimCandidate) -> str:
        return f"{obj.section.essay} · {obj.section.heading or 'Introduction'}"

    @admin.display(description="decide")
    def buttons(self, obj: ClaimCandidate) -> str:
        if obj.decision != ClaimCandidate.Decision.PENDING:
            if obj.claim_id:
                return format_html(
                    '<a href="{}">Open the claim</a>',
                    reverse("admin:essays_claim_change", args=[obj.claim_id]),
                )
            return "—"
        return format_html(
            '<button type="submit" class="button default" form="{}" name="accept" value="{}">'
            "Accept as a claim</button> "
            '<button type="submit" class="button" form="{}" name="reject" value="{}">'
            "Reject</button>",
            DECIDE_FORM, obj.pk, DECIDE_FORM, obj.pk,
        )  # fmt: skip

    def decide_view(self, request):
        """A row's (or the candidate page's) Accept or Reject button."""
        if request.method != "POST" or not self.has_decide_permission(request):
            raise PermissionDenied
        accept, reject = request.POST.get("accept"), request.POST.get("reject")
        chosen_id = accept or reject or ""
        if not chosen_id.isdigit():
            raise Http404("No such candidate.")
        chosen = ClaimCandidate.objects.filter(pk=chosen_id)
        if accept:
            self.accept_as_claims(request, chosen)
        elif reject:
            self.reject(request, chosen)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        return HttpResponseRedirect(back or reverse("admin:essays_claimcandidate_changelist"))

    def has_add_permission(self, request):
        return False  # candidates come from imports only

    def has_change_permission(self, request, obj=None):
        return False  # decisions are made with the actions, through the services

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("essays.decide_claimcandidate")

    @admin.display(description="essay", ordering="section__essay__title")
    def essay(self, obj: ClaimCandidate) -> Essay:
        return obj.section.essay

    @admin.display(description="section", ordering="section__position")
    def section_heading(self, obj: ClaimCandidate) -> str:
        return obj.section.heading or "Introduction"

    @admin.action(description="Accept as claims", permissions=["decide"])
    def accept_as_claims(self, request, queryset):
        self._decide(
            request,
            queryset,
            claim_candidate_accept,
            "Accepted %d candidate as a claim.",
            "Accepted %d candidates as claims.",
        )

    @admin.action(description="Reject", permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            claim_candidate_reject,
            "Rejected %d candidate.",
            "Rejected %d candidates.",
        )

    def _decide(self, request, queryset, service, one: str, many: str) -> None:
        count = 0
        for candidate in queryset.select_related("section"):
            try:
                service(candidate=candidate, actor=request.user)
            except (ValidationError, PermissionDenied) as refused:
                reason = " ".join(getattr(refused, "messages", [str(refused)]))
                self.message_user(request, f"“{candidate}”: {reason}", messages.WARNING)
            else:
                count += 1
        self.message_user(request, ngettext(one, many, count) % count)


admin.site.unregister(Tag)


@admin.register(Tag)
class GuardedTagAdmin(TagAdmin):
    """django-taggit's tag admin, with its merge page limited to those who may change tags.

    taggit's own merge page checks no permission: any staff user, a reviewer included,
    could open it and create or merge the tags readers browse by; and a POST without a
    selection made in the tag list crashed with a 500.
    """

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if not request.session.get("selected_tag_ids"):
            self.message_user(
                request, "Select the tags to merge in the tag list first.", messages.WARNING
            )
            return HttpResponseRedirect(reverse("admin:taggit_tag_changelist"))
        return super().merge_tags_view(request)
