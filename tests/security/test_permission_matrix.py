"""Who may open every URL and call every writing service: two tables, read as matrices.

URLS has a row for every URL pattern the project serves (the test fails when a pattern
has no row) and SERVICES a row for every service that writes. Each cell is what one of
anonymous / Editor / Reviewer / Publisher / superuser gets, checked against the real
app: the HTTP status (and where a redirect goes), and whether the database changed: a
refused request or call must leave every row as it was; an allowed write must change
the rows it is about. The rows run against `make_newsroom()` (tests/factories.py),
whose objects the `{placeholders}` name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve

from essays import services as essay_services
from essays.models import Claim, ClaimCandidate, Essay
from publishing import services as pub_services
from review import services
from review.models import CounterEvidence, ReviewerNote
from review.workflow import TransitionDenied, TransitionError
from spreadsheets.exchange import import_bytes, resource_named
from tests.factories import admin_form_as_loaded

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "editor", "reviewer", "publisher", "superuser")

# -- cells -------------------------------------------------------------------------------

LOGIN = "login"  # 302 to the admin login page
FOUND = "302"  # 302 elsewhere (nothing written)
WROTE = "302+db"  # 302 elsewhere, and the database changed
MOVED = 301

# -- the URL table -----------------------------------------------------------------------
# "METHOD path [#form]": `{name}` is a newsroom object's pk (its slug for essays, `{ct}`
# the Essay content type); `#form` names the POST data in FORMS below.

# fmt: off
URLS = [
    # request                                                   anon   editor review publish super
    # admin site
    ("GET /admin/",                                             LOGIN, 200,   200,   200,   200),
    ("GET /admin/login/",                                       200,   FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/logout/",                                      FOUND, 405,   405,   405,   405),
    ("POST /admin/logout/",                                     FOUND, 200,   200,   200,   200),
    ("GET /admin/password_change/",                             LOGIN, 200,   200,   200,   200),
    ("GET /admin/password_change/done/",                        LOGIN, 200,   200,   200,   200),
    ("GET /admin/autocomplete/?app_label=essays&model_name=quotation&field_name=speaker",
                                                                LOGIN, 200,   200,   200,   200),
    ("GET /admin/autocomplete/?app_label=auth&model_name=user&field_name=groups",
                                                                LOGIN, 403,   403,   403,   200),
    ("GET /admin/jsi18n/",                                      LOGIN, 200,   200,   200,   200),
    ("GET /admin/r/{ct}/{draft.pk}/",                           LOGIN, 404,   404,   404,   404),
    ("GET /admin/essays/",                                      LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/",                                     LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/",                                      LOGIN, 200,   200,   200,   200),
    ("GET /admin/auth/",                                        LOGIN, 404,   404,   404,   200),
    ("GET /admin/taggit/",                                      LOGIN, 404,   404,   404,   200),
    ("GET /admin/axes/",                                        LOGIN, 404,   404,   404,   200),
    ("GET /admin/no-such-page/",                                LOGIN, 404,   404,   404,   404),
    # auth: superusers only
    ("GET /admin/auth/group/",                                  LOGIN, 403,   403,   403,   200),
    ("GET /admin/auth/group/add/",                              LOGIN, 403,   403,   403,   200),
    ("GET /admin/auth/group/{group}/",                          LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/auth/group/{group}/change/",                   LOGIN, 403,   403,   403,   200),
    ("GET /admin/auth/group/{group}/history/",                  LOGIN, 403,   403,   403,   200),
    ("GET /admin/auth/group/{group}/delete/",                   LOGIN, 403,   403,   403,   200),
    ("GET /admin/auth/user/",                                   LOGIN, 403,   403,   403,   200),
    ("GET /admin/auth/user/add/",                               LOGIN, 403,   403,   403,   200),
    ("GET /admin/auth/user/{reviewer2}/",                       LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/auth/user/{reviewer2}/change/",                LOGIN, 403,   403,   403,   200),
    ("GET /admin/auth/user/{reviewer2}/password/",              LOGIN, 403,   403,   403,   200),
    ("GET /admin/auth/user/{reviewer2}/history/",               LOGIN, 403,   403,   403,   200),
    ("GET /admin/auth/user/{reviewer2}/delete/",                LOGIN, 403,   403,   403,   200),
    ("POST /admin/auth/user/{reviewer2}/change/ #make_superuser",
                                                                LOGIN, 403,   403,   403,   WROTE),
    # tags: managed through essays; the tag admin itself is for superusers
    ("GET /admin/taggit/tag/",                                  LOGIN, 403,   403,   403,   200),
    ("GET /admin/taggit/tag/add/",                              LOGIN, 403,   403,   403,   200),
    ("GET /admin/taggit/tag/merge-tags/",                       LOGIN, 403,   403,   403,   FOUND),
    ("POST /admin/taggit/tag/merge-tags/ #merge_tags",          LOGIN, 403,   403,   403,   FOUND),
    ("GET /admin/taggit/tag/{tag}/",                            LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/taggit/tag/{tag}/change/",                     LOGIN, 403,   403,   403,   200),
    ("GET /admin/taggit/tag/{tag}/history/",                    LOGIN, 403,   403,   403,   200),
    ("GET /admin/taggit/tag/{tag}/delete/",                     LOGIN, 403,   403,   403,   200),
    # login throttling records (django-axes): read-only, superusers only
    ("GET /admin/axes/accessattempt/",                          LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accessattempt/add/",                      LOGIN, 403,   403,   403,   403),
    ("GET /admin/axes/accessattempt/{access_attempt}/",         LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/axes/accessattempt/{access_attempt}/change/",  LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accessattempt/{access_attempt}/history/", LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accessattempt/{access_attempt}/delete/",  LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accesslog/",                              LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accesslog/add/",                          LOGIN, 403,   403,   403,   403),
    ("GET /admin/axes/accesslog/{access_log}/",                 LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/axes/accesslog/{access_log}/change/",          LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accesslog/{access_log}/history/",         LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accesslog/{access_log}/delete/",          LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accessfailurelog/",                       LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accessfailurelog/add/",                   LOGIN, 403,   403,   403,   403),
    ("GET /admin/axes/accessfailurelog/{access_failure}/",      LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/axes/accessfailurelog/{access_failure}/change/",
                                                                LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accessfailurelog/{access_failure}/history/",
                                                                LOGIN, 403,   403,   403,   200),
    ("GET /admin/axes/accessfailurelog/{access_failure}/delete/",
                                                                LOGIN, 403,   403,   403,   200),
    # bibliography: editors and publishers do everything, reviewers all but delete
    ("GET /admin/sources/outlet/",                              LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/outlet/add/",                          LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/outlet/{outlet}/",                     LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/sources/outlet/{outlet}/change/",              LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/outlet/{outlet}/history/",             LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/outlet/{outlet}/delete/",              LOGIN, 200,   403,   200,   200),
    ("GET /admin/sources/outlet/import/",                       LOGIN, 200,   403,   200,   200),
    ("POST /admin/sources/outlet/process_import/ #bogus_import",
                                                                LOGIN, FOUND, 403,   FOUND, FOUND),
    ("GET /admin/sources/outlet/export/",                       LOGIN, 200,   200,   200,   200),
    ("POST /admin/sources/outlet/ #merge_outlets",              LOGIN, WROTE, 403,   WROTE, WROTE),
    ("GET /admin/sources/person/",                              LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/person/add/",                          LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/person/{person}/",                     LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/sources/person/{person}/change/",              LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/person/{person}/history/",             LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/person/{person}/delete/",              LOGIN, 200,   403,   200,   200),
    ("GET /admin/sources/person/import/",                       LOGIN, 200,   403,   200,   200),
    ("POST /admin/sources/person/process_import/ #bogus_import",
                                                                LOGIN, FOUND, 403,   FOUND, FOUND),
    ("GET /admin/sources/person/export/",                       LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/source/",                              LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/source/add/",                          LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/source/{source}/",                     LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/sources/source/{source}/change/",              LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/source/{source}/history/",             LOGIN, 200,   200,   200,   200),
    ("GET /admin/sources/source/{source}/delete/",              LOGIN, 200,   403,   200,   200),
    ("GET /admin/sources/source/import/",                       LOGIN, 200,   403,   200,   200),
    ("POST /admin/sources/source/process_import/ #bogus_import",
                                                                LOGIN, FOUND, 403,   FOUND, FOUND),
    ("GET /admin/sources/source/export/",                       LOGIN, 200,   200,   200,   200),
    # essays: editors and publishers write, reviewers read
    ("GET /admin/essays/essay/",                                LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/essay/add/",                            LOGIN, 200,   403,   200,   200),
    ("GET /admin/essays/essay/import/",                         LOGIN, 200,   403,   200,   200),
    ("POST /admin/essays/essay/import/ #essay_import",          LOGIN, 200,   403,   200,   200),
    ("GET /admin/essays/essay/{draft.pk}/",                     LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/essays/essay/{draft.pk}/change/",              LOGIN, 200,   200,   200,   200),
    ("POST /admin/essays/essay/{draft.pk}/change/ #edit_essay", LOGIN, WROTE, 403,   WROTE, WROTE),
    # the page's publish button: editors' saves stand, their publish is refused (tested in
    # tests/publishing/test_publish_from_essay_page.py)
    ("POST /admin/essays/essay/{draft.pk}/change/ #publish_from_page",
                                                                LOGIN, WROTE, 403,   WROTE, WROTE),
    ("GET /admin/essays/essay/{draft.pk}/attributions/",        LOGIN, 200,   200,   200,   200),
    ("POST /admin/essays/essay/{draft.pk}/attributions/ #desk_row",
                                                                LOGIN, WROTE, 403,   WROTE, WROTE),
    ("POST /admin/essays/essay/{draft.pk}/attributions/ #desk_bulk",
                                                                LOGIN, WROTE, 403,   WROTE, WROTE),
    ("GET /admin/essays/essay/{draft.pk}/history/",             LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/essay/{draft.pk}/history/{draft_history}/",
                                                                LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/essay/{draft.pk}/delete/",              LOGIN, 200,   403,   200,   200),
    ("POST /admin/essays/essay/ #publish_draft",                LOGIN, FOUND, 200,   WROTE, WROTE),
    ("POST /admin/essays/essay/ #unpublish_live",               LOGIN, FOUND, 200,   WROTE, WROTE),
    ("POST /admin/essays/essay/ #assign_draft_claims",          LOGIN, WROTE, 200,   WROTE, WROTE),
    ("GET /admin/essays/section/",                              LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/section/add/",                          LOGIN, 200,   403,   200,   200),
    ("GET /admin/essays/section/{section}/",                    LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/essays/section/{section}/change/",             LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/section/{section}/history/",            LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/section/{section}/history/{section_history}/",
                                                                LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/section/{section}/delete/",             LOGIN, 200,   403,   200,   200),
    ("GET /admin/essays/quotation/",                            LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/quotation/add/",                        LOGIN, 200,   403,   200,   200),
    ("GET /admin/essays/quotation/{quotation}/",                LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/essays/quotation/{quotation}/change/",         LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/quotation/{quotation}/history/",        LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/quotation/{quotation}/history/{quotation_history}/",
                                                                LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/quotation/{quotation}/delete/",         LOGIN, 200,   403,   200,   200),
    ("GET /admin/essays/quotation/import/",                     LOGIN, 200,   403,   200,   200),
    ("POST /admin/essays/quotation/process_import/ #bogus_import",
                                                                LOGIN, FOUND, 403,   FOUND, FOUND),
    ("GET /admin/essays/quotation/export/",                     LOGIN, 200,   200,   200,   200),
    # claims: reviewers change only the claims assigned to them
    ("GET /admin/essays/claim/",                                LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/claim/add/",                            LOGIN, 200,   403,   200,   200),
    ("GET /admin/essays/claim/{c_mine}/",                       LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/essays/claim/{c_mine}/change/",                LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/claim/{c_theirs}/change/",              LOGIN, 200,   200,   200,   200),
    ("POST /admin/essays/claim/{c_mine}/change/ #edit_claim",   LOGIN, WROTE, WROTE, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_theirs}/change/ #edit_claim", LOGIN, WROTE, 403,   WROTE, WROTE),
    ("GET /admin/essays/claim/{c_mine}/history/",               LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/claim/{c_mine}/history/{claim_history}/",
                                                                LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/claim/{c_unreviewed}/delete/",          LOGIN, 200,   403,   200,   200),
    ("POST /admin/essays/claim/{c_unreviewed}/delete/ #confirm",
                                                                LOGIN, WROTE, 403,   WROTE, WROTE),
    ("GET /admin/essays/claim/{c_mine}/transition/",            LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("POST /admin/essays/claim/{c_unreviewed}/transition/ #assign",
                                                                LOGIN, WROTE, FOUND, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_unreviewed}/transition/ #take",
                                                                LOGIN, FOUND, WROTE, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_mine}/transition/ #propose",  LOGIN, FOUND, WROTE, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_mine}/change/ #propose_in_form",
                                                                LOGIN, FOUND, WROTE, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_theirs}/transition/ #propose",
                                                                LOGIN, FOUND, FOUND, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_proposed_by_them}/transition/ #approve",
                                                                LOGIN, FOUND, WROTE, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_proposed_by_me}/transition/ #approve",
                                                                LOGIN, FOUND, FOUND, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_proposed_by_publisher}/transition/ #approve",
                                                                LOGIN, FOUND, WROTE, FOUND, WROTE),
    ("POST /admin/essays/claim/{c_proposed_by_them}/transition/ #send_back",
                                                                LOGIN, FOUND, WROTE, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_approved_mine}/transition/ #reopen",
                                                                LOGIN, FOUND, WROTE, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_approved_theirs}/transition/ #reopen",
                                                                LOGIN, FOUND, FOUND, WROTE, WROTE),
    ("POST /admin/essays/claim/ #assign_claim",                 LOGIN, WROTE, 200,   WROTE, WROTE),
    ("GET /admin/essays/claim/{c_mine}/reuse-evidence/",        LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("POST /admin/essays/claim/{c_mine}/reuse-evidence/ #reuse",
                                                                LOGIN, FOUND, WROTE, WROTE, WROTE),
    ("POST /admin/essays/claim/{c_theirs}/reuse-evidence/ #reuse",
                                                                LOGIN, FOUND, FOUND, WROTE, WROTE),
    ("GET /admin/essays/claim/import/",                         LOGIN, 200,   403,   200,   200),
    ("POST /admin/essays/claim/process_import/ #bogus_import",  LOGIN, FOUND, 403,   FOUND, FOUND),
    ("GET /admin/essays/claim/export/",                         LOGIN, 200,   200,   200,   200),
    # claim candidates: made by imports, decided by editors and publishers
    ("GET /admin/essays/claimcandidate/",                       LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/claimcandidate/add/",                   LOGIN, 403,   403,   403,   403),
    ("GET /admin/essays/claimcandidate/{candidate}/",           LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/essays/claimcandidate/{candidate}/change/",    LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/claimcandidate/{candidate}/history/",   LOGIN, 200,   200,   200,   200),
    ("GET /admin/essays/claimcandidate/{candidate}/delete/",    LOGIN, 200,   403,   200,   200),
    ("POST /admin/essays/claimcandidate/ #accept_candidate",    LOGIN, WROTE, 200,   WROTE, WROTE),
    ("POST /admin/essays/claimcandidate/decide/ #accept_row",   LOGIN, WROTE, 403,   WROTE, WROTE),
    # the review queue: each user's own claims in review, read-only
    # quotation checks: everyone reads them; reviewers and publishers judge them
    ("GET /admin/review/quotationcheck/",                       LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/quotationcheck/add/",                   LOGIN, 403,   403,   403,   403),
    ("GET /admin/review/quotationcheck/{quote_check}/",         LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/review/quotationcheck/{quote_check}/change/",  LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/quotationcheck/{quote_check}/history/", LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/quotationcheck/{quote_check}/delete/",  LOGIN, 403,   403,   403,   403),
    ("POST /admin/review/quotationcheck/{quote_check}/judge/ #judge_check",
                                                                LOGIN, 403,   WROTE, WROTE, WROTE),
    # the approval queue: verdicts and evidence others proposed or wrote, for who approves
    ("GET /admin/review/approvalitem/",                         LOGIN, 403,   200,   200,   200),
    ("GET /admin/review/approvalitem/add/",                     LOGIN, 403,   403,   403,   403),
    ("GET /admin/review/approvalitem/{c_proposed_by_them}/",    LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/review/approvalitem/{c_proposed_by_them}/change/",
                                                                LOGIN, 403,   200,   200,   200),
    ("GET /admin/review/approvalitem/{c_proposed_by_them}/history/",
                                                                LOGIN, FOUND, 200,   200,   200),
    ("GET /admin/review/approvalitem/{c_proposed_by_them}/delete/",
                                                                LOGIN, 403,   403,   403,   403),
    ("POST /admin/review/approvalitem/decide/ #approve_row",    LOGIN, 403,   WROTE, WROTE, WROTE),
    ("GET /admin/review/queueitem/",                            LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/queueitem/add/",                        LOGIN, 403,   403,   403,   403),
    ("GET /admin/review/queueitem/{c_mine}/",                   LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/review/queueitem/{c_mine}/change/",            LOGIN, FOUND, 200,   FOUND, FOUND),
    ("GET /admin/review/queueitem/{c_mine}/history/",           LOGIN, FOUND, 200,   FOUND, FOUND),
    ("GET /admin/review/queueitem/{c_mine}/delete/",            LOGIN, 403,   403,   403,   403),
    # internal notes: everyone with a role writes them; nobody but a superuser deletes
    ("GET /admin/review/reviewernote/",                         LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/reviewernote/add/",                     LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/reviewernote/{note}/",                  LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/review/reviewernote/{note}/change/",           LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/reviewernote/{note}/history/",          LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/reviewernote/{note}/delete/",           LOGIN, 403,   403,   403,   200),
    ("POST /admin/review/reviewernote/ #resolve_note",          LOGIN, FOUND, WROTE, WROTE, WROTE),
    # counter-evidence: reviewers write it on their claims, publishers approve it
    ("GET /admin/review/counterevidence/",                      LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/counterevidence/add/",                  LOGIN, 403,   200,   200,   200),
    ("GET /admin/review/counterevidence/{ce_theirs}/",          LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/review/counterevidence/{ce_theirs}/change/",   LOGIN, 200,   200,   200,   200),
    ("POST /admin/review/counterevidence/{ce_mine}/change/ #edit_evidence",
                                                                LOGIN, 403,   WROTE, WROTE, WROTE),
    ("POST /admin/review/counterevidence/{ce_theirs}/change/ #edit_evidence",
                                                                LOGIN, 403,   403,   WROTE, WROTE),
    ("GET /admin/review/counterevidence/{ce_theirs}/history/",  LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/counterevidence/{ce_theirs}/history/{evidence_history}/",
                                                                LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/counterevidence/{ce_theirs}/delete/",   LOGIN, 403,   403,   200,   200),
    ("POST /admin/review/counterevidence/ #approve_evidence",   LOGIN, 200,   200,   WROTE, WROTE),
    ("GET /admin/review/counterevidence/import/",               LOGIN, 403,   403,   200,   200),
    ("POST /admin/review/counterevidence/process_import/ #bogus_import",
                                                                LOGIN, 403,   403,   FOUND, FOUND),
    ("GET /admin/review/counterevidence/export/",               LOGIN, 200,   200,   200,   200),
    # the audit trails: read-only for everyone
    ("GET /admin/review/statuschange/",                         LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/statuschange/add/",                     LOGIN, 403,   403,   403,   403),
    ("GET /admin/review/statuschange/{status_change}/",         LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/review/statuschange/{status_change}/change/",  LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/statuschange/{status_change}/history/", LOGIN, 200,   200,   200,   200),
    ("GET /admin/review/statuschange/{status_change}/delete/",  LOGIN, 403,   403,   403,   403),
    ("GET /admin/review/publishoverride/",                      LOGIN, 200,   403,   200,   200),
    ("GET /admin/review/publishoverride/add/",                  LOGIN, 403,   403,   403,   403),
    ("GET /admin/review/publishoverride/{override}/",           LOGIN, FOUND, FOUND, FOUND, FOUND),
    ("GET /admin/review/publishoverride/{override}/change/",    LOGIN, 200,   403,   200,   200),
    ("GET /admin/review/publishoverride/{override}/history/",   LOGIN, 200,   403,   200,   200),
    ("GET /admin/review/publishoverride/{override}/delete/",    LOGIN, 403,   403,   403,   403),
    # the public site: the same for everyone; drafts exist only for staff, in the preview
    ("GET /",                                                   200,   200,   200,   200,   200),
    ("POST /",                                                  405,   405,   405,   405,   405),
    ("GET /essays/{live}/",                                     200,   200,   200,   200,   200),
    ("HEAD /essays/{live}/",                                    200,   200,   200,   200,   200),
    ("POST /essays/{live}/",                                    405,   405,   405,   405,   405),
    ("GET /essays/{draft}/",                                    404,   404,   404,   404,   404),
    ("GET /essays/{gone}/",                                     410,   410,   410,   410,   410),
    ("GET /essays/{moved_from}/",                               MOVED, MOVED, MOVED, MOVED, MOVED),
    ("GET /essays/{live}/claims/{live_claim}/",                 200,   200,   200,   200,   200),
    ("GET /essays/{live}/claims/{c_mine}/",                     404,   404,   404,   404,   404),
    ("GET /essays/{draft}/claims/{c_approved_mine}/",           404,   404,   404,   404,   404),
    ("GET /essays/{gone}/claims/{live_claim}/",                 410,   410,   410,   410,   410),
    ("GET /essays/{live}/sources/",                             200,   200,   200,   200,   200),
    ("GET /essays/{draft}/sources/",                            404,   404,   404,   404,   404),
    ("GET /tags/ceasefires/",                                   200,   200,   200,   200,   200),
    ("GET /tags/drafts-only/",                                  404,   404,   404,   404,   404),
    ("GET /feed/",                                              200,   200,   200,   200,   200),
    ("GET /feed/rss/",                                          200,   200,   200,   200,   200),
    ("GET /sitemap.xml",                                        200,   200,   200,   200,   200),
    ("GET /robots.txt",                                         200,   200,   200,   200,   200),
    ("GET /how-we-rate-claims/",                                200,   200,   200,   200,   200),
    ("GET /corrections-policy/",                                200,   200,   200,   200,   200),
    ("GET /preview/essays/{draft}/",                            LOGIN, 200,   200,   200,   200),
    ("GET /preview/essays/no-such-essay/",                      LOGIN, 404,   404,   404,   404),
    # search and the read API: published work only, the same for everyone
    ("GET /search/?q=trucks",                                   200,   200,   200,   200,   200),
    ("GET /api/",                                               404,   404,   404,   404,   404),
    ("GET /api/docs",                                           200,   200,   200,   200,   200),
    ("GET /api/openapi.json",                                   200,   200,   200,   200,   200),
    ("GET /api/essays/",                                        200,   200,   200,   200,   200),
    ("GET /api/essays/{live}/",                                 200,   200,   200,   200,   200),
    ("GET /api/essays/{draft}/",                                404,   404,   404,   404,   404),
    ("GET /api/claims/{live_claim}/",                           200,   200,   200,   200,   200),
    ("GET /api/claims/{c_approved_mine}/",                      404,   404,   404,   404,   404),
    ("GET /api/search/?q=trucks",                               200,   200,   200,   200,   200),
    ("POST /api/essays/ #bogus_import",                         405,   405,   405,   405,   405),
    # staff search: drafts included, behind the login
    ("GET /admin/search/?q=trucks",                             LOGIN, 200,   200,   200,   200),
]
# fmt: on


def _live_evidence(n) -> CounterEvidence:
    """The published essay's approved counter-evidence (what "Reuse this evidence" copies)."""
    return CounterEvidence.objects.get(claim=n.live_claim)


@dataclass(frozen=True)
class FromPage:
    """POST what the form on the same page holds (as a superuser sees it), with `changes`."""

    changes: dict


def action(name: str, selected: str, **extra) -> Callable:
    """An admin changelist action on one newsroom object (extra values: newsroom attrs)."""
    return lambda n: {
        "action": name,
        "_selected_action": [getattr(n, selected).pk],
        **{
            key: getattr(n, value).pk if hasattr(n, value) else value
            for key, value in extra.items()
        },
    }


# POST bodies, by the `#name` in a URLS row.
FORMS: dict[str, Callable | FromPage] = {
    "make_superuser": FromPage({"is_superuser": "on"}),
    "edit_essay": FromPage({"title": "Drafted Essay, retitled"}),
    "publish_from_page": FromPage({"_publish": "override", "override_reason": "Deadline."}),
    "edit_claim": FromPage({"short_statement": "Trucks crossed, officials said."}),
    "edit_evidence": FromPage({"summary": "The log shows 12 trucks."}),
    "propose_in_form": FromPage({"_move": "propose", "move_verdict": "misleading"}),
    "merge_tags": lambda n: {"new_tag_name": "merged"},
    "merge_outlets": lambda n: {
        **action("merge_selected", "outlet")(n),
        "_selected_action": [n.outlet.pk, n.outlet_twin.pk], "keep": n.outlet.pk,
    },
    "desk_row": lambda n: {
        "_row": n.quotation.pk, f"q{n.quotation.pk}-version": n.quotation.version,
        f"q{n.quotation.pk}-speaker": n.person.pk, f"q{n.quotation.pk}-checked": "on",
    },
    "desk_bulk": lambda n: {"_bulk": "1", "outlet": n.outlet.pk, "selected": [n.quotation.pk]},
    "bogus_import": lambda n: {
        "import_file_name": "missing", "original_file_name": "x.csv", "format": "0",
        "resource": "0",
    },
    "essay_import": lambda n: {
        "format": "auto", "text": "A Pasted Essay\n\nThe road was open, officials said.\n",
    },
    "publish_draft": action(
        "publish_selected", "draft", confirm_override="1", override_reason="Deadline tonight."
    ),
    "unpublish_live": action("unpublish_selected", "live"),
    "assign_draft_claims": action("assign_claims_to_reviewer", "draft", assignee="reviewer"),
    "assign_claim": action("assign_to_reviewer", "c_unreviewed", assignee="reviewer"),
    "accept_candidate": action("accept_as_claims", "candidate"),
    "accept_row": lambda n: {"accept": n.candidate.pk},
    "resolve_note": action("resolve_notes", "note"),
    "approve_evidence": action("approve", "ce_theirs"),
    "confirm": lambda n: {"post": "yes"},
    "assign": lambda n: {"action": "assign", "assignee": n.reviewer.pk, "expected_version": 1},
    "propose": lambda n: {
        "action": "propose", "verdict": "misleading", "verdict_summary": "Fewer crossed.",
        "expected_version": 1,
    },
    "approve": lambda n: {"action": "approve", "expected_version": 1},
    "take": lambda n: {"action": "take", "expected_version": 1},
    "reuse": lambda n: {"evidence": _live_evidence(n).pk},
    "judge_check": lambda n: {"override_status": "verbatim", "override_reason": "translation"},
    "approve_row": lambda n: {
        "approve_claim": f"{n.c_proposed_by_them.pk}:{n.c_proposed_by_them.version}"
    },
    "send_back": lambda n: {
        "action": "send_back", "comment": "Find a second source.", "expected_version": 1,
    },
    "reopen": lambda n: {
        "action": "reopen", "comment": "New figures came in.", "expected_version": 1,
    },
}  # fmt: skip


# -- the service table -------------------------------------------------------------------

OK = "ok"
PD, TD, TE = PermissionDenied, TransitionDenied, TransitionError
VE, BLOCKED = ValidationError, pub_services.PublishBlocked
ESSAY_TEXT = b"A Pasted Essay\n\nby Lina Haddad\n\nThe road was open, officials said.\n"
OUTLETS_CSV = b"name,aliases,kind\nValley Wire,,wire\n"
EVIDENCE_CSV = b"essay,claim,source,stance,position,summary,approved\n"


def _import_sheet(model: str, data: bytes):
    def call(n, actor):
        result = import_bytes(
            resource_named(model), data=data, file_format="csv", dry_run=False, user=actor
        )
        assert not result.has_errors() and not result.has_validation_errors()

    return call


@dataclass(frozen=True)
class Call:
    """One service call; `changes` are the models whose rows an allowed call rewrites."""

    run: Callable
    changes: tuple[str, ...]


def _claim(n, name: str) -> Claim:
    return Claim.objects.get(pk=getattr(n, name).pk)


C = Call
# fmt: off
SERVICES = [
    # service call                                 anon  editor reviewer publisher super
    ("claim_assign(unreviewed → reviewer)",        TD,   OK,    TD,    OK,    OK),
    ("claim_assign(unreviewed → an editor)",       TE,   TE,    TE,    TE,    TE),
    ("claims_assign(unreviewed + mine → reviewer)", TD,  OK,    TD,    OK,    OK),
    ("claim_take(unreviewed)",                     TD,   TD,    OK,    OK,    OK),
    ("claim_take(mine)",                           TD,   TD,    TD,    TD,    TD),
    ("claim_propose_verdict(mine)",                TD,   TD,    OK,    OK,    OK),
    ("claim_propose_verdict(theirs)",              TD,   TD,    TD,    OK,    OK),
    ("claim_propose_verdict(unreviewed)",          TE,   TE,    TE,    TE,    TE),
    ("claim_approve_verdict(proposed by them)",    TD,   TD,    OK,    OK,    OK),
    ("claim_approve_verdict(proposed by me)",      TD,   TD,    TD,    OK,    OK),
    ("claim_approve_verdict(by the publisher)",    TD,   TD,    OK,    TD,    OK),
    ("claim_approve_verdict(in review)",           TE,   TE,    TE,    TE,    TE),
    ("claim_send_back(proposed by them)",          TD,   TD,    OK,    OK,    OK),
    ("claim_send_back(proposed by me)",            TD,   TD,    TD,    OK,    OK),
    ("claim_send_back(no reason)",                 TD,   TD,    TE,    TE,    TE),
    ("claim_reopen(approved, mine)",               TD,   TD,    OK,    OK,    OK),
    ("claim_reopen(approved, theirs)",             TD,   TD,    TD,    OK,    OK),
    ("claim_update(mine)",                         PD,   OK,    OK,    OK,    OK),
    ("claim_update(theirs)",                       PD,   OK,    PD,    OK,    OK),
    ("note_create(theirs)",                        PD,   OK,    OK,    OK,    OK),
    ("claim_decide(disputed, not theirs)",         TD,   TD,    TD,    OK,    OK),
    ("note_resolve(on theirs)",                    PD,   PD,    OK,    OK,    OK),
    ("note_resolve(own note)",                     PD,   OK,    OK,    OK,    OK),
    ("counter_evidence_create(mine)",              PD,   PD,    OK,    OK,    OK),
    ("counter_evidence_create(theirs)",            PD,   PD,    PD,    OK,    OK),
    ("counter_evidence_reuse(live → mine)",        PD,   PD,    OK,    OK,    OK),
    ("counter_evidence_reuse(live → theirs)",      PD,   PD,    PD,    OK,    OK),
    ("counter_evidence_approve(theirs)",           PD,   PD,    PD,    OK,    OK),
    ("counter_evidence_approve(the publisher's)",  PD,   PD,    PD,    PD,    OK),
    ("counter_evidence_reorder(mine)",             PD,   PD,    OK,    OK,    OK),
    ("counter_evidence_reorder(theirs)",           PD,   PD,    PD,    OK,    OK),
    ("counter_evidence_update(mine)",              PD,   PD,    OK,    OK,    OK),
    ("counter_evidence_update(theirs)",            PD,   PD,    PD,    OK,    OK),
    ("counter_evidence_update(mine → theirs)",     PD,   PD,    PD,    OK,    OK),
    ("publish_override_record(draft)",             PD,   PD,    PD,    OK,    OK),
    ("essay_publish(draft, with a reason)",        PD,   PD,    PD,    OK,    OK),
    ("essay_publish(draft, no reason)",            PD,   PD,    PD,    BLOCKED, BLOCKED),
    ("essay_unpublish(live)",                      PD,   PD,    PD,    OK,    OK),
    ("essay_unpublish(draft)",                     PD,   PD,    PD,    VE,    VE),
    ("save_import(new essay)",                     PD,   OK,    PD,    OK,    OK),
    ("claim_candidate_accept(pending)",            PD,   OK,    PD,    OK,    OK),
    ("claim_candidate_reject(pending)",            PD,   OK,    PD,    OK,    OK),
    ("import_bytes(outlets)",                      PD,   OK,    PD,    OK,    OK),
    ("import_bytes(counter-evidence)",             PD,   PD,    PD,    OK,    OK),
]
# fmt: on

CALLS: dict[str, Call] = {
    "claim_assign(unreviewed → reviewer)": C(
        lambda n, a: services.claim_assign(
            claim=_claim(n, "c_unreviewed"), assignee=n.reviewer, actor=a
        ),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_assign(unreviewed → an editor)": C(
        lambda n, a: services.claim_assign(
            claim=_claim(n, "c_unreviewed"), assignee=n.editor, actor=a
        ),
        (),
    ),
    "claim_take(unreviewed)": C(
        lambda n, a: services.claim_take(claim=_claim(n, "c_unreviewed"), actor=a),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_take(mine)": C(lambda n, a: services.claim_take(claim=_claim(n, "c_mine"), actor=a), ()),
    "claims_assign(unreviewed + mine → reviewer)": C(
        lambda n, a: services.claims_assign(
            claims=Claim.objects.filter(pk__in=[n.c_unreviewed.pk, n.c_mine.pk]),
            assignee=n.reviewer,
            actor=a,
        ),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_propose_verdict(mine)": C(
        lambda n, a: services.claim_propose_verdict(
            claim=_claim(n, "c_mine"), actor=a, verdict="misleading"
        ),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_propose_verdict(theirs)": C(
        lambda n, a: services.claim_propose_verdict(
            claim=_claim(n, "c_theirs"), actor=a, verdict="misleading"
        ),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_propose_verdict(unreviewed)": C(
        lambda n, a: services.claim_propose_verdict(
            claim=_claim(n, "c_unreviewed"), actor=a, verdict="misleading"
        ),
        (),
    ),
    "claim_approve_verdict(proposed by them)": C(
        lambda n, a: services.claim_approve_verdict(claim=_claim(n, "c_proposed_by_them"), actor=a),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_approve_verdict(proposed by me)": C(
        lambda n, a: services.claim_approve_verdict(claim=_claim(n, "c_proposed_by_me"), actor=a),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_approve_verdict(by the publisher)": C(
        lambda n, a: services.claim_approve_verdict(
            claim=_claim(n, "c_proposed_by_publisher"), actor=a
        ),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_approve_verdict(in review)": C(
        lambda n, a: services.claim_approve_verdict(claim=_claim(n, "c_mine"), actor=a), ()
    ),
    "claim_send_back(proposed by them)": C(
        lambda n, a: services.claim_send_back(
            claim=_claim(n, "c_proposed_by_them"), actor=a, reason="Find a second source."
        ),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_send_back(proposed by me)": C(
        lambda n, a: services.claim_send_back(
            claim=_claim(n, "c_proposed_by_me"), actor=a, reason="Find a second source."
        ),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_send_back(no reason)": C(
        lambda n, a: services.claim_send_back(
            claim=_claim(n, "c_proposed_by_them"), actor=a, reason=" "
        ),
        (),
    ),
    "claim_reopen(approved, mine)": C(
        lambda n, a: services.claim_reopen(
            claim=_claim(n, "c_approved_mine"), actor=a, reason="New figures came in."
        ),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_reopen(approved, theirs)": C(
        lambda n, a: services.claim_reopen(
            claim=_claim(n, "c_approved_theirs"), actor=a, reason="New figures came in."
        ),
        ("essays.claim", "review.statuschange"),
    ),
    "claim_update(mine)": C(
        lambda n, a: services.claim_update(
            claim=_claim(n, "c_mine"),
            actor=a,
            expected_version=1,
            data={"short_statement": "Twenty trucks crossed."},
        ),  # fmt: skip
        ("essays.claim",),
    ),
    "claim_update(theirs)": C(
        lambda n, a: services.claim_update(
            claim=_claim(n, "c_theirs"),
            actor=a,
            expected_version=1,
            data={"short_statement": "Thirty trucks crossed."},
        ),  # fmt: skip
        ("essays.claim",),
    ),
    "note_create(theirs)": C(
        lambda n, a: services.note_create(
            claim=_claim(n, "c_theirs"), author=a, body="Ask the monitor."
        ),
        ("review.reviewernote",),
    ),
    "note_resolve(on theirs)": C(
        lambda n, a: services.note_resolve(note=ReviewerNote.objects.get(pk=n.note.pk), actor=a),
        ("review.reviewernote",),
    ),
    "claim_decide(disputed, not theirs)": C(
        lambda n, a: services.claim_decide(
            claim=_claim(n, "c_disputed"),
            actor=a,
            chosen=n.v_disputed_first,
            reason="The ministry's own log says 40.",
        ),
        ("essays.claim", "review.statuschange"),
    ),
    "note_resolve(own note)": C(
        lambda n, a: services.note_resolve(
            note=services.note_create(claim=_claim(n, "c_theirs"), author=a, body="Mine."),
            actor=a,
        ),
        ("review.reviewernote",),
    ),
    "counter_evidence_create(mine)": C(
        lambda n, a: services.counter_evidence_create(
            claim=_claim(n, "c_mine"), actor=a, source=n.source, summary="The log shows 12."
        ),
        ("review.counterevidence",),
    ),
    "counter_evidence_create(theirs)": C(
        lambda n, a: services.counter_evidence_create(
            claim=_claim(n, "c_theirs"), actor=a, source=n.source, summary="The log shows 12."
        ),
        ("review.counterevidence",),
    ),
    "counter_evidence_reuse(live → mine)": C(
        lambda n, a: services.counter_evidence_reuse(
            claim=_claim(n, "c_mine"),
            actor=a,
            evidence=_live_evidence(n),
        ),
        ("review.counterevidence",),
    ),
    "counter_evidence_reuse(live → theirs)": C(
        lambda n, a: services.counter_evidence_reuse(
            claim=_claim(n, "c_theirs"),
            actor=a,
            evidence=_live_evidence(n),
        ),
        ("review.counterevidence",),
    ),
    "counter_evidence_approve(the publisher's)": C(
        lambda n, a: services.counter_evidence_approve(
            evidence=CounterEvidence.objects.get(pk=n.ce_mine.pk), actor=a
        ),
        ("review.counterevidence",),
    ),
    "counter_evidence_approve(theirs)": C(
        lambda n, a: services.counter_evidence_approve(
            evidence=CounterEvidence.objects.get(pk=n.ce_theirs.pk), actor=a
        ),
        ("review.counterevidence",),
    ),
    "counter_evidence_reorder(mine)": C(
        lambda n, a: services.counter_evidence_reorder(
            claim=_claim(n, "c_mine"),
            actor=a,
            order=list(
                CounterEvidence.objects.filter(claim=n.c_mine)
                .order_by("-position", "-pk")
                .values_list("pk", flat=True)
            ),
        ),  # fmt: skip
        ("review.counterevidence",),
    ),
    "counter_evidence_reorder(theirs)": C(
        lambda n, a: services.counter_evidence_reorder(
            claim=_claim(n, "c_theirs"),
            actor=a,
            order=list(
                CounterEvidence.objects.filter(claim=n.c_theirs)
                .order_by("-position", "-pk")
                .values_list("pk", flat=True)
            ),
        ),  # fmt: skip
        ("review.counterevidence",),
    ),
    "counter_evidence_update(mine)": C(
        lambda n, a: services.counter_evidence_update(
            evidence=CounterEvidence.objects.get(pk=n.ce_mine.pk),
            actor=a,
            data={"summary": "The log shows 12 trucks."},
        ),  # fmt: skip
        ("review.counterevidence",),
    ),
    "counter_evidence_update(theirs)": C(
        lambda n, a: services.counter_evidence_update(
            evidence=CounterEvidence.objects.get(pk=n.ce_theirs.pk),
            actor=a,
            data={"summary": "The log shows 12 trucks."},
        ),  # fmt: skip
        ("review.counterevidence",),
    ),
    "counter_evidence_update(mine → theirs)": C(
        lambda n, a: services.counter_evidence_update(
            evidence=CounterEvidence.objects.get(pk=n.ce_mine.pk),
            actor=a,
            data={"claim": _claim(n, "c_theirs")},
        ),  # fmt: skip
        ("review.counterevidence",),
    ),
    "publish_override_record(draft)": C(
        lambda n, a: services.publish_override_record(
            essay=Essay.objects.get(pk=n.draft.pk), actor=a, reason="Deadline tonight."
        ),
        ("review.publishoverride",),
    ),
    "essay_publish(draft, with a reason)": C(
        lambda n, a: pub_services.essay_publish(
            essay=Essay.objects.get(pk=n.draft.pk), actor=a, override_reason="Deadline."
        ),
        ("essays.essay", "publishing.publishedrevision", "review.publishoverride"),
    ),
    "essay_publish(draft, no reason)": C(
        lambda n, a: pub_services.essay_publish(essay=Essay.objects.get(pk=n.draft.pk), actor=a),
        (),
    ),
    "essay_unpublish(live)": C(
        lambda n, a: pub_services.essay_unpublish(essay=Essay.objects.get(pk=n.live.pk), actor=a),
        ("essays.essay", "publishing.publishedrevision"),
    ),
    "essay_unpublish(draft)": C(
        lambda n, a: pub_services.essay_unpublish(essay=Essay.objects.get(pk=n.draft.pk), actor=a),
        (),
    ),
    "save_import(new essay)": C(
        lambda n, a: essay_services.save_import(
            parsed=essay_services.parse_for_import(ESSAY_TEXT, filename="pasted.txt"), actor=a
        ),
        ("essays.essay", "essays.section"),
    ),
    "claim_candidate_accept(pending)": C(
        lambda n, a: essay_services.claim_candidate_accept(
            candidate=ClaimCandidate.objects.get(pk=n.candidate.pk), actor=a
        ),
        ("essays.claim", "essays.claimcandidate"),
    ),
    "claim_candidate_reject(pending)": C(
        lambda n, a: essay_services.claim_candidate_reject(
            candidate=ClaimCandidate.objects.get(pk=n.candidate.pk), actor=a
        ),
        ("essays.claimcandidate",),
    ),
    "import_bytes(outlets)": C(_import_sheet("outlet", OUTLETS_CSV), ("sources.outlet",)),
    "import_bytes(counter-evidence)": C(
        lambda n, a: _import_sheet(
            "counterevidence",
            EVIDENCE_CSV
            + f"drafted,{n.c_mine.exact},{n.source.url},complicates,9,Twelve trucks.,\n".encode(),
        )(n, a),
        ("review.counterevidence",),
    ),
}

URL_CELLS = len(URLS) * len(ROLES)
SERVICE_CELLS = len(SERVICES) * len(ROLES)


# -- checking the cells ------------------------------------------------------------------

# Rows a request or a service may write whatever it does, and so are left out of "did the
# database change": sessions (logging in), the admin's action log, revision history.
_BOOKKEEPING_APPS = {"sessions", "admin", "contenttypes", "auth", "axes"}
# An essay upload waiting between its import preview and the confirmation: no content.
_BOOKKEEPING_MODELS = {"essays.importupload"}


def database_state() -> dict[str, list[dict]]:
    """Every row of every model the project's data lives in, by model label (and who is
    a superuser or staff, the one thing about users a request could escalate)."""
    state = {}
    for model in apps.get_models():
        opts = model._meta
        if (
            opts.proxy
            or opts.app_label in _BOOKKEEPING_APPS
            or opts.label_lower in _BOOKKEEPING_MODELS
            or ".Historical" in opts.label
        ):
            continue
        state[opts.label_lower] = list(model._base_manager.order_by("pk").values())
    state["auth.user"] = list(
        get_user_model()._base_manager.order_by("pk").values("pk", "is_superuser", "is_staff")
    )
    return state


def changed_models(before: dict, after: dict) -> set[str]:
    return {label for label in before if before[label] != after[label]}


class _EssayRef:
    """`{live}` formats as the essay's slug, `{live.pk}` as its id."""

    def __init__(self, essay: Essay):
        self.pk, self.slug = essay.pk, essay.slug

    def __format__(self, spec: str) -> str:
        return self.slug


@pytest.fixture(scope="module")
def placeholders(newsroom) -> dict:
    values = {
        "ct": ContentType.objects.get_for_model(Essay).pk,
        "group": newsroom.editor.groups.get().pk,
        "tag": newsroom.live.tags.get().pk,
        "moved_from": newsroom.moved_from,
        "draft_history": newsroom.draft.history.first().history_id,
        "section_history": newsroom.section.history.first().history_id,
        "quotation_history": newsroom.quotation.history.first().history_id,
        "claim_history": newsroom.c_mine.history.first().history_id,
        "evidence_history": newsroom.ce_theirs.history.first().history_id,
    }
    for name, value in vars(newsroom).items():
        if isinstance(value, Essay):
            values[name] = _EssayRef(value)
        elif hasattr(value, "pk"):
            values.setdefault(name, value.pk)
    return values


@pytest.fixture(scope="module")
def sessions(newsroom) -> dict[str, str]:
    """A signed-in session per role, made once: logging in for every cell is slow."""
    keys = {}
    for role in ROLES[1:]:
        client = Client()
        client.force_login(getattr(newsroom, role))
        keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def concrete(request: str, placeholders: dict) -> tuple[str, str, str | None]:
    """("GET", "/admin/…/12/change/", "form name") for a URLS row's request."""
    request, _, form = request.partition(" #")
    method, path = request.split(" ", 1)
    return method, path.format(**placeholders), form or None


def sign_in(client, sessions: dict, role: str) -> None:
    client.cookies.clear()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]


def form_data(client, sessions, form, path: str, newsroom) -> dict:
    """The POST body for a row: FORMS' function, or the page's own form (FromPage)."""
    if not isinstance(form, FromPage):
        return form(newsroom)
    sign_in(client, sessions, "superuser")
    return {**admin_form_as_loaded(client.get(path).context), **form.changes}


def url_outcome(client, method: str, path: str, data: dict):
    """What one request got: a status, LOGIN, FOUND or WROTE (see the cells above)."""
    writes = method not in ("GET", "HEAD")  # reads write nothing; checking would be slow
    before = database_state() if writes else {}
    response = client.generic(method, path) if not data else client.post(path, data)
    wrote = changed_models(before, database_state()) if writes else set()
    got = response.status_code
    if got == 302:
        location = response["Location"]
        got = LOGIN if location.startswith("/admin/login/") else (WROTE if wrote else FOUND)
    if got != WROTE and wrote:
        got = f"{got} but wrote {sorted(wrote)}"
    return got


def service_outcome(call: Call, newsroom, role: str):
    """OK (having changed the rows `call` is about) or the exception class refusing it
    (having changed nothing)."""
    actor = AnonymousUser() if role == "anonymous" else getattr(newsroom, role)
    before = database_state()
    try:
        call.run(newsroom, actor)
    except (PermissionDenied, ValidationError) as refused:
        wrote = changed_models(before, database_state())
        return type(refused) if not wrote else f"{type(refused).__name__} but wrote {wrote}"
    missing = set(call.changes) - changed_models(before, database_state())
    return OK if not missing else f"ok but left {sorted(missing)} unchanged"


def in_rollback(outcome: Callable):
    """Run `outcome` in a savepoint that is rolled back, so each cell starts afresh."""
    with transaction.atomic():
        result = outcome()
        transaction.set_rollback(True)
    cache.clear()
    return result


@pytest.mark.parametrize("row", URLS, ids=[row[0] for row in URLS])
def test_every_url_answers_each_role_as_the_matrix_says(
    client, newsroom, sessions, placeholders, empty_page_cache, row
):
    request, *cells = row
    method, path, form = concrete(request, placeholders)
    data = (
        in_rollback(lambda: form_data(client, sessions, FORMS[form], path, newsroom))
        if form
        else {}
    )
    got = {}
    for role in ROLES:
        sign_in(client, sessions, role)
        got[role] = in_rollback(lambda: url_outcome(client, method, path, data))
    assert got == dict(zip(ROLES, cells, strict=True)), f"{method} {path}"


@pytest.mark.parametrize("row", SERVICES, ids=[row[0] for row in SERVICES])
def test_every_writing_service_allows_or_refuses_each_role_as_the_matrix_says(newsroom, row):
    name, *cells = row
    got = {}
    for role in ROLES:
        got[role] = in_rollback(lambda role=role: service_outcome(CALLS[name], newsroom, role))
    assert got == dict(zip(ROLES, cells, strict=True)), name


def _routes(patterns, prefix: str = "") -> set[str]:
    """Every URL pattern's full route, spelt as ResolverMatch.route spells it."""
    routes = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern).removeprefix("^") if prefix else str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes |= _routes(pattern.url_patterns, route)
        else:
            routes.add(route)
    return routes


WRITING_SERVICES = {
    *services.__all__,
    "essay_publish", "essay_unpublish", "save_import",
    "claim_candidate_accept", "claim_candidate_reject", "import_bytes",
} - {"ConflictError", "TransitionDenied", "TransitionError"}  # fmt: skip


def test_the_matrix_has_a_row_for_every_url_and_every_writing_service(placeholders):
    covered = {
        resolve(concrete(request, placeholders)[1].split("?")[0]).route for request, *_ in URLS
    }
    missing = _routes(get_resolver().url_patterns) - covered
    assert not missing, f"URL patterns with no row in URLS: {sorted(missing)}"
    assert set(CALLS) == {name for name, *_ in SERVICES}
    called = {name.split("(")[0] for name, *_ in SERVICES}
    assert WRITING_SERVICES <= called, f"no row for: {sorted(WRITING_SERVICES - called)}"
    print(
        f"\npermission matrix: {len(URLS)} requests on {len(covered)} URL patterns × "
        f"{len(ROLES)} roles = {URL_CELLS} URL cells; {len(SERVICES)} service calls × "
        f"{len(ROLES)} roles = {SERVICE_CELLS} service cells"
    )
