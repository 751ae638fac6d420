from django.urls import path

from accord.organisations.views import directory, factsheet, profile, sections, transfer

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
    # Its units and contacts
    path("<int:pk>/units/", sections.unit_list, name="units"),
    path("<int:pk>/units/new/", sections.unit_create, name="unit-create"),
    path("<int:pk>/units/<int:unit_id>/edit/", sections.unit_edit, name="unit-edit"),
    path("<int:pk>/units/<int:unit_id>/delete/", sections.unit_delete, name="unit-delete"),
    path("<int:pk>/contacts/", sections.contact_list, name="contacts"),
    path("<int:pk>/contacts/new/", sections.contact_create, name="contact-create"),
    path("<int:pk>/contacts/<int:contact_id>/edit/", sections.contact_edit, name="contact-edit"),
    path("<int:pk>/contacts/<int:contact_id>/delete/", sections.contact_delete, name="contact-delete"),
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
    path("<int:pk>/contacts/export.<str:fmt>", transfer.contacts_export, name="contacts-export"),
]
