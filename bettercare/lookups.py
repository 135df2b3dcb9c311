"""`__in` lookups on integer columns that ignore numbers the column cannot hold.

Django answers `filter(pk=<a number beyond a bigint>)` with nothing (its IntegerFieldExact),
but `filter(pk__in=[...])` passes such a number to the database driver, which raises
(OverflowError on SQLite, a numeric range error on PostgreSQL): a server error for a form that
posts an id of 30 digits to a multiple-choice field (the admin's pickers). A number out of the
column's range matches no row, so it is left out of the list."""

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            values = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not values:
                raise EmptyResultSet
            self.rhs = values
        return super().process_rhs(compiler, connection)
