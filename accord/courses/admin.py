from django.contrib import admin

from accord.courses.models import Course


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "organisation", "ects", "isced_code", "language")
    search_fields = ("code", "title")
    raw_id_fields = ("organisation", "unit")
