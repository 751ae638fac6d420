from django.urls import path

from accord.partnerships import views, views_log, views_sections
from accord.partnerships.views_log import (
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
        path(f"<int:pk>/{new}", views_log.entry_create, {"kind": kind}, name=f"{kind.name}-create"),
        path(f"<int:pk>/{entry}edit/", views_log.entry_edit, {"kind": kind}, name=f"{kind.name}-edit"),
        path(f"<int:pk>/{entry}delete/", views_log.entry_delete, {"kind": kind}, name=f"{kind.name}-delete"),
    ]


app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.create, name="create"),
    # A partnership, its lifecycle and members
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/lifecycle/", views_sections.section, {"section": "lifecycle"}, name="lifecycle"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/members/", views_sections.section, {"section": "members"}, name="members"),
    path("<int:pk>/members/new/", views.member_add, name="member-add"),
    path("<int:pk>/members/<int:member_id>/role/", views.member_role, name="member-role"),
    path("<int:pk>/members/<int:member_id>/remove/", views.member_remove, name="member-remove"),
    # Objectives, indicators, yearly targets and measured figures: one create, edit and delete view
    # for every kind of entry, told by ``views_log.EntryKind`` what differs
    path("<int:pk>/objectives/", views_sections.section, {"section": "objectives"}, name="objectives"),
    *_entry_paths(OBJECTIVE, new="objectives/new/", entry="objectives/<int:entry_id>/"),
    *_entry_paths(
        INDICATOR,
        new="objectives/<int:parent_id>/indicators/new/",
        entry="indicators/<int:entry_id>/",
    ),
    *_entry_paths(TARGET, new="indicators/<int:parent_id>/targets/new/", entry="targets/<int:entry_id>/"),
    *_entry_paths(ACTUAL, new="indicators/<int:parent_id>/actuals/new/", entry="actuals/<int:entry_id>/"),
    # The collaboration log
    path("<int:pk>/log/", views_sections.section, {"section": "log"}, name="log"),
    *_entry_paths(MEETING, new="meetings/new/", entry="meetings/<int:entry_id>/"),
    *_entry_paths(DECISION, new="decisions/new/", entry="decisions/<int:entry_id>/"),
    *_entry_paths(ACTION_ITEM, new="action-items/new/", entry="action-items/<int:entry_id>/"),
    path(
        "<int:pk>/action-items/<int:item_id>/status/", views_log.action_item_status, name="action-item-status"
    ),
]
