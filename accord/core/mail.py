"""Which addresses mail can go to.

The system accounts of partners' EWP nodes and the accounts of incoming students created before their
e-mail was free use the reserved ``.invalid`` top-level domain (RFC 2606), which no server delivers
to: a message there could only bounce or make a strict SMTP server refuse the whole batch.
"""


def deliverable(address: str) -> bool:
    return bool(address) and not address.strip().rstrip(".").lower().endswith(".invalid")
