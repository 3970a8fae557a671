"""Admin for agencies, the names they go by, and who reports for them."""

from django.contrib import admin

from .models import Agency, AgencyAlias, Membership


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "slug", "email"]
    search_fields = ["name", "short_name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [AgencyAliasInline, MembershipInline]


@admin.register(AgencyAlias)
class AgencyAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name", "agency__name", "agency__short_name"]
    autocomplete_fields = ["agency"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "agency__name",
        "agency__short_name",
    ]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]
