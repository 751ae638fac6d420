"""The node's plumbing, shared by what it serves and what it pulls: the XML vocabulary of the EWP
APIs, the node's key pair, the registry catalogue and the signed client that calls partners."""
