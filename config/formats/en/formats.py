"""English dates as the register writes them in every language: day, month name, year
("12 January 2021"), never Django's default American abbreviation ("Jan. 12, 2021")."""

DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
