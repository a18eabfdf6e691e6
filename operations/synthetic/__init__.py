"""A synthetic register for measuring the app at the size of the largest real registers.

Everything generated here is marked so that it cannot be taken for real data: slugs start
with ``synthetic-``, names carry no real place, every record cites one source titled as
synthetic, and the places hang under a country named "Synthetic country". The generator
refuses to write into a database that holds real sites, and ``load_demo`` refuses to load
the demo into one that holds synthetic sites, so the two are never mixed.

Rows are written in batches inside one transaction: a failed run leaves nothing behind.
The rows bypass the ORM and send no signals, so the folded search forms and the search
words that ``heritage.signals`` would fill are computed here. On PostgreSQL the plain indexes (the
trigram GIN indexes of the text search among them) and the foreign keys of the tables being
filled are dropped for the load and made again from their own definitions once the rows are
in: building an index once is far cheaper than updating it row by row, and adding a foreign
key checks every row in one join rather than one lookup per row.

- ``words``: made-up names in three scripts;
- ``reference``: the places, organisations and sources the sites refer to;
- ``bulk``: plain-row inserts and the indexes put aside during the load;
- ``generator``: the sites and everything that hangs from them.
"""

from operations.synthetic.generator import (
    Counts,
    RealDataPresent,
    generate_register,
    real_sites,
    synthetic_sites,
)
from operations.synthetic.reference import PREFIX, SYNTHETIC_NOTE

__all__ = [
    "PREFIX",
    "SYNTHETIC_NOTE",
    "Counts",
    "RealDataPresent",
    "generate_register",
    "real_sites",
    "synthetic_sites",
]
