"""Change notifications (CNRs), both ways: the outbox that delivers ours to partners' nodes, and the
receivers of theirs, which answer at once and leave the fetch to the pull tasks."""
