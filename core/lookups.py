"""``__any``: ``field = ANY(%s)`` with the list of values as one array parameter on PostgreSQL
(``IN (%s, %s, …)`` elsewhere). A page of 1,000 ids as one parameter, not 1,000: psycopg spent
more time merging a thousand placeholders into each query than PostgreSQL spent answering it."""

from django.db.models import Field, ForeignObject
from django.db.models.lookups import In


@Field.register_lookup
@ForeignObject.register_lookup
class AnyOf(In):
    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not isinstance(self.rhs, (list, tuple, set, frozenset)) or not self.rhs:
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        target = field.target_field if isinstance(field, ForeignObject) else field
        # get_prep_lookup has prepared each value already, as In's own path assumes.
        values = [target.get_db_prep_value(v, connection, prepared=True) for v in self.rhs]
        return f"{lhs} = ANY(%s)", (*lhs_params, list(values))
