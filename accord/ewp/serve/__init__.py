"""What this node serves to partners' nodes: one module per API group, each with what it serves to
whom, its XML documents and its endpoints, on the shared endpoint decorator and request parameters
(the receivers of partners' change notifications are in :mod:`accord.ewp.notify`)."""
