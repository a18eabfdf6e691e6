"""The licences an evidence item may carry, which of them let anyone pass the original on,
and where their terms are published."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    """Licences an evidence item may carry; the first group lets anyone copy the original."""

    CC0 = "CC0-1.0", _("CC0 1.0 (public domain dedication)")
    PUBLIC_DOMAIN = "public-domain", _("Public domain")
    CC_BY = "CC-BY-4.0", _("CC BY 4.0")
    CC_BY_SA = "CC-BY-SA-4.0", _("CC BY-SA 4.0")
    CC_BY_ND = "CC-BY-ND-4.0", _("CC BY-ND 4.0")
    CC_BY_NC = "CC-BY-NC-4.0", _("CC BY-NC 4.0")
    CC_BY_NC_SA = "CC-BY-NC-SA-4.0", _("CC BY-NC-SA 4.0")
    CC_BY_NC_ND = "CC-BY-NC-ND-4.0", _("CC BY-NC-ND 4.0")
    PERMISSION = "with-permission", _("Shown with the holder's permission; no reuse")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


#: Licences under which anyone may download and pass on the original file.
REDISTRIBUTABLE = {
    Licence.CC0,
    Licence.PUBLIC_DOMAIN,
    Licence.CC_BY,
    Licence.CC_BY_SA,
    Licence.CC_BY_ND,
    Licence.CC_BY_NC,
    Licence.CC_BY_NC_SA,
    Licence.CC_BY_NC_ND,
}

#: Where each licence's terms are published.
LICENCE_URLS = {
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}
