"""Grade distribution tables shared by the grade conversion tests, and a strategy that draws them.

The hand-computed tables use totals of 100 and 200 so every cumulative boundary is a round
percentage that can be checked by eye.
"""

from fractions import Fraction

from hypothesis import strategies as st

from accord.algorithms.mobility.grade_conversion.distribution import CumulativeRange, GradeDistribution

# Cumulative ranges: 10 [0,5]  9 [5,15]  8 [15,35]  7 [35,60]  6 [60,85]  5 [85,100]
SPANISH = GradeDistribution.from_counts(
    "Spanish 0-10", {"10": 5, "9": 10, "8": 20, "7": 25, "6": 25, "5": 15}, isced_code="0613", eqf_level=6
)
# Out of 200: 30L [0,2]  30 [2,10]  29 [10,15]  28 [15,25]  27 [25,35]  26 [35,45]  25 [45,55]
# 24 [55,65]  23 [65,75]  22 [75,83]  21 [83,90]  20 [90,95]  19 [95,98]  18 [98,100]
ITALIAN = GradeDistribution.from_counts(
    "Italian 18-30",
    [
        ("30L", 4),
        ("30", 16),
        ("29", 10),
        ("28", 20),
        ("27", 20),
        ("26", 20),
        ("25", 20),
        ("24", 20),
        ("23", 20),
        ("22", 16),
        ("21", 14),
        ("20", 10),
        ("19", 6),
        ("18", 4),
    ],
)
# A [0,10]  B [10,35]  C [35,65]  D [65,90]  E [90,100]
ECTS = GradeDistribution.from_counts("ECTS A-E", {"A": 10, "B": 25, "C": 30, "D": 25, "E": 10})


def percent_range(lower: float, upper: float) -> CumulativeRange:
    return CumulativeRange(Fraction(lower), Fraction(upper))


@st.composite
def distributions(draw: st.DrawFn, prefix: str = "g") -> GradeDistribution:
    counts = draw(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=10).filter(any))
    return GradeDistribution.from_counts(
        f"{prefix} scale", [(f"{prefix}{i}", n) for i, n in enumerate(counts)]
    )
