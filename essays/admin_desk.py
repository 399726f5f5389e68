"""The attribution desk: every quotation of one essay, in reading order, each in its
sentence with its speaker, outlet, via, source and flags editable in place.

Each row is its own small form (Enter in a row saves that row), saved through
`quotation_attribute` with the version the page was loaded at. Rows can be filtered (low
confidence first, no speaker, no outlet, no source, not yet checked, one section), and a
bulk form sets the outlet, source or speaker of the rows ticked. The page runs a fixed
number of queries whatever the number of quotations, and renders fast: each field's widget
is worked out once per page (its attributes, its "add another" link, from the admin's own
widgets), and every row is drawn from those and the row's values in one template, instead
of a form per row rendering its widgets one template at a time (300 rows: 3.9 s before).
The posted row is still validated by its ModelForm.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext

from essays.models import ATTRIBUTION_FIELDS, Confidence, Essay, Quotation
from essays.selectors import attribution_counts, span_context
from essays.services import quotation_attribute

CONTEXT_CHARS = 240
LINKED = ("speaker", "outlet", "via", "source")
BULK_FIELDS = ("outlet", "source", "speaker")
LAZY_AUTOCOMPLETE = "cp-lazy-autocomplete"

# The desk's filters: (query value, label, condition on Quotation).
FILTERS = {
    "all": ("All", Q()),
    "unchecked": ("Not yet checked", Q(checked_at__isnull=True)),
    "low": ("Low confidence", Q(confidence=Confidence.LOW)),
    "no-speaker": ("No speaker", Q(speaker__isnull=True, speaker_description="")),
    "no-outlet": ("No outlet", Q(outlet__isnull=True)),
    "no-source": ("No source", Q(source__isnull=True)),
}
CONFIDENCE_ORDER = Case(
    When(confidence=Confidence.LOW, then=Value(0)),
    When(confidence=Confidence.MEDIUM, then=Value(1)),
    When(confidence="", then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def only_add_link(field: forms.Field) -> None:
    """Beside a related field keep only "add another": a row has no room for change,
    delete and view links."""
    widget = field.widget
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget.can_change_related = widget.can_delete_related = widget.can_view_related = False


def paragraph_context(quotation: Quotation) -> dict:
    """The quoted words in their paragraph, at most CONTEXT_CHARS either side."""
    body = quotation.section.body
    start = body.rfind("\n\n", 0, quotation.start)
    end = body.find("\n\n", quotation.end)
    paragraph_start = 0 if start < 0 else start + 2
    paragraph = body[paragraph_start : len(body) if end < 0 else end]
    return span_context(
        paragraph,
        quotation.start - paragraph_start,
        quotation.end - paragraph_start,
        quotation.text,
        chars=CONTEXT_CHARS,
    )


class AttributionForm(forms.ModelForm):
    checked = forms.BooleanField(required=False, label="checked")
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Quotation
        fields = list(ATTRIBUTION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in LINKED:
            only_add_link(self.fields[name])


class BulkForm(forms.Form):
    """Set one outlet, source or speaker on every ticked row."""

    def __init__(self, *args, formfield, **kwargs):
        super().__init__(*args, **kwargs)
        for name in BULK_FIELDS:
            self.fields[name] = formfield(Quotation._meta.get_field(name))
            self.fields[name].required = False
            only_add_link(self.fields[name])

    def chosen(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value is not None}


def field_specs(form: forms.ModelForm) -> list[dict]:
    """How each of the row form's visible fields is drawn: worked out once per page from
    the admin's widgets (an autocomplete's data attributes and its "add another" link)."""
    specs = []
    for bound in form.visible_fields():
        spec = {"name": bound.name, "label": bound.label, "kind": "text"}
        widget = bound.field.widget
        if isinstance(widget, RelatedFieldWidgetWrapper):
            inner = widget.widget
            context = widget.get_context(bound.name, None, {})
            attrs = inner.build_attrs(inner.attrs)
            # Started when the row is first pointed at or focused (static/admin-extra/
            # desk.js), not all at once: hundreds of autocompletes froze the page.
            attrs["class"] = attrs["class"].replace("admin-autocomplete", LAZY_AUTOCOMPLETE)
            spec.update(
                kind="autocomplete",
                attrs=flatatt(attrs),
                model=context["model"],
                model_name=context["model_name"],
                add_url=f"{context['add_related_url']}?{context['url_params']}"
                if context.get("add_related_url")
                else "",
            )
        elif isinstance(widget, forms.CheckboxInput):
            spec["kind"] = "checkbox"
        else:
            spec["attrs"] = flatatt(widget.build_attrs(widget.attrs))
        specs.append(spec)
    return specs


def imported_names(rows: list[Quotation]) -> dict[str, dict]:
    """The names of the people, outlets and sources the last import set on `rows` (for
    "the file says: …"), one query per kind."""
    names = {}
    for name in LINKED:
        field = Quotation._meta.get_field(name)
        ids = {q.imported.get(field.attname) for q in rows} - {None}
        names[name] = {pk: str(obj) for pk, obj in field.related_model.objects.in_bulk(ids).items()}
    return names


def file_value(quotation: Quotation, name: str, names: dict[str, dict]) -> tuple[bool, str]:
    """Whether the last import set `name` to something other than it is now (an editor's
    fix), and what the file said, in words."""
    attname = Quotation._meta.get_field(name).attname
    if attname not in quotation.imported:
        return False, ""
    said = quotation.imported[attname]
    if said == getattr(quotation, attname):
        return False, ""
    if name in LINKED:
        return True, names[name].get(said, "nothing") if said else "nothing"
    if isinstance(said, bool):
        return True, "yes" if said else "no"
    return True, said or "nothing"


def row_fields(specs: list[dict], quotation: Quotation, names: dict, form=None) -> list[dict]:
    """Each field of a row with its value (and, for a posted row, its errors): from the
    loaded quotation, or from what the editor sent; and, where an editor's fix stands in
    for what the last import set, what the file said (one click takes it instead)."""
    fields = []
    for spec in specs:
        name = spec["name"]
        errors = form.errors.get(name, []) if form is not None else []
        differs, said = (
            file_value(quotation, name, names) if name in ATTRIBUTION_FIELDS else (False, "")
        )
        if form is not None:
            value = form[name].value()
            if spec["kind"] == "autocomplete" and value:
                chosen = form.fields[name].queryset.filter(pk=value).first()
                value = (value, str(chosen)) if chosen else None
        elif spec["kind"] == "autocomplete":
            related = getattr(quotation, name)
            value = (related.pk, str(related)) if related else None
        elif name == "checked":
            value = bool(quotation.checked_at)
        else:
            value = getattr(quotation, name)
        fields.append({**spec, "value": value, "errors": errors, "differs": differs,
                       "file_says": said})  # fmt: skip
    return fields


def desk_url(essay: Essay, **params) -> str:
    url = reverse("admin:essays_essay_attributions", args=[essay.pk])
    params = {key: value for key, value in params.items() if value}
    return f"{url}?{urlencode(params)}" if params else url


def attribution_desk_view(model_admin, request: HttpRequest, essay_id: str) -> HttpResponse:
    essay = get_object_or_404(Essay, pk=essay_id)
    quotation_admin = model_admin.admin_site._registry[Quotation]
    if not quotation_admin.has_view_permission(request):
        raise PermissionDenied
    may_change = quotation_admin.has_change_permission(request)
    show = request.GET.get("show", "all") if request.GET.get("show") in FILTERS else "all"
    section_id = request.GET.get("section", "")
    order = "confidence" if request.GET.get("order") == "confidence" else "reading"
    formfield = partial(quotation_admin.formfield_for_dbfield, request=request)
    form_class = forms.modelform_factory(
        Quotation, form=AttributionForm, fields=list(ATTRIBUTION_FIELDS),
        formfield_callback=formfield,
    )  # fmt: skip
    here = desk_url(essay, show=show, section=section_id, order=order if order != "reading" else "")

    bound_row, bulk = None, BulkForm(formfield=formfield)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if "_bulk" in request.POST:
            bulk = BulkForm(request.POST, formfield=formfield)
            response = _save_bulk(request, essay, bulk, here)
        else:
            bound_row, response = _save_row(request, essay, form_class, here)
        if response is not None:
            return response

    rows = (
        Quotation.objects.filter(section__essay=essay)
        .filter(FILTERS[show][1])
        .select_related("section", "speaker", "outlet", "via", "source", "checked_by")
        .order_by(
            *((CONFIDENCE_ORDER,) if order == "confidence" else ()),
            "section__position",
            "start",
        )
    )
    if section_id.isdigit():
        rows = rows.filter(section_id=int(section_id))
    rows = list(rows)

    specs = field_specs(form_class(prefix="q"))
    names = imported_names(rows)
    entries = []
    for quotation in rows:
        posted = bound_row if bound_row and bound_row.instance.pk == quotation.pk else None
        entries.append(
            {
                "quotation": quotation,
                "fields": row_fields(specs, quotation, names, posted),
                "version": posted["version"].value() if posted else quotation.version,
                "errors": posted.non_field_errors() if posted else [],
                "context": paragraph_context(quotation),
            }
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Essay._meta,
        "essay": essay,
        "title": f"Attribution desk: {essay}",
        "is_nav_sidebar_enabled": False,  # the rows need the width
        "entries": entries,
        "bulk": bulk,
        "media": bulk.media,
        "may_change": may_change,
        **attribution_counts(essay),
        "filters": [
            {"label": label, "on": key == show,
             "url": desk_url(essay, show=key, section=section_id)}
            for key, (label, _) in FILTERS.items()
        ],
        "sections": [
            {"label": str(section), "url": desk_url(essay, show=show, section=section.pk),
             "on": str(section.pk) == section_id}
            for section in essay.sections.order_by("position")
        ],
        "all_sections_url": desk_url(essay, show=show),
        "order_url": desk_url(essay, show=show, section=section_id,
                              order="" if order == "confidence" else "confidence"),
        "order": order,
        "here": here,
    }  # fmt: skip
    return TemplateResponse(request, "admin/essays/attribution_desk.html", context)


def _save_row(request, essay: Essay, form_class, here: str):
    """Save the row whose Save button (or Enter) sent the form: (form with errors, None)
    or (None, redirect to the next row not yet checked)."""
    pk = request.POST.get("_row", "")
    quotation = (
        Quotation.objects.filter(pk=pk if pk.isdigit() else None, section__essay=essay)
        .select_related("section")
        .first()
    )
    if quotation is None:
        messages.error(request, "That quotation is gone: the essay was re-imported.")
        return None, HttpResponseRedirect(here)
    form = form_class(request.POST, instance=quotation, prefix=f"q{quotation.pk}")
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in ATTRIBUTION_FIELDS}
        take = request.POST.get("_take", "")
        if take in ATTRIBUTION_FIELDS:  # "the file says: …" clicked: the import's value
            field = Quotation._meta.get_field(take)
            said = quotation.imported.get(field.attname)
            data[take] = field.related_model.objects.filter(pk=said).first() if (
                field.is_relation
            ) else said  # fmt: skip
        try:
            saved = quotation_attribute(
                quotation=quotation,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                data=data,
                checked=form.cleaned_data["checked"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved the attribution of “{saved}”.")
            following = (
                Quotation.objects.filter(
                    section__essay_id=saved.section.essay_id, checked_at__isnull=True
                )
                .filter(
                    Q(section__position__gt=saved.section.position)
                    | Q(section_id=saved.section_id, start__gt=saved.start)
                )
                .order_by("section__position", "start")
                .values_list("pk", flat=True)
                .first()
            )
            return None, HttpResponseRedirect(f"{here}#row-{following or saved.pk}")
    return form, None


def _save_bulk(request, essay: Essay, bulk: BulkForm, here: str):
    ids = [int(pk) for pk in request.POST.getlist("selected") if pk.isdigit()]
    if not bulk.is_valid() or not bulk.chosen() or not ids:
        messages.warning(
            request, "Tick the rows to change and choose an outlet, source or speaker."
        )
        return HttpResponseRedirect(here)
    data, done, refused = bulk.chosen(), 0, []
    for quotation in Quotation.objects.filter(section__essay=essay, pk__in=ids):
        try:
            quotation_attribute(
                quotation=quotation, actor=request.user,
                expected_version=quotation.version, data=data,
            )  # fmt: skip
            done += 1
        except ValidationError as error:
            refused.append(" ".join(error.messages))
    what = ", ".join(f"{Quotation._meta.get_field(k).verbose_name} “{v}”" for k, v in data.items())
    messages.success(
        request,
        ngettext("Set %(what)s on %(n)d quotation.", "Set %(what)s on %(n)d quotations.", done)
        % {"what": what, "n": done},
    )
    for reason in refused:
        messages.error(request, reason)
    return HttpResponseRedirect(here)
