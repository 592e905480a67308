"""The last line of defence for rows that belong to a month: whatever path saves or deletes one (a service, the
admin, the shell), a closed month refuses it. Mixed into the models with a `month` field."""


class ClosedMonthGuard:
    def save(self, *args, **kwargs):
        from zhaoshang.reporting.locks import ensure_month_open  # locks imports the models: not at module level

        ensure_month_open(self.month)
        if self.pk:
            old_month = type(self).objects.filter(pk=self.pk).values_list("month", flat=True).first()
            if old_month and old_month != self.month:
                ensure_month_open(old_month)  # moving a row out of a closed month changes that month too
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from zhaoshang.reporting.locks import ensure_month_open

        ensure_month_open(self.month)
        return super().delete(*args, **kwargs)
