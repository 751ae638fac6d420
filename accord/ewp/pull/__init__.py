"""What this node fetches from partners' nodes: their IIAs and approvals, the mobilities, learning
agreements and transcripts they hold, each on their notifications and by the periodic pull, and the
acts on those copies that it forwards back to them."""
