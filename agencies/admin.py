"""Admin for agencies, the names they go by, and who reports for them."""

from django.contrib import admin, messages

from core.admin import ReadOnlyHistoryAdmin

from .models import Agency, AgencyAlias, ApiToken, Membership, SecondFactorEvent
from .roles import is_secretariat


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1


def _active_people(db_field, kwargs) -> None:
    """A plain list of active people, not an autocomplete: the secretariat needn't have rights
    on user accounts (which the autocomplete's search asks for)."""
    if db_field.name == "user":
        kwargs["queryset"] = db_field.related_model.objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username"
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _active_people(db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Agency)
class AgencyAdmin(ReadOnlyHistoryAdmin):
    list_display = ["short_name", "name", "slug", "email"]
    search_fields = ["name", "short_name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [AgencyAliasInline, MembershipInline]


@admin.register(AgencyAlias)
class AgencyAliasAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name", "agency__name", "agency__short_name"]
    autocomplete_fields = ["agency"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
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
    autocomplete_fields = ["agency"]
    list_select_related = ["user", "agency"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _active_people(db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# API tokens ---------------------------------------------------------------------------------


class TokenStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "In use"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The secretariat issues and revokes API tokens here. A new token's key is shown once, on
    the page after saving; only its hash is stored."""

    list_display = [
        "name",
        "user",
        "prefix",
        "read_only",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [TokenStateFilter, "read_only"]
    search_fields = ["name", "prefix", "user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "read_only"]
        return [
            "user",
            "name",
            "read_only",
            "prefix",
            "issued_by",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "prefix", "issued_by", "created_at", "last_used_at", "revoked_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _active_people(db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        key = None
        if not change:
            key = obj.assign_key()
            obj.issued_by = request.user
        super().save_model(request, obj, form, change)
        if key:
            messages.warning(
                request,
                f"The key of “{obj.name}” is {key} — copy it now: it is not stored and can't "
                "be shown again. The client sends it as “Authorization: Token <key>”.",
            )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
        messages.success(request, "Revoked. Clients using those tokens are refused from now on.")

    def _secretariat(self, request) -> bool:
        return is_secretariat(request.user)

    def has_module_permission(self, request):
        return self._secretariat(request)

    def has_view_permission(self, request, obj=None):
        return self._secretariat(request)

    def has_add_permission(self, request):
        return self._secretariat(request)

    def has_change_permission(self, request, obj=None):
        return self._secretariat(request)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead, so what was issued to whom stays on record


@admin.register(SecondFactorEvent)
class SecondFactorEventAdmin(admin.ModelAdmin):
    """The record of two-step sign-in changes: read-only, as an audit trail is."""

    list_display = ["at", "person", "kind", "by"]
    list_filter = ["kind"]
    search_fields = ["person__username", "person__email", "by__username"]
    list_select_related = ["person", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
