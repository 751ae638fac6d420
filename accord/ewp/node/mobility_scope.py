"""Which of Accord's mobilities this node serves and announces to partners.

Not the copies of partners' mobilities (``source="ewp"``: their sending node serves them), and not the
virtual mobilities a completed virtual exchange records: a class exchange online is no nominated
mobility the EWP Mobilities APIs describe, and a partner's node would receive a mobility it never
nominated nor accepted.
"""

from accord.mobilities.choices import MobilitySource

NOT_SERVED_SOURCES = (MobilitySource.EWP, MobilitySource.VIRTUAL_EXCHANGE)
