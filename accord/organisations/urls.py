from django.urls import path

from accord.organisations.views import directory, factsheet, profile, sections, transfer
from accord.organisations.views.sections import CONTACTS, UNITS, SubPage


def _sub_page_paths(kind: SubPage) -> list:
    """A section's four routes below ``<int:pk>/<section>/``: the section itself (named after it), and
    "<name>-create", "<name>-edit" and "<name>-delete"."""
    base = f"<int:pk>/{kind.section}/"
    return [
        path(base, sections.section, {"kind": kind}, name=kind.section),
        path(f"{base}new/", sections.entry_create, {"kind": kind}, name=f"{kind.name}-create"),
        path(f"{base}<int:entry_id>/edit/", sections.entry_edit, {"kind": kind}, name=f"{kind.name}-edit"),
        path(
            f"{base}<int:entry_id>/delete/", sections.entry_delete, {"kind": kind}, name=f"{kind.name}-delete"
        ),
    ]


app_name = "organisations"
urlpatterns = [
    # The directory
    path("", directory.directory, name="list"),
    path("countries/", directory.countries, name="countries"),
    path("cities/", directory.city_search, name="city-search"),
    path("new/", profile.create, name="create"),
    # A profile
    path("<int:pk>/", profile.detail, name="detail"),
    path("<int:pk>/edit/", profile.edit, name="edit"),
    # Its units and contacts: one list, create, edit and delete view for both, told by
    # ``sections.SubPage`` what differs
    *_sub_page_paths(UNITS),
    *_sub_page_paths(CONTACTS),
    # Its factsheet for incoming students
    path("<int:pk>/factsheet/", factsheet.factsheet_section, name="factsheet"),
    path("<int:pk>/factsheet/edit/", factsheet.factsheet_edit, name="factsheet-edit"),
    # Bulk import and export
    path("import/", transfer.import_page, {"target": "organisations"}, name="import"),
    path("import/contacts/", transfer.import_page, {"target": "contacts"}, name="import-contacts"),
    path(
        "import/template.<str:fmt>",
        transfer.import_template,
        {"target": "organisations"},
        name="import-template",
    ),
    path(
        "import/contacts/template.<str:fmt>",
        transfer.import_template,
        {"target": "contacts"},
        name="import-contacts-template",
    ),
    path("import/<uuid:job_id>/", transfer.import_job, name="import-job"),
    path("export.<str:fmt>", transfer.organisations_export, name="export"),
    path("export/<uuid:job_id>/", transfer.export_job, name="export-job"),
    path("export/<uuid:job_id>/download/", transfer.export_download, name="export-download"),
    path("<int:pk>/contacts/export.<str:fmt>", transfer.contacts_export, name="contacts-export"),
]
