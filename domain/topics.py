"""The default topics seeded by migration 0001, marked here so the catalogs translate them.

Topic names are stored in English in the database and translated when shown; topics an
admin adds later show as typed until a translator adds them to the catalogs.
"""

from domain.marks import N_

DEFAULT_TOPIC_NAMES = (
    N_("Adult social care"),
    N_("Children with SEND"),
    N_("Carers"),
    N_("Housing"),
    N_("Libraries"),
    N_("Parks and environment"),
    N_("Public health"),
    N_("Young people"),
)
