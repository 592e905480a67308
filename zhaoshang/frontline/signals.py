"""Signals of the front line, for the apps above it that act on its events without frontline importing them
(the layers: notifications sits above frontline and tells the old unit when the bureau moves its lead)."""

from django.dispatch import Signal

# Sent after a lead's project was given to another unit (首报首谈 or a stale lead): profile, old_unit, new_unit,
# reason, claim (True for a 首报首谈 decision: the old unit is not told the first unit's name). Sent inside the
# write's transaction: a receiver that writes is rolled back with it.
lead_transferred = Signal()
