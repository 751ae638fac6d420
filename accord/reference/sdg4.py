"""The targets of Sustainable Development Goal 4 ("Ensure inclusive and equitable quality education and
promote lifelong learning opportunities for all"), as the UN General Assembly adopted them
(A/RES/70/1, 2015; indicator framework A/RES/71/313). The short titles are Accord's, to tag indicators;
the official wording is at https://sdgs.un.org/goals/goal4.

Pure Python, no Django.
"""

TARGETS: dict[str, str] = {
    "4.1": "Free, equitable and quality primary and secondary education",
    "4.2": "Early childhood development and pre-primary education",
    "4.3": "Equal access to technical, vocational and tertiary education",
    "4.4": "Relevant skills for employment, decent jobs and entrepreneurship",
    "4.5": "Eliminate disparities; equal access for the vulnerable",
    "4.6": "Literacy and numeracy",
    "4.7": "Education for sustainable development and global citizenship",
    "4.a": "Safe, inclusive and effective learning environments",
    "4.b": "Scholarships for developing countries (indicator 4.b.1: ODA flows for scholarships)",
    "4.c": "Qualified teachers, through international cooperation",
}


def is_target(code: str) -> bool:
    return code in TARGETS
