"""The last line of defence for rows that belong to a month: whatever path saves or deletes one (a service, the
shell, a script), a closed month refuses it. Mixed into the models dated by a month, a day or a year.

Bulk QuerySet.update() and .delete() do not call save() or delete() and so pass it by; the services never use
them on these rows for a change a user makes."""

from datetime import date

from zhaoshang.core.periods import month_start


class ClosedMonthGuard:
    """A model using it says which unit a row belongs to (`closing_unit()`): months are closed per county."""

    month_field = "month"  # the field dating the row

    def closing_unit(self):
        return self.project.responsible_unit  # the ledger's dated rows; others override

    @staticmethod
    def closing_month(value) -> date:
        """The month whose closing locks a row with this value in `month_field`."""
        return month_start(value)

    def save(self, *args, **kwargs):
        from zhaoshang.reporting.locks import ensure_month_open  # locks imports the models: not at module level

        value = getattr(self, self.month_field)
        unit = self.closing_unit()
        ensure_month_open(self.closing_month(value), unit)
        if self.pk:
            old = type(self).objects.filter(pk=self.pk).values_list(self.month_field, flat=True).first()
            if old is not None and old != value:
                ensure_month_open(self.closing_month(old), unit)  # moving a row out of a closed month changes it
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from zhaoshang.reporting.locks import ensure_month_open

        ensure_month_open(self.closing_month(getattr(self, self.month_field)), self.closing_unit())
        return super().delete(*args, **kwargs)
