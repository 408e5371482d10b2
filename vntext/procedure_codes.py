"""National codes of administrative procedures (mã thủ tục on the National Public Service Portal).

One or two digits, a dot, six digits: ``1.001193`` (đăng ký khai sinh), ``2.000528``. Not part of a
longer dotted number, so the unit codes inside dossier codes (``000.00.06.H56``) do not match.
"""

from __future__ import annotations

import re

__all__ = ["NATIONAL_CODE"]

NATIONAL_CODE = re.compile(r"(?<![\w.])\d{1,2}\.\d{6}(?![\w.])")
