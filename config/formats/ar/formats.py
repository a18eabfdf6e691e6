"""Arabic numbers grouped by thousands: Django's Arabic formats set the separators but no
grouping, so "4600000" stayed ungrouped. The separators are Django's."""

NUMBER_GROUPING = 3
