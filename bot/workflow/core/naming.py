"""What the review is called and the law it is held under: a CSP's choice (DHR_REVIEW_NAME,
DHR_STATUTORY_BASIS), set once at start-up as the templates are.

Section 19 of the Victims and Prisoners Act 2024 renames the review "domestic abuse related death
review", redefines it around domestic abuse as the Domestic Abuse Act 2021 defines it, and sends the
report to the Secretary of State as well as the Domestic Abuse Commissioner. It was not in force when
this was written, so the 2004 Act is the default; many CSPs already use the new name under it.
"""
from dataclasses import dataclass

NAMES = {"dhr": ("Domestic Homicide Review", "DHR"),
         "dardr": ("Domestic Abuse Related Death Review", "DARDR")}
BASES = ("2004", "2024")

# The same three questions under either Act (stored keys do not change), worded as each Act puts them.
_CRITERIA = {
    "2004": {
        "aged_16": "The person who died was aged 16 or over",
        "violence_abuse_neglect": "The death has, or appears to have, resulted from violence, abuse or neglect",
        "connected": "By a person they were related to, in an intimate personal relationship with, "
                     "or living in the same household as",
    },
    "2024": {
        "aged_16": "The person who died was aged 16 or over",
        "violence_abuse_neglect": "The death has, or appears to have, resulted from domestic abuse "
                                  "(as the Domestic Abuse Act 2021 defines it)",
        "connected": "By a person aged 16 or over who was personally connected to them "
                     "(section 2 of the Domestic Abuse Act 2021)",
    },
}
_STATUTES = {"2004": "Section 9(1) of the Domestic Violence, Crime and Victims Act 2004.",
             "2024": "Section 9 of the 2004 Act as section 19 of the Victims and Prisoners Act 2024 amends it."}


@dataclass(frozen=True)
class Naming:
    name: str = NAMES["dhr"][0]
    short: str = NAMES["dhr"][1]
    basis: str = "2004"

    @property
    def criteria(self) -> dict[str, str]:
        return _CRITERIA[self.basis]

    @property
    def statute(self) -> str:
        return _STATUTES[self.basis]

    @property
    def secretary_of_state_copy(self) -> bool:
        """Under section 19 the report goes to the Secretary of State too."""
        return self.basis == "2024"


_current = Naming()


def configure(name: str = "dhr", basis: str = "2004") -> None:
    global _current
    if name not in NAMES or basis not in BASES:
        raise ValueError(f"unknown review name {name!r} or statutory basis {basis!r}")
    _current = Naming(*NAMES[name], basis)


def current() -> Naming:
    return _current
