from django.urls import path

from accord.organisations import views, views_factsheet, views_transfer

app_name = "organisations"
urlpatterns = [
    # The directory
    path("", views.directory, name="list"),
    path("countries/", views.countries, name="countries"),
    path("cities/", views.city_search, name="city-search"),
    path("new/", views.create, name="create"),
    # A profile
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    # Its units and contacts
    path("<int:pk>/units/", views.unit_list, name="units"),
    path("<int:pk>/units/new/", views.unit_create, name="unit-create"),
    path("<int:pk>/units/<int:unit_id>/edit/", views.unit_edit, name="unit-edit"),
    path("<int:pk>/units/<int:unit_id>/delete/", views.unit_delete, name="unit-delete"),
    path("<int:pk>/contacts/", views.contact_list, name="contacts"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact-create"),
    path("<int:pk>/contacts/<int:contact_id>/edit/", views.contact_edit, name="contact-edit"),
    path("<int:pk>/contacts/<int:contact_id>/delete/", views.contact_delete, name="contact-delete"),
    # Its factsheet for incoming students (views_factsheet)
    path("<int:pk>/factsheet/", views_factsheet.factsheet_section, name="factsheet"),
    path("<int:pk>/factsheet/edit/", views_factsheet.factsheet_edit, name="factsheet-edit"),
    # Bulk import and export (views_transfer)
    path("import/", views_transfer.import_page, {"target": "organisations"}, name="import"),
    path("import/contacts/", views_transfer.import_page, {"target": "contacts"}, name="import-contacts"),
    path(
        "import/template.<str:fmt>",
        views_transfer.import_template,
        {"target": "organisations"},
        name="import-template",
    ),
    path(
        "import/contacts/template.<str:fmt>",
        views_transfer.import_template,
        {"target": "contacts"},
        name="import-contacts-template",
    ),
    path("import/<uuid:job_id>/", views_transfer.import_job, name="import-job"),
    path("export.<str:fmt>", views_transfer.organisations_export, name="export"),
    path("<int:pk>/contacts/export.<str:fmt>", views_transfer.contacts_export, name="contacts-export"),
]
