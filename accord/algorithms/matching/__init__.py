"""Pairing classes for virtual exchange: feasibility, score and the matching of a whole call.

``model`` holds a class's profile and the rules; ``pair`` assesses one pair with its reasons (what a
teacher reads); ``matrix`` assesses every pair of a call at once with NumPy and SciPy's sparse
products, giving the same answers; ``pairing`` chooses the pairs of a call with SciPy's
``linear_sum_assignment``, respecting fixed and forbidden pairs.
"""
