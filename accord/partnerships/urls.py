from django.urls import path

from accord.partnerships.views import entries, partnership, sections
from accord.partnerships.views.entries import (
    ACTION_ITEM,
    ACTUAL,
    DECISION,
    INDICATOR,
    MEETING,
    OBJECTIVE,
    TARGET,
    EntryKind,
)


def _entry_paths(kind: EntryKind, *, new: str, entry: str) -> list:
    """A kind of entry's three pages, all below ``<int:pk>/`` and named after the kind: ``<new>`` is
    "<name>-create", ``<entry>edit/`` "<name>-edit" and ``<entry>delete/`` "<name>-delete"."""
    return [
        path(f"<int:pk>/{new}", entries.entry_create, {"kind": kind}, name=f"{kind.name}-create"),
        path(f"<int:pk>/{entry}edit/", entries.entry_edit, {"kind": kind}, name=f"{kind.name}-edit"),
        path(f"<int:pk>/{entry}delete/", entries.entry_delete, {"kind": kind}, name=f"{kind.name}-delete"),
    ]


app_name = "partnerships"
urlpatterns = [
    path("", partnership.partnership_list, name="list"),
    path("new/", partnership.create, name="create"),
    # A partnership, its lifecycle and members
    path("<int:pk>/", partnership.detail, name="detail"),
    path("<int:pk>/edit/", partnership.edit, name="edit"),
    path("<int:pk>/lifecycle/", sections.section, {"section": "lifecycle"}, name="lifecycle"),
    path("<int:pk>/transition/", partnership.transition, name="transition"),
    path("<int:pk>/members/", sections.section, {"section": "members"}, name="members"),
    path("<int:pk>/members/new/", partnership.member_add, name="member-add"),
    path("<int:pk>/members/<int:member_id>/role/", partnership.member_role, name="member-role"),
    path("<int:pk>/members/<int:member_id>/remove/", partnership.member_remove, name="member-remove"),
    # Objectives, indicators, yearly targets and measured figures: one create, edit and delete view
    # for every kind of entry, told by ``entries.EntryKind`` what differs
    path("<int:pk>/objectives/", sections.section, {"section": "objectives"}, name="objectives"),
    *_entry_paths(OBJECTIVE, new="objectives/new/", entry="objectives/<int:entry_id>/"),
    *_entry_paths(
        INDICATOR,
        new="objectives/<int:parent_id>/indicators/new/",
        entry="indicators/<int:entry_id>/",
    ),
    *_entry_paths(TARGET, new="indicators/<int:parent_id>/targets/new/", entry="targets/<int:entry_id>/"),
    *_entry_paths(ACTUAL, new="indicators/<int:parent_id>/actuals/new/", entry="actuals/<int:entry_id>/"),
    # The collaboration log
    path("<int:pk>/log/", sections.section, {"section": "log"}, name="log"),
    *_entry_paths(MEETING, new="meetings/new/", entry="meetings/<int:entry_id>/"),
    *_entry_paths(DECISION, new="decisions/new/", entry="decisions/<int:entry_id>/"),
    *_entry_paths(ACTION_ITEM, new="action-items/new/", entry="action-items/<int:entry_id>/"),
    path(
        "<int:pk>/action-items/<int:item_id>/status/", entries.action_item_status, name="action-item-status"
    ),
]
